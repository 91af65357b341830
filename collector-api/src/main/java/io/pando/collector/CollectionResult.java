package io.pando.collector;

import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Interval;
import java.util.Optional;

/**
 * The outcome of a collection (DAP-09 §4.6.2): the unsharded aggregate, how many reports it
 * covers, the interval their timestamps span, and, for fixed-size tasks, the batch id.
 *
 * @param <R> the VDAF's aggregate result type
 */
public record CollectionResult<R>(R aggregate, long reportCount, Interval interval,
    Optional<BatchId> batchId) {}
