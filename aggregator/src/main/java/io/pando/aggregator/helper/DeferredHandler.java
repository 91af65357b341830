package io.pando.aggregator.helper;

import io.pando.aggregator.datastore.DeferredRequestStore.Resource;
import io.pando.aggregator.task.Task;

/**
 * Handles one kind of deferred DAP-18 request on the helper's driver ({@link DeferredRequests}).
 * Handling must be idempotent: the same request may be handled again after a crash.
 */
public interface DeferredHandler {
  Resource resource();

  /**
   * Handles the request as the synchronous helper would have, storing the resource's
   * representation. Throws {@code DapException} or {@code ProblemException} for a failure the
   * sender caused (the resource then answers that problem); any other exception is transient.
   */
  void handle(Task task, byte[] resourceId, byte[] body);
}
