package io.pando.aggregator.upload;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.PandoProblem;
import io.pando.aggregator.http.ProblemException;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.aggregator.http.RequestGuard;
import io.pando.dap.messages.dap18.UploadErrors;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /dap-18/tasks/{task-id}/reports} (draft-ietf-ppm-dap-18 §4.4.2): an UploadRequest
 * of one or more reports; 200 with an empty body when all were stored, else 200 with the
 * UploadErrors of the refused ones. {@link RequestGuard} has found the DAP-18 task and bounded
 * the body.
 */
@Access(Access.Caller.ANYONE)
@Path("/dap-18/tasks/{taskId}/reports")
public class Dap18UploadResource {
  @Inject UploadService uploads;

  // Not @Blocking, as DAP-09's upload: the checks run on the event loop and the answer is
  // written when the batched inserts have committed.
  @POST
  @Consumes(MediaTypes.PPM_DAP)
  public CompletionStage<Response> upload(@Context RoutingContext rc,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
    // §9.1: one media type with a message parameter; only upload-req is an upload.
    if (!MediaTypes.is(contentType, MediaTypes.Message.UPLOAD_REQ)) {
      throw new ProblemException(PandoProblem.UNSUPPORTED_MEDIA_TYPE,
          "an upload is " + MediaTypes.UPLOAD_REQ);
    }
    return uploads.uploadAll(RequestGuard.task(rc), body).thenApply(refused -> refused.isEmpty()
        ? Response.ok().build()
        : Response.ok(new UploadErrors(refused).encode(), MediaTypes.UPLOAD_ERRORS)
            .build());
  }
}
