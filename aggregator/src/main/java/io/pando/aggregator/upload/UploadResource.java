package io.pando.aggregator.upload;

import io.pando.aggregator.http.Ids;
import io.pando.dap.messages.MediaTypes;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** {@code PUT /tasks/{task-id}/reports} (DAP-09 §4.4.2): 201 Created once the report is stored. */
@Path("/tasks/{taskId}/reports")
public class UploadResource {
  @Inject UploadService uploads;

  @PUT
  @Blocking
  @Consumes(MediaTypes.REPORT)
  public Response upload(@PathParam("taskId") String taskId, byte[] body) {
    uploads.upload(Ids.taskId(taskId), body);
    return Response.status(201).build();
  }
}
