package io.pando.aggregator.helper;

import io.pando.aggregator.datastore.DeferredRequestStore.Resource;
import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.Ids;
import io.pando.aggregator.http.PandoProblem;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.http.RequestGuard;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.problem.DapProblemType;
import java.util.Optional;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * DAP-18 aggregation jobs on the helper (draft-ietf-ppm-dap-18 §4.5), answered synchronously or, if configured, asynchronously:
 * {@code POST /dap-18/tasks/{task-id}/aggregation_jobs} creates a job (§4.5.3.3) whose id is
 * derived from the request ({@link ResourceIds}), 201 with its {@code Location} and {@code
 * AggregationJobResp}; {@code POST} of the job continues it (§4.5.4.2), {@code GET} answers its
 * current {@code AggregationJobResp}, {@code DELETE} abandons it (§4.5.5). The work is DAP-09's
 * ({@link HelperAggregator}), in the task's draft. With {@code pando.helper.deferred.enabled} a
 * creation is answered "processing" and initialized by the helper's driver ({@link
 * DeferredRequests}); {@code GET} answers "processing" until it has. {@link RequestGuard} has found the DAP-18 task,
 * checked the aggregator token and bounded the body.
 */
@Access(Access.Caller.AGGREGATOR)
@Path("/dap-18/tasks/{taskId}/aggregation_jobs")
public class Dap18AggregationJobResource {
  @Inject HelperAggregator aggregator;
  @Inject HelperCapacity capacity;
  @Inject DeferredRequests deferred;

  @POST
  @Blocking
  @Consumes(MediaTypes.PPM_DAP)
  public Response init(@Context RoutingContext rc,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
    requireMessage(contentType, MediaTypes.Message.AGGREGATION_JOB_INIT_REQ);
    Task task = RequestGuard.task(rc);
    AggregationJobId jobId = AggregationJobId.of(
        ResourceIds.of(ResourceIds.AGGREGATION_JOB, task.id(), body));
    if (deferred.enabled() && !aggregator.exists(task, jobId)) {
      // §3 "Asynchronous Request Handling": the driver initializes the job; the leader polls.
      aggregator.checkInit(task, body);
      deferred.defer(task, Resource.AGGREGATION_JOB, jobId.bytes(), body);
      // §4.5.3.3: a "not yet ready" Location carries the step the leader polls for.
      return processing(deferred, location(task, jobId) + "?step=0");
    }
    byte[] resp = capacity.run(() -> aggregator.init(task, jobId, body));
    // An absolute path, as is (Response.location would make it a full URL).
    return Response.status(201).header(HttpHeaders.LOCATION, location(task, jobId))
        .entity(resp).type(MediaTypes.AGGREGATION_JOB_RESP).build();
  }

  @POST
  @Path("{jobId}")
  @Blocking
  @Consumes(MediaTypes.PPM_DAP)
  public Response continueJob(@PathParam("jobId") String jobId, @Context RoutingContext rc,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
    requireMessage(contentType, MediaTypes.Message.AGGREGATION_JOB_CONTINUE_REQ);
    Task task = RequestGuard.task(rc);
    byte[] resp = capacity.run(
        () -> aggregator.continueJob(task, Ids.aggregationJobId(task.id(), jobId), body));
    return Response.ok(resp).type(MediaTypes.AGGREGATION_JOB_RESP).build();
  }

  @GET
  @Path("{jobId}")
  @Blocking
  public Response get(@PathParam("jobId") String jobId, @QueryParam("step") String step,
      @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    AggregationJobId id = Ids.aggregationJobId(task.id(), jobId);
    Optional<Integer> at = step(task, step);
    if (deferred.pending(task.id(), Resource.AGGREGATION_JOB, id.bytes())) {
      if (at.isPresent() && at.get() != 0) {
        throw HelperErrors.of(DapProblemType.STEP_MISMATCH, task.id(), "aggregation job " + id
            + " is being initialized (step 0); the request is for step " + at.get());
      }
      return processing(deferred, null);
    }
    return Response.ok(aggregator.current(task, id, at))
        .type(MediaTypes.AGGREGATION_JOB_RESP).build();
  }

  @DELETE
  @Path("{jobId}")
  @Blocking
  public Response delete(@PathParam("jobId") String jobId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    aggregator.delete(task, Ids.aggregationJobId(task.id(), jobId));
    return Response.noContent().build();
  }

  /**
   * "Processing" (§3): a successful status, an empty body and {@code Retry-After}; a creation
   * (201) also names the resource's {@code Location}.
   */
  static Response processing(DeferredRequests deferred, String location) {
    long seconds = Math.max(1, (deferred.retryAfter().toMillis() + 999) / 1000);
    Response.ResponseBuilder b = location == null ? Response.ok()
        : Response.status(201).header(HttpHeaders.LOCATION, location);
    return b.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).build();
  }

  /** The {@code step} query parameter (§4.5.3.3): absent, or a uint16 in decimal. */
  private static Optional<Integer> step(Task task, String step) {
    if (step == null) {
      return Optional.empty();
    }
    if (!step.matches("[0-9]{1,5}") || Integer.parseInt(step) > 0xffff) {
      throw HelperErrors.invalidMessage(task.id(), "the step query parameter must be a uint16");
    }
    return Optional.of(Integer.parseInt(step));
  }

  /** §9.1: one media type whose message parameter names the message. */
  static void requireMessage(String contentType, MediaTypes.Message expected) {
    if (!MediaTypes.is(contentType, expected)) {
      throw new ProblemException(PandoProblem.UNSUPPORTED_MEDIA_TYPE,
          "the body must be " + expected.mediaType());
    }
  }

  private static String location(Task task, AggregationJobId jobId) {
    return DapVersion.DAP_18.pathPrefix() + "/tasks/" + task.id().toBase64Url()
        + "/aggregation_jobs/" + jobId.toBase64Url();
  }
}
