package io.pando.aggregator.helper;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.datastore.AggregateShareJobStore.ShareJob;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.HelperBatchStore.Contents;
import io.pando.aggregator.dp.ShareNoise;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeSealer;
import io.pando.dap.messages.AggregateShare;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.AggregateShareReq;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The helper's answer to {@code POST /tasks/{task-id}/aggregate_shares} (DAP-09 §4.6.3): batch
 * validation (§4.6.5, §4.6.6), the report count and checksum check, the aggregate share sealed
 * to the collector (§4.6.4), noised first when the task has a DP strategy ({@link ShareNoise}),
 * and the batches marked collected. Everything happens in one
 * transaction, so a refused request changes nothing; an answered one is stored and a repeat of
 * it gets the same bytes without counting another query.
 *
 * <p>A batch, for query counts and for collection, is a time-precision bucket of a time-interval
 * task or the batch id of a fixed-size task; a time-interval query covers every bucket of its
 * interval.
 */
@ApplicationScoped
public class HelperAggregateShares {
  /** The most time-precision buckets one time-interval query may span. */
  static final long MAX_BUCKETS = 100_000;

  private final Datastore datastore;
  private final ShareNoise noise;

  @Inject
  public HelperAggregateShares(Datastore datastore, ShareNoise noise) {
    this.datastore = datastore;
    this.noise = noise;
  }

  /** Handles an {@code AggregateShareReq}; returns the encoded {@code AggregateShare}. */
  public byte[] aggregateShare(Task task, byte[] body) {
    TaskId taskId = task.id();
    AggregateShareReq<?> req = decode(task, body);
    byte[] aggParam = req.aggregationParameter();
    if (aggParam.length != 0) {
      throw HelperErrors.invalidMessage(taskId, "Prio3 takes an empty aggregation parameter");
    }
    byte[] selector = req.batchSelector().encode();
    List<byte[]> batches = new ArrayList<>();
    Optional<BatchId> batchId = Optional.empty();
    if (req.batchSelector() instanceof BatchSelector.TimeInterval ti) {
      batches = buckets(task, ti.batchInterval());
    } else if (req.batchSelector() instanceof BatchSelector.FixedSize fs) {
      batchId = Optional.of(fs.batchId());
      batches.add(fs.batchId().bytes());
    }
    DapVdaf vdaf = task.dapVdaf();
    HpkeSealer sealer;
    try {
      sealer = Hpke.sealer(task.collectorHpkeConfig());
    } catch (HpkeException e) {
      throw new IllegalStateException("the task's collector HPKE config is unusable", e);
    }
    byte[] aad = aad(taskId, aggParam, req.batchSelector());
    List<byte[]> ids = batches;
    Optional<BatchId> fixed = batchId;

    return datastore.inTransaction("helper-aggregate-share", tx -> {
      // §4.6.3: identical requests get identical answers and count one query.
      Optional<ShareJob> earlier = tx.aggregateShareJobs().get(taskId, selector, aggParam);
      if (earlier.isPresent()) {
        checkMatch(taskId, req, earlier.get().reportCount(), earlier.get().checksum());
        return earlier.get().response();
      }

      // §4.6.6.1 (fixed-size boundary check): the batch id came in an aggregation job.
      if (fixed.isPresent() && !tx.helperJobs().batchIdUsed(taskId, fixed.get())) {
        throw HelperErrors.of(DapProblemType.BATCH_INVALID, taskId,
            "no aggregation job named batch " + fixed.get());
      }

      // §4.6.5.2, §4.6.6.2: size check on the helper's own count.
      Contents contents = tx.helperBatches().read(taskId, ids, vdaf);
      if (contents.reportCount() < task.minBatchSize()) {
        throw HelperErrors.of(DapProblemType.INVALID_BATCH_SIZE, taskId, "the batch holds "
            + contents.reportCount() + " reports, fewer than " + task.minBatchSize());
      }
      if (fixed.isPresent() && task.maxBatchSize().isPresent()
          && contents.reportCount() > task.maxBatchSize().get()) {
        throw HelperErrors.of(DapProblemType.INVALID_BATCH_SIZE, taskId, "the batch holds "
            + contents.reportCount() + " reports, more than " + task.maxBatchSize().get());
      }

      // §4.6.5: query count, then overlap with the batches of earlier queries.
      Map<ByteBuffer, Long> queried = tx.batchQueries().counts(taskId, ids);
      for (long count : queried.values()) {
        if (count + 1 > task.maxBatchQueryCount()) {
          throw HelperErrors.of(DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES, taskId,
              "the batch was queried " + count + " times; the task allows "
                  + task.maxBatchQueryCount());
        }
      }
      if (!queried.isEmpty()) {
        Map<ByteBuffer, Long> nonEmpty = tx.helperBatches().reportCounts(taskId, ids);
        for (ByteBuffer b : queried.keySet()) {
          if (nonEmpty.containsKey(b)) {
            throw HelperErrors.of(DapProblemType.BATCH_OVERLAP, taskId,
                "the query includes reports collected in another batch");
          }
        }
      }

      // §4.6.3: the leader and the helper must agree on the reports.
      checkMatch(taskId, req, contents.reportCount(), contents.checksum());

      // §4.6.4: seal the aggregate share to the collector.
      HpkeCiphertext sealed = sealer.seal(ApplicationInfo.aggregateShare(Role.HELPER),
          vdaf.encodeAggregateShare(noise.apply(task, vdaf, contents.share(),
              "batch " + req.batchSelector())), aad);
      byte[] response = new AggregateShare(sealed).encode();

      tx.batchQueries().increment(taskId, ids);
      tx.helperBatches().markCollected(taskId, ids);
      tx.aggregateShareJobs().put(taskId, selector, aggParam,
          new ShareJob(contents.reportCount(), contents.checksum(), response));
      return response;
    });
  }

