package io.pando.aggregator.leader;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.Ids;
import io.pando.aggregator.http.RequestGuard;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.CollectionJobId;
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
 * {@code /tasks/{task-id}/collection_jobs/{collection-job-id}} on the leader (DAP-09 §4.6.1):
 * {@code PUT} a {@code CollectionReq} (201 Created), {@code POST} to poll (202 Accepted with
 * Retry-After while the job runs, 200 OK with the {@code Collection}, the job's problem document
 * if it failed, 204 No Content once deleted), {@code DELETE} (204). {@link RequestGuard} has
 * checked the task's collector token (§3.1); a job id unknown to the task is 404 Not Found (DAP-09 defines
 * no problem type for it; Janus 0.7 answers 404 as well).
 */
@Access(Access.Caller.COLLECTOR)
@Path("/tasks/{taskId}/collection_jobs/{jobId}")
public class CollectionJobResource {
  @Inject CollectionJobs jobs;

  @PUT
  @Blocking
  @Consumes(MediaTypes.COLLECT_REQ)
  public Response create(@PathParam("jobId") String jobId, @Context RoutingContext rc,
      byte[] body) {
    Task task = RequestGuard.task(rc);
    CollectionJobId id = Ids.collectionJobId(task.id(), jobId);
    jobs.create(task, id, body);
    return Response.status(201).build();
  }

  @POST
  @Blocking
  public Response poll(@PathParam("jobId") String jobId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    CollectionJobs.Status status = jobs.poll(task, Ids.collectionJobId(task.id(), jobId));
    if (status instanceof CollectionJobs.Status.Pending p) {
      return Response.accepted().header("Retry-After", p.retryAfter().toSeconds()).build();
    }
    if (status instanceof CollectionJobs.Status.Ready r) {
      return Response.ok(r.collection()).type(MediaTypes.COLLECTION).build();
    }
    if (status instanceof CollectionJobs.Status.Failed f) {
      return Response.status(f.problem().status()).type(MediaTypes.PROBLEM_JSON)
          .entity(f.problem().toJson()).build();
    }
    return Response.noContent().build();
  }

  @DELETE
  @Blocking
  public Response delete(@PathParam("jobId") String jobId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    jobs.delete(task, Ids.collectionJobId(task.id(), jobId));
    return Response.noContent().build();
  }
}
