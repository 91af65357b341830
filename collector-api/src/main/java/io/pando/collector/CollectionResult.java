package io.pando.collector;

import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Interval;
import io.pando.vdaf.dp.DpStrategy;
import java.util.Optional;

/**
 * The outcome of a collection (DAP-09 §4.6.2): the unsharded aggregate, how many reports it
 * covers, the interval their timestamps span, for fixed-size tasks the batch id, and the
 * differential privacy strategy the task's aggregators noise their shares with, if any (the
 * collector knows it from the task definition, not from the protocol). A noised aggregate's
 * entries may be negative.
 *
 * @param <R> the VDAF's aggregate result type
 */
public record CollectionResult<R>(R aggregate, long reportCount, Interval interval,
    Optional<BatchId> batchId, Optional<DpStrategy> dpStrategy) {

  /** A result without noise. */
  public CollectionResult(R aggregate, long reportCount, Interval interval,
      Optional<BatchId> batchId) {
    this(aggregate, reportCount, interval, batchId, Optional.empty());
  }
}
