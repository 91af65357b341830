package io.pando.aggregator.upload;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.RequestGuard;
import io.pando.aggregator.tracing.TraceFilter;
import io.pando.aggregator.tracing.Tracing;
import io.pando.dap.messages.MediaTypes;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletionStage;

/**
 * {@code PUT /tasks/{task-id}/reports} (DAP-09 §4.4.2): 201 Created once the report is stored.
 * {@link RequestGuard} has found the task and bounded the body.
 */
@Access(Access.Caller.ANYONE)
@Path("/tasks/{taskId}/reports")
public class UploadResource {
  @Inject UploadService uploads;

  // Not @Blocking: the checks run on the event loop and the response is written when the
  // batched insert has committed (UploadService).
  @PUT
  @Consumes(MediaTypes.REPORT)
  public CompletionStage<Response> upload(@Context RoutingContext rc, byte[] body) {
    if (body.length >= 16) { // the report id opens the Report (§4.4.2)
      TraceFilter.of(rc).setAttribute(Tracing.REPORT_ID, Base64.getUrlEncoder().withoutPadding()
          .encodeToString(Arrays.copyOf(body, 16)));
    }
    return uploads.upload(RequestGuard.task(rc), body)
        .thenApply(stored -> Response.status(201).build());
  }
}
