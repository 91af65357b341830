package io.pando.aggregator.leader;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.Ids;
import io.pando.aggregator.http.PandoProblem;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.http.RequestGuard;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.dap18.MediaTypes;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The leader's DAP-18 collection jobs (draft-ietf-ppm-dap-18 §4.6.1, §4.6.3): {@code POST
 * /dap-18/tasks/{task-id}/collection_jobs} with a {@code collection-job-req} creates the job (§3
 * "Resource Creation": 201, {@code Location} of the job, whose id follows from the request, so an
 * identical POST names the same job), {@code GET} its resource (§3 "Asynchronous Request
 * Handling": 200 with an empty body and {@code Retry-After} while it runs, the {@code
 * collection-job-resp} once finished, the job's problem document if it failed), {@code DELETE}
 * (204). The rules are DAP-09's, in {@link CollectionJobs}; {@link RequestGuard} has checked the
 * DAP-18 task and the collector token. An unknown or deleted job is 404.
 */
@Access(Access.Caller.COLLECTOR)
@Path("/dap-18/tasks/{taskId}/collection_jobs")
public class Dap18CollectionJobResource {
  @Inject CollectionJobs jobs;

  @POST
  @Blocking
  @Consumes(MediaTypes.PPM_DAP)
  public Response create(@Context RoutingContext rc,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
    if (!MediaTypes.is(contentType, MediaTypes.Message.COLLECTION_JOB_REQ)) {
      throw new ProblemException(PandoProblem.UNSUPPORTED_MEDIA_TYPE,
          "a collection job request is " + MediaTypes.COLLECTION_JOB_REQ);
    }
    Task task = RequestGuard.task(rc);
    CollectionJobId id = jobs.create(task, body);
    return answer(jobs.poll(task, id), id, 201, task);
  }

  @GET
  @Path("/{jobId}")
  @Blocking
  public Response get(@PathParam("jobId") String jobId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    CollectionJobId id = Ids.collectionJobId(task.id(), jobId);
    return answer(jobs.poll(task, id), id, 200, task);
  }

  @DELETE
  @Path("/{jobId}")
  @Blocking
  public Response delete(@PathParam("jobId") String jobId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    jobs.delete(task, Ids.collectionJobId(task.id(), jobId));
    return Response.noContent().build();
  }

  /** The job's URL, an absolute path (aggregator/README.md, "DAP-18"). */
  static String location(Task task, CollectionJobId id) {
    return DapVersion.DAP_18.pathPrefix() + "/tasks/" + task.id().toBase64Url()
        + "/collection_jobs/" + id.toBase64Url();
  }

  private static Response answer(CollectionJobs.Status status, CollectionJobId id, int ok,
      Task task) {
    if (status instanceof CollectionJobs.Status.Pending p) {
      return Response.status(ok).header("Location", location(task, id))
          .header("Retry-After", p.retryAfter().toSeconds()).build();
    }
    if (status instanceof CollectionJobs.Status.Ready r) {
      return Response.status(ok).header("Location", location(task, id))
          .entity(r.collection()).type(MediaTypes.COLLECTION_JOB_RESP).build();
    }
    if (status instanceof CollectionJobs.Status.Failed f) {
      return Response.status(f.problem().status())
          .type(io.pando.dap.messages.MediaTypes.PROBLEM_JSON)
          .entity(f.problem().toJson()).build();
    }
    throw ProblemException.notFound("collection job " + id + " was deleted");
  }
}
