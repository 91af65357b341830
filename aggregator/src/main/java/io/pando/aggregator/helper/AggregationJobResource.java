package io.pando.aggregator.helper;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.Ids;
import io.pando.aggregator.http.RequestGuard;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.MediaTypes;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * {@code /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}} on the helper (DAP-09 §4.5):
 * {@code PUT} initializes a job (§4.5.1.2), {@code POST} continues it (§4.5.2.2), {@code DELETE}
 * abandons it. {@link RequestGuard} has checked the task's aggregator token (§3.1) and bounded
 * the body.
 *
 * <p>Initialization answers 200 OK, as Janus 0.7 does; DAP-09 §4.5.1.2 names 201 Created, and
 * leaders (Janus among them) accept any 2xx.
 */
@Access(Access.Caller.AGGREGATOR)
@Path("/tasks/{taskId}/aggregation_jobs/{jobId}")
public class AggregationJobResource {
  @Inject HelperAggregator aggregator;
  @Inject HelperCapacity capacity;

  @PUT
  @Blocking
  @Consumes(MediaTypes.AGGREGATION_JOB_INIT_REQ)
  public Response init(@PathParam("jobId") String jobId,
      @Context RoutingContext rc, byte[] body) {
    Task task = RequestGuard.task(rc);
    byte[] resp = capacity.run(
        () -> aggregator.init(task, Ids.aggregationJobId(task.id(), jobId), body));
    // DAP-09 §4.5.1.2: "201 Created" (Janus 0.7 answers 200; leaders accept any 2xx).
    return Response.status(201).entity(resp).type(MediaTypes.AGGREGATION_JOB_RESP).build();
  }

  @POST
  @Blocking
  @Consumes(MediaTypes.AGGREGATION_JOB_CONTINUE_REQ)
  public Response continueJob(@PathParam("jobId") String jobId, @Context RoutingContext rc,
      byte[] body) {
    Task task = RequestGuard.task(rc);
    byte[] resp = capacity.run(
        () -> aggregator.continueJob(task, Ids.aggregationJobId(task.id(), jobId), body));
    return Response.ok(resp).type(MediaTypes.AGGREGATION_JOB_RESP).build();
  }

  @DELETE
  @Blocking
  public Response delete(@PathParam("jobId") String jobId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    aggregator.delete(task, Ids.aggregationJobId(task.id(), jobId));
    return Response.noContent().build();
  }
}