  private static void checkMatch(TaskId taskId, AggregateShareReq<?> req, long count,
      byte[] checksum) {
    boolean sameChecksum = MessageDigest.isEqual(req.checksum().bytes(), checksum);
    if (req.reportCount() != count || !sameChecksum) {
      throw HelperErrors.of(DapProblemType.BATCH_MISMATCH, taskId, "the leader counts "
          + req.reportCount() + " reports, the helper " + count + "; the checksums "
          + (sameChecksum ? "agree" : "differ"));
    }
  }

  /**
   * §4.6.5.1: the interval must start and end on time-precision boundaries and be at least one
   * time precision long; its batches are its buckets.
   */
  static List<byte[]> buckets(Task task, Interval interval) {
    long precision = task.timePrecision().seconds();
    long start = interval.start().seconds();
    long duration = interval.duration().seconds();
    if (duration < precision || start % precision != 0 || duration % precision != 0) {
      throw HelperErrors.of(DapProblemType.BATCH_INVALID, task.id(), "batch interval "
          + interval + " is not aligned to the time precision " + precision + " s");
    }
    long n = duration / precision;
    if (n > MAX_BUCKETS) {
      throw HelperErrors.of(DapProblemType.BATCH_INVALID, task.id(), "batch interval "
          + interval + " spans more than " + MAX_BUCKETS + " time-precision buckets");
    }
    List<byte[]> out = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      out.add(BatchAggregationStore.intervalIdentifier(start + i * precision));
    }
    return out;
  }

  private static AggregateShareReq<?> decode(Task task, byte[] body) {
    try {
      return task.queryType() == Task.QueryKind.TIME_INTERVAL
          ? AggregateShareReq.decode(body, QueryType.TIME_INTERVAL)
          : AggregateShareReq.decode(body, QueryType.FIXED_SIZE);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(task.id(), "malformed AggregateShareReq: "
          + e.getMessage());
    }
  }

  private static <Q extends QueryType> byte[] aad(TaskId taskId, byte[] aggParam,
      BatchSelector<Q> selector) {
    return new AggregateShareAad<>(taskId, aggParam, selector).encode();
  }
}
