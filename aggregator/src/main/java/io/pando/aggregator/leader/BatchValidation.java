package io.pando.aggregator.leader;

import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.CollectionJobStore.QueriedInterval;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.problem.DapProblemType;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader's batch validation (DAP-09 §4.6.6), shared by the collector's {@code PUT} (where
 * it is decidable) and the collection job driver (again, under the lease, in the transaction
 * that records the query).
 *
 * <p>A batch, for query counts, is a time-precision bucket of a time-interval task or the batch
 * id of a fixed-size task, as on the helper: a time-interval query counts one query of every
 * bucket of its interval, and a bucket queried {@code max_batch_query_count} times refuses any
 * further query that includes it ("for one or more reports included in the batch"). Overlap
 * (time-interval only; a fixed-size report belongs to one batch): a query overlaps when an
 * earlier recorded query with a different interval shares a bucket holding reports with it
 * ("reports that were previously collected in a different batch"); the same interval queried
 * again is counted, not an overlap.
 */
final class BatchValidation {
  /** The most time-precision buckets one time-interval query may span. */
  static final long MAX_BUCKETS = 100_000;

  private BatchValidation() {}

  /**
   * The boundary check of a time-interval query (§4.6.6.1.1): start and duration multiples of
   * the time precision, at least one time precision long, at most {@link #MAX_BUCKETS}
   * buckets. Returns the buckets' batch identifiers.
   */
  static List<byte[]> buckets(Task task, Interval interval) {
    long precision = task.timePrecision().seconds();
    long start = interval.start().seconds();
    long duration = interval.duration().seconds();
    if (duration < precision || start % precision != 0 || duration % precision != 0) {
      throw new DapException(DapProblemType.BATCH_INVALID, task.id(), "batch interval "
          + interval + " is not aligned to the time precision " + precision + " s");
    }
    long n = duration / precision;
    if (n > MAX_BUCKETS) {
      throw new DapException(DapProblemType.BATCH_INVALID, task.id(), "batch interval "
          + interval + " spans more than " + MAX_BUCKETS + " time-precision buckets");
    }
    List<byte[]> out = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      out.add(BatchAggregationStore.intervalIdentifier(start + i * precision));
    }
    return out;
  }

  /** §4.6.6: no batch of the query may have been queried {@code max_batch_query_count} times. */
  static void checkQueryCount(Tx tx, Task task, List<byte[]> batches) {
    for (long count : tx.batchQueries().counts(task.id(), batches).values()) {
      if (count + 1 > task.maxBatchQueryCount()) {
        throw new DapException(CollectionJobs.queriedTooOftenProblem(task), task.id(),
            "the batch was queried " + count + " times; the task allows "
                + task.maxBatchQueryCount());
      }
    }
  }

  /**
   * §4.6.6: no report of the time-interval query may have been collected by a query of another
   * interval. {@code jobId} is the job's own id (its own record does not count).
   */
  static void checkOverlap(Tx tx, Task task, byte[] jobId, Interval interval) {
    long start = interval.start().seconds();
    long end = interval.end().seconds();
    for (QueriedInterval q : tx.collectionJobs().otherIntervalsOverlapping(task.id(), jobId,
        start, end)) {
      long lo = Math.max(start, q.start());
      long hi = Math.min(end, q.end());
      if (tx.batchAggregations().anyReportsBetween(task.id(), lo, hi)) {
        throw new DapException(DapProblemType.BATCH_OVERLAP, task.id(), "the query includes "
            + "reports collected by the query of " + Interval.of(q.start(), q.end() - q.start()));
      }
    }
  }
}
