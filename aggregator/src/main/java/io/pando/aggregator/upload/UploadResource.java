package io.pando.aggregator.upload;

import io.pando.aggregator.http.Ids;
import io.pando.dap.messages.MediaTypes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/** {@code PUT /tasks/{task-id}/reports} (DAP-09 §4.4.2): 201 Created once the report is stored. */
@Path("/tasks/{taskId}/reports")
public class UploadResource {
  @Inject UploadService uploads;

  // Not @Blocking: the checks run on the event loop and the response is written when the
  // batched insert has committed (UploadService).
  @PUT
  @Consumes(MediaTypes.REPORT)
  public CompletionStage<Response> upload(@PathParam("taskId") String taskId, byte[] body) {
    return uploads.upload(Ids.taskId(taskId), body)
        .thenApply(stored -> Response.status(201).build());
  }
}
