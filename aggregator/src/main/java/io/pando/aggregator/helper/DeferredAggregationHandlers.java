package io.pando.aggregator.helper;

import io.pando.aggregator.datastore.DeferredRequestStore.Resource;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.AggregationJobId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What the asynchronous helper's driver ({@link DeferredRequests}) does with a deferred DAP-18
 * request: exactly what the synchronous helper does with it, storing the resource's
 * representation; both are idempotent for the same request.
 */
final class DeferredAggregationHandlers {
  private DeferredAggregationHandlers() {}

  /** A deferred aggregation job creation: the initialization (§4.5.3.3). */
  @ApplicationScoped
  static class Init implements DeferredHandler {
    @Inject HelperAggregator aggregator;
    @Inject HelperCapacity capacity;

    @Override
    public Resource resource() {
      return Resource.AGGREGATION_JOB;
    }

    @Override
    public void handle(Task task, byte[] resourceId, byte[] body) {
      capacity.run(() -> aggregator.init(task, AggregationJobId.of(resourceId), body));
    }
  }

  /** A deferred aggregate share request (§4.6.3). */
  @ApplicationScoped
  static class Share implements DeferredHandler {
    @Inject HelperAggregateShares shares;

    @Override
    public Resource resource() {
      return Resource.AGGREGATE_SHARE;
    }

    @Override
    public void handle(Task task, byte[] resourceId, byte[] body) {
      shares.aggregateShare18(task, resourceId, body);
    }
  }
}
