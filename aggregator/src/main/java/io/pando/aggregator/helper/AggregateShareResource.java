package io.pando.aggregator.helper;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.RequestGuard;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.MediaTypes;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /tasks/{task-id}/aggregate_shares} on the helper (DAP-09 §4.6.3): 200 OK with the
 * helper's aggregate share sealed to the collector. {@link RequestGuard} has checked the task's
 * aggregator token (§3.1).
 */
@Access(Access.Caller.AGGREGATOR)
@Path("/tasks/{taskId}/aggregate_shares")
public class AggregateShareResource {
  @Inject HelperAggregateShares shares;

  @POST
  @Blocking
  @Consumes(MediaTypes.AGGREGATE_SHARE_REQ)
  public Response aggregateShare(@Context RoutingContext rc, byte[] body) {
    Task task = RequestGuard.task(rc);
    return Response.ok(shares.aggregateShare(task, body))
        .type(MediaTypes.AGGREGATE_SHARE).build();
  }
}
