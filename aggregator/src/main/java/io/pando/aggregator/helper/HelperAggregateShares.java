package io.pando.aggregator.helper;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.datastore.AggregateShareJobStore.ShareJob;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.HelperBatchStore.Contents;
import io.pando.aggregator.dp.ShareNoise;
import io.pando.aggregator.http.ProblemException;
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
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.CollectionJobExtension;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.problem.DapProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>With an aggregation parameter (Poplar1) the request's parameter selects the batches' sums;
 * the same batch may be queried again with another parameter, up to {@code
 * max_batch_query_count} distinct parameters in all (§4.6.5.3), and only with the same batch
 * selector: a query whose buckets an earlier query of another selector covered is a {@code
 * batchOverlap} (§4.6.5.4).
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

  /**
   * An aggregate share request, whichever draft it came in: the aggregation parameter, the
   * encoded batch selector (the key of the stored answer), the batches it covers, the fixed-size
   * (leader-selected) batch id, the leader's count and checksum, and the AAD and info string the
   * share is sealed with.
   */
  private record ShareRequest(byte[] aggParam, byte[] selector, String selectorText,
      List<byte[]> batches, Optional<BatchId> fixed, long reportCount,
      ReportIdChecksum checksum, byte[] aad, ApplicationInfo info) {}

  /** Handles a DAP-09 {@code AggregateShareReq}; returns the encoded {@code AggregateShare}. */
  public byte[] aggregateShare(Task task, byte[] body) {
    return answer(task, task.isDap18() ? decode18(task, body) : decode(task, body),
        Optional.empty());
  }

  /**
   * Handles a DAP-18 {@code AggregateShareReq} (§4.6.3) for the aggregate share resource {@code
   * shareId} (chosen from the request: aggregator/README.md, "DAP-18"); returns the encoded
   * {@code AggregateShare}. The same request again gets the stored answer.
   */
  public byte[] aggregateShare18(Task task, byte[] shareId, byte[] body) {
    return answer(task, decode18(task, body), Optional.of(shareId));
  }

  /**
   * The checks of a DAP-18 {@code AggregateShareReq} that need no datastore (its encoding and
   * aggregation parameter), throwing the problem a failed one answers; the asynchronous helper
   * runs them before it defers a request, so that nothing is stored for a malformed one.
   */
  public void check18(Task task, byte[] body) {
    HelperAggregator.checkAggregationParameter(task, task.dapVdaf(),
        decode18(task, body).aggParam());
  }

  /** Whether the DAP-18 aggregate share {@code shareId} exists (deleted ones included). */
  public boolean exists(Task task, byte[] shareId) {
    return datastore.inTransaction("helper-share-exists",
        tx -> tx.aggregateShareJobs().byId(task.id(), shareId).isPresent());
  }

  /** {@code GET} of a DAP-18 aggregate share: the stored answer. */
  public byte[] stored(Task task, byte[] shareId) {
    return datastore.inTransaction("helper-get-share", tx -> {
      ShareJob job = tx.aggregateShareJobs().byId(task.id(), shareId)
          .orElseThrow(() -> ProblemException.notFound("unknown aggregate share"));
      if (job.deleted()) {
        throw ProblemException.gone("the aggregate share was deleted");
      }
      return job.response();
    });
  }

  /**
   * {@code DELETE} of a DAP-18 aggregate share (§4.6.3.1 "Aggregate Share Deletion"): the share
   * answers no further request; what replay and double-collection checks need (the batches'
   * collected marks and query counts) stays.
   */
  public void delete(Task task, byte[] shareId) {
    datastore.inTransaction("helper-delete-share", tx -> {
      if (!tx.aggregateShareJobs().markDeleted(task.id(), shareId)) {
        throw ProblemException.notFound("unknown aggregate share");
      }
      return null;
    });
  }

  private byte[] answer(Task task, ShareRequest req, Optional<byte[]> shareId) {
    TaskId taskId = task.id();
    byte[] aggParam = req.aggParam();
    DapVdaf vdaf = task.dapVdaf();
    HelperAggregator.checkAggregationParameter(task, vdaf, aggParam);
    byte[] selector = req.selector();
    List<byte[]> ids = req.batches();
    Optional<BatchId> fixed = req.fixed();
    HpkeSealer sealer;
    try {
      sealer = Hpke.sealer(task.collectorHpkeConfig());
    } catch (HpkeException e) {
      throw new IllegalStateException("the task's collector HPKE config is unusable", e);
    }

    return datastore.inTransaction("helper-aggregate-share", tx -> {
      // §4.6.3: identical requests get identical answers and count one query.
      Optional<ShareJob> earlier = tx.aggregateShareJobs().get(taskId, selector, aggParam);
      if (earlier.isPresent()) {
        ShareJob job = earlier.get();
        if (shareId.isPresent() && !Arrays.equals(job.shareId(), shareId.get())) {
          // DAP-18 §4.6.3: another request (its AAD binds the whole collection job request)
          // for a batch collected already.
          throw HelperErrors.of(task, DapProblemType.BATCH_OVERLAP,
              "the batch was collected with this aggregation parameter by another request");
        }
        if (job.deleted()) {
          throw ProblemException.gone("the aggregate share was deleted");
        }
        checkMatch(task, req, job.reportCount(), job.checksum());
        return job.response();
      }

      // §4.6.6.1 (fixed-size boundary check): the batch id came in an aggregation job.
      if (fixed.isPresent() && !tx.helperJobs().batchIdUsed(taskId, fixed.get())) {
        throw HelperErrors.of(task, DapProblemType.BATCH_INVALID,
            "no aggregation job named batch " + fixed.get());
      }

      // §4.6.5.2, §4.6.6.2: size check on the helper's own count.
      Contents contents = tx.helperBatches().read(taskId, ids, vdaf, aggParam);
      if (contents.reportCount() < task.minBatchSize()) {
        throw HelperErrors.of(task, DapProblemType.INVALID_BATCH_SIZE, "the batch holds "
            + contents.reportCount() + " reports, fewer than " + task.minBatchSize());
      }
      if (fixed.isPresent() && task.maxBatchSize().isPresent()
          && contents.reportCount() > task.maxBatchSize().get()) {
        throw HelperErrors.of(task, DapProblemType.INVALID_BATCH_SIZE, "the batch holds "
            + contents.reportCount() + " reports, more than " + task.maxBatchSize().get());
      }

      // §4.6.5: query count, then overlap with the batches of earlier queries.
      Map<ByteBuffer, Long> queried = tx.batchQueries().counts(taskId, ids);
      for (long count : queried.values()) {
        if (count + 1 > task.maxBatchQueryCount()) {
          throw HelperErrors.of(task, DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES,
              "the batch was queried " + count + " times; the task allows "
                  + task.maxBatchQueryCount());
        }
      }
      if (!queried.isEmpty()) {
        // Earlier answers to this very selector (other parameters) counted each of its buckets
        // once; a bucket counted more often was in a query of another selector too.
        long sameSelector = tx.aggregateShareJobs().countForSelector(taskId, selector);
        Map<ByteBuffer, Long> nonEmpty = tx.helperBatches().reportCounts(taskId, ids);
        for (Map.Entry<ByteBuffer, Long> q : queried.entrySet()) {
          ByteBuffer b = q.getKey();
          if (q.getValue() > sameSelector && nonEmpty.containsKey(b)) {
            throw HelperErrors.of(task, DapProblemType.BATCH_OVERLAP,
                "the query includes reports collected in another batch");
          }
        }
      }

      // §4.6.3: the leader and the helper must agree on the reports.
      checkMatch(task, req, contents.reportCount(), contents.checksum());

      // §4.6.4 (DAP-18 §4.6.7): seal the aggregate share to the collector.
      HpkeCiphertext sealed = sealer.seal(req.info(),
          vdaf.encodeAggregateShare(noise.apply(task, vdaf, contents.share(),
              "batch " + req.selectorText())), req.aad());
      byte[] response = new AggregateShare(sealed).encode();

      tx.batchQueries().increment(taskId, ids);
      tx.helperBatches().markCollected(taskId, ids, aggParam);
      tx.aggregateShareJobs().put(taskId, selector, aggParam, new ShareJob(
          contents.reportCount(), contents.checksum(), response, shareId.orElse(null), false));
      return response;
    });
  }

  private static void checkMatch(Task task, ShareRequest req, long count,
      byte[] checksum) {
    boolean sameChecksum = MessageDigest.isEqual(req.checksum().bytes(), checksum);
    if (req.reportCount() != count || !sameChecksum) {
      throw HelperErrors.of(task, DapProblemType.BATCH_MISMATCH, "the leader counts "
          + req.reportCount() + " reports, the helper " + count + "; the checksums "
          + (sameChecksum ? "agree" : "differ"));
    }
  }

  /**
   * §4.6.5.1: the interval must start and end on time-precision boundaries and be at least one
   * time precision long; its batches are its buckets.
   */
  static List<byte[]> buckets(Task task, Interval interval) {
    long start = interval.start().seconds();
    long duration = interval.duration().seconds();
    return buckets(task, start, duration, interval.toString());
  }

  /** {@link #buckets} of an interval in seconds. */
  private static List<byte[]> buckets(Task task, long start, long duration, String interval) {
    long precision = task.timePrecision().seconds();
    if (duration < precision || start % precision != 0 || duration % precision != 0) {
      throw HelperErrors.of(task, DapProblemType.BATCH_INVALID, "batch interval "
          + interval + " is not aligned to the time precision " + precision + " s");
    }
    long n = duration / precision;
    if (n > MAX_BUCKETS) {
      throw HelperErrors.of(task, DapProblemType.BATCH_INVALID, "batch interval "
          + interval + " spans more than " + MAX_BUCKETS + " time-precision buckets");
    }
    List<byte[]> out = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      out.add(BatchAggregationStore.intervalIdentifier(start + i * precision));
    }
    return out;
  }

  private static ShareRequest decode(Task task, byte[] body) {
    AggregateShareReq<?> req;
    try {
      req = task.queryType() == Task.QueryKind.TIME_INTERVAL
          ? AggregateShareReq.decode(body, QueryType.TIME_INTERVAL)
          : AggregateShareReq.decode(body, QueryType.FIXED_SIZE);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(task.id(), "malformed AggregateShareReq: "
          + e.getMessage());
    }
    List<byte[]> batches = new ArrayList<>();
    Optional<BatchId> batchId = Optional.empty();
    if (req.batchSelector() instanceof BatchSelector.TimeInterval ti) {
      batches = buckets(task, ti.batchInterval());
    } else if (req.batchSelector() instanceof BatchSelector.FixedSize fs) {
      batchId = Optional.of(fs.batchId());
      batches.add(fs.batchId().bytes());
    }
    return new ShareRequest(req.aggregationParameter(), req.batchSelector().encode(),
        req.batchSelector().toString(), batches, batchId, req.reportCount(), req.checksum(),
        aad(task.id(), req.aggregationParameter(), req.batchSelector()),
        ApplicationInfo.aggregateShare(Role.HELPER));
  }

  /**
   * DAP-18 §4.6.3: the request decodes; its batch selector's and query's batch mode are the
   * task's ({@code invalidMessage}); a time-interval selector lies within the query's interval
   * ({@code batchInvalid}, §5.1.2); the collection job extensions are strictly increasing ({@code
   * invalidExtension}) and recognized ({@code unsupportedExtension}: this helper knows none,
   * §4.6.1.1). The selector's interval counts time_precision units; its buckets are the same
   * seconds buckets as DAP-09's.
   */
  private static ShareRequest decode18(Task task, byte[] body) {
    TaskId taskId = task.id();
    io.pando.dap.messages.dap18.AggregateShareReq req;
    try {
      req = io.pando.dap.messages.dap18.AggregateShareReq.decode(body);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(taskId, "malformed AggregateShareReq: "
          + e.getMessage());
    }
    TaskConfiguration configuration = task.dap18().orElseThrow().configuration();
    BatchMode mode = configuration.batchMode();
    io.pando.dap.messages.dap18.BatchSelector selector = req.batchSelector();
    CollectionJobReq collection = req.collectionJobReq();
    if (selector.batchMode() != mode || collection.query().batchMode() != mode) {
      throw HelperErrors.invalidMessage(taskId, "the request's batch mode is not the task's "
          + mode.draftName());
    }
    if (!CollectionJobExtension.strictlyIncreasing(collection.extensions())) {
      throw HelperErrors.of(task, DapProblemType.INVALID_EXTENSION,
          "collection job extensions are not in strictly increasing order");
    }
    if (!collection.extensions().isEmpty()) {
      throw HelperErrors.of(task, DapProblemType.UNSUPPORTED_EXTENSION,
          "unsupported collection job extension " + collection.extensions().get(0));
    }
    List<byte[]> batches;
    Optional<BatchId> batchId = Optional.empty();
    if (mode == BatchMode.TIME_INTERVAL) {
      io.pando.dap.messages.dap18.Interval interval = selector.batchInterval();
      if (!collection.query().batchInterval().contains(interval)) {
        throw HelperErrors.of(task, DapProblemType.BATCH_INVALID, "the batch selector's interval "
            + interval + " is not within the query's " + collection.query().batchInterval());
      }
      TimePrecision precision = configuration.timePrecision();
      long start;
      long duration;
      try {
        start = interval.start().toSeconds(precision);
        duration = interval.duration().toSeconds(precision);
        Math.addExact(start, duration);
      } catch (ArithmeticException e) {
        throw HelperErrors.of(task, DapProblemType.BATCH_INVALID,
            "batch interval " + interval + " is out of range");
      }
      batches = buckets(task, start, duration, interval.toString());
    } else {
      batchId = Optional.of(selector.batchId());
      batches = List.of(selector.batchId().bytes());
    }
    return new ShareRequest(collection.aggregationParameter(), selector.encode(),
        selector.toString(), batches, batchId, req.reportCount(), req.checksum(),
        new io.pando.dap.messages.dap18.AggregateShareAad(taskId, configuration, collection)
            .encode(),
        ApplicationInfo.aggregateShare(task.dapVersion(), Role.HELPER));
  }

  private static <Q extends QueryType> byte[] aad(TaskId taskId, byte[] aggParam,
      BatchSelector<Q> selector) {
    return new AggregateShareAad<>(taskId, aggParam, selector).encode();
  }
}
