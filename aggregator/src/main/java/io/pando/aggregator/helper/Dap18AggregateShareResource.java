package io.pando.aggregator.helper;

import io.pando.aggregator.datastore.DeferredRequestStore.Resource;
import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.http.RequestGuard;
import io.pando.aggregator.task.Task;
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
import java.util.Base64;

/**
 * DAP-18 aggregate shares on the helper (draft-ietf-ppm-dap-18 §4.6.3), answered synchronously
 * or, with {@code pando.helper.deferred.enabled}, "processing" until the helper's driver has
 * computed them ({@link DeferredRequests}):
 * {@code POST /dap-18/tasks/{task-id}/aggregate_shares} creates the share, whose id is derived
 * from the request ({@link ResourceIds}), 201 with its {@code Location} and the {@code
 * AggregateShare}; {@code GET} of the share answers the same body, {@code DELETE} discards it
 * ("Aggregate Share Deletion"). {@link RequestGuard} has found the DAP-18 task and checked the
 * aggregator token.
 */
@Access(Access.Caller.AGGREGATOR)
@Path("/dap-18/tasks/{taskId}/aggregate_shares")
public class Dap18AggregateShareResource {
  @Inject HelperAggregateShares shares;
  @Inject DeferredRequests deferred;

  @POST
  @Blocking
  @Consumes(MediaTypes.PPM_DAP)
  public Response create(@Context RoutingContext rc,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
    Dap18AggregationJobResource.requireMessage(contentType,
        MediaTypes.Message.AGGREGATE_SHARE_REQ);
    Task task = RequestGuard.task(rc);
    byte[] id = ResourceIds.of(ResourceIds.AGGREGATE_SHARE, task.id(), body);
    String location = DapVersion.DAP_18.pathPrefix() + "/tasks/" + task.id().toBase64Url()
        + "/aggregate_shares/" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    if (deferred.enabled() && !shares.exists(task, id)) {
      // §3 "Asynchronous Request Handling": the driver computes the share; the leader polls.
      shares.check18(task, body);
      deferred.defer(task, Resource.AGGREGATE_SHARE, id, body);
      return Dap18AggregationJobResource.processing(deferred, location);
    }
    byte[] share = shares.aggregateShare18(task, id, body);
    return Response.status(201).header(HttpHeaders.LOCATION, location)
        .entity(share).type(MediaTypes.AGGREGATE_SHARE).build();
  }

  @GET
  @Path("{shareId}")
  @Blocking
  public Response get(@PathParam("shareId") String shareId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    byte[] id = id(task, shareId);
    if (deferred.pending(task.id(), Resource.AGGREGATE_SHARE, id)) {
      return Dap18AggregationJobResource.processing(deferred, null);
    }
    return Response.ok(shares.stored(task, id))
        .type(MediaTypes.AGGREGATE_SHARE).build();
  }

  @DELETE
  @Path("{shareId}")
  @Blocking
  public Response delete(@PathParam("shareId") String shareId, @Context RoutingContext rc) {
    Task task = RequestGuard.task(rc);
    shares.delete(task, id(task, shareId));
    return Response.noContent().build();
  }

  private static byte[] id(Task task, String s) {
    byte[] id;
    try {
      id = Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      id = null;
    }
    if (id == null || id.length != 16 || s.contains("=")) {
      throw DapException.invalidMessage(task.id(), "malformed aggregate share id");
    }
    return id;
  }
}
