package io.pando.aggregator.leader;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.BatchAggregationStore.BatchAggregate;
import io.pando.aggregator.datastore.CollectionJobStore;
import io.pando.aggregator.datastore.CollectionJobStore.Job;
import io.pando.aggregator.datastore.CollectionJobStore.Recorded;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.dp.ShareNoise;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.jobs.JobHandler;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.jobs.Lease;
import io.pando.aggregator.jobs.StepResult;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.dap.messages.AggregateShare;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.AggregateShareReq;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The leader's collection job driver (DAP-09 §4.6). A leased job in state START:
 *
 * <ol>
 *   <li>resolves its batch: the time-precision buckets of a time-interval query, the batch id of
 *       a {@code by_batch_id} query, or for {@code current_batch} the oldest filled fixed-size
 *       batch no collection job is associated with yet (§4.1.2);
 *   <li>waits ({@link StepResult.Wait}, {@code pando.collection.wait-interval}; waiting uses up
 *       no attempt) while an aggregation job that may hold reports of the batch is unfinished or
 *       reports of it are not yet in a job (§4.6.1: "the Leader MUST first complete the
 *       aggregation job"), and while the batch holds fewer than {@code min_batch_size} reports
 *       (§4.6.6: "Leaders SHOULD wait");
 *   <li>in one transaction guarded by the lease token: validates the batch again (query count,
 *       overlap, {@code max_batch_size}) and fails the job with the problem if it is refused;
 *       else counts the query ({@code batch_queries}), marks the batches collected (no report
 *       can join them any more), reads the leader's aggregate share, report count, checksum and
 *       the smallest time-precision-aligned interval holding the reports' times, seals the share
 *       to the collector (§4.6.5), noised first when the task has a DP strategy ({@link
 *       ShareNoise}), and stores it all: the job is COLLECTABLE. Only the stored share is ever
 *       released, so a retried step never draws noise again.
 * </ol>
 *
 * A COLLECTABLE job sends the {@code AggregateShareReq} to the helper (§4.6.2), built from the
 * stored job alone, so that a retry after a crash sends the identical request, which the helper
 * answers idempotently; the helper's share makes the job FINISHED. No answer, 408, 429 or 5xx:
 * retried with backoff (honouring {@code Retry-After}) for as long as the task lives. A refusal
 * with a batch problem type ({@code batchMismatch}, {@code batchInvalid}, {@code
 * invalidBatchSize}, {@code batchQueriedTooManyTimes}, {@code batchOverlap}) fails the job with
 * that problem for the collector and releases its reservation: the query no longer counts
 * towards {@code max_batch_query_count} nor for the overlap check, so the batch can be queried
 * again. Any other refusal (401, 403, {@code unrecognizedTask}, ...) parks the job for an
 * operator; it keeps its reservation and finishes once the helper answers.
 *
 * <p>A DAP-18 task's job (draft-ietf-ppm-dap-18 §4.6) takes the same steps on its query in
 * seconds ({@link Dap18Collection}); its leader share is sealed with the "dap-18 aggregate share"
 * info and the {@code AggregateShareAad} of the task configuration and the collector's request
 * (§4.6.7), and the helper is sent the DAP-18 {@code AggregateShareReq} (§4.6.4, {@link
 * HelperClient#postDap18AggregateShare}, which polls a deferred answer).
 *
 * <p>Metrics: {@code pando_collection_jobs_total{outcome}} ({@link CollectionMetrics}).
 */
@ApplicationScoped
public class CollectionJobDriver implements JobHandler {
  private static final Logger LOG = Logger.getLogger(CollectionJobDriver.class);
  private static final byte[] NO_AGG_PARAM = new byte[0];
  private static final Set<DapProblemType> PASSED_ON = EnumSet.of(DapProblemType.BATCH_INVALID,
      DapProblemType.INVALID_BATCH_SIZE, DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES,
      DapProblemType.BATCH_MISMATCH, DapProblemType.BATCH_OVERLAP);

  private final Datastore datastore;
  private final TaskService tasks;
  private final HelperClient helper;
  private final CollectionMetrics metrics;
  private final Duration wait;
  private final ShareNoise noise;
  private final io.pando.aggregator.jobs.JobBus bus;
  private final int maxJobSize;

  @Inject
  public CollectionJobDriver(Datastore datastore, TaskService tasks, HelperClient helper,
      CollectionMetrics metrics, PandoConfig config, ShareNoise noise,
      io.pando.aggregator.jobs.JobBus bus) {
    this.noise = noise;
    this.bus = bus;
    this.maxJobSize = Math.max(1, config.aggregation().maxJobSize());
    this.datastore = datastore;
    this.tasks = tasks;
    this.helper = helper;
    this.metrics = metrics;
    this.wait = config.collection().waitInterval();
  }

  @Override
  public JobKind kind() {
    return JobKind.COLLECTION;
  }

  /** What the transaction deciding a START job found. */
  private sealed interface Decision {
    record Lost(StepResult result) implements Decision {}

    record Waiting(String reason, List<JobKey> created) implements Decision {
      Waiting(String reason) {
        this(reason, List.of());
      }
    }

    record Failed(DapProblemType type, String detail) implements Decision {}

    record Collectable(Job job) implements Decision {}
  }

  @Override
  public StepResult step(Lease lease) {
    JobKey key = lease.job();
    Optional<Task> found = tasks.get(key.taskId()).filter(Task::isLeader);
    if (found.isEmpty()) {
      return new StepResult.Park("task " + key.taskId() + " is not a leader task here");
    }
    Task task = found.get();
    Optional<Job> loaded = datastore.inTransaction("load-collection-job",
        tx -> tx.collectionJobs().get(task.id(), key.jobId()));
    if (loaded.isEmpty()) {
      return new StepResult.Done("gone");
    }
    Job job = loaded.get();
    if (CollectionJobStore.START.equals(job.state())) {
      Decision d = datastore.inTransaction("collect-batch", tx -> decide(tx, lease, task));
      if (d instanceof Decision.Lost lost) {
        return lost.result();
      }
      if (d instanceof Decision.Waiting w) {
        for (JobKey created : w.created()) {
          bus.announce(JobKind.AGGREGATION, created, "collection");
        }
        return new StepResult.Wait(wait, w.reason());
      }
      if (d instanceof Decision.Failed f) {
        LOG.infof("collection job %s failed: %s: %s", key, f.type().token(), f.detail());
        metrics.job("failed");
        return new StepResult.Done("failed");
      }
      job = ((Decision.Collectable) d).job();
    } else if (!CollectionJobStore.COLLECTABLE.equals(job.state())) {
      return new StepResult.Done("gone");
    }
    return requestHelperShare(lease, task, job);
  }

  /** Resolves, waits for, validates and records the batch of a START job (see class doc). */
  private Decision decide(Tx tx, Lease lease, Task task) {
    JobKey key = lease.job();
    if (!tx.leases().holds(JobKind.COLLECTION.table(), key, lease.token())) {
      return new Decision.Lost(lost(tx, key));
    }
    Job job = tx.collectionJobs().get(task.id(), key.jobId()).orElseThrow();
    if (!CollectionJobStore.START.equals(job.state())) {
      return new Decision.Collectable(job);
    }
    Query<?> query = query(task, job);
    DapVdaf vdaf = task.dapVdaf();
    byte[] aggParam = vdaf.takesAggregationParameter()
        ? tx.collectionJobs().aggregationParam(task.id(), key.jobId()).orElseThrow()
        : NO_AGG_PARAM;
    List<byte[]> batches;
    BatchSelector<?> selector;
    Optional<Interval> interval = Optional.empty();
    try {
      if (query instanceof Query.TimeInterval ti) {
        interval = Optional.of(ti.batchInterval());
        batches = BatchValidation.buckets(task, ti.batchInterval());
        selector = BatchSelector.timeInterval(ti.batchInterval());
        long start = ti.batchInterval().start().seconds();
        long end = ti.batchInterval().end().seconds();
        if (vdaf.takesAggregationParameter()) {
          // The batch's reports are aggregated now, under the collection's parameter.
          List<JobKey> created = CollectionAggregation.createJobs(tx, task, aggParam, start,
              end, maxJobSize);
          if (!created.isEmpty()) {
            return new Decision.Waiting("created " + created.size()
                + " aggregation jobs for the parameter", created);
          }
        }
        if (tx.aggregationJobs().inProgressOverlapping(task.id(), start, end)) {
          return new Decision.Waiting("aggregation jobs of the interval are running");
        }
        if (!vdaf.takesAggregationParameter()
            && tx.reports().anyUnaggregated(task.id(), start, end)) {
          return new Decision.Waiting("reports of the interval wait for aggregation");
        }
      } else {
        BatchId batch;
        if (job.batchIdentifier() == null) {
          Optional<BatchId> picked = tx.collectionJobs().pickFilledBatch(task.id());
          if (picked.isEmpty()) {
            return new Decision.Waiting("no filled batch to collect");
          }
          batch = picked.get();
          tx.collectionJobs().setBatch(task.id(), key.jobId(), batch);
        } else {
          batch = BatchId.of(job.batchIdentifier());
        }
        batches = List.of(batch.bytes());
        selector = BatchSelector.fixedSize(batch);
        if (tx.aggregationJobs().inProgressInBatch(task.id(), batch)) {
          return new Decision.Waiting("aggregation jobs of the batch are running");
        }
      }
      BatchAggregate aggregate = aggParam.length == 0
          ? tx.batchAggregations().read(task.id(), batches, vdaf)
          : tx.batchAggregations().read(task.id(), batches, vdaf, aggParam);
      if (aggregate.reportCount() < task.minBatchSize()) {
        return new Decision.Waiting("the batch holds " + aggregate.reportCount()
            + " reports, fewer than " + task.minBatchSize());
      }
      if (task.queryType() == Task.QueryKind.FIXED_SIZE && task.maxBatchSize().isPresent()
          && aggregate.reportCount() > task.maxBatchSize().get()) {
        throw new DapException(DapProblemType.INVALID_BATCH_SIZE, task.id(), "the batch holds "
            + aggregate.reportCount() + " reports, more than " + task.maxBatchSize().get());
      }
      BatchValidation.checkQueryCount(tx, task, batches);
      if (interval.isPresent()) {
        BatchValidation.checkOverlap(tx, task, key.jobId(), interval.get());
      }

      tx.batchQueries().increment(task.id(), batches);
      if (aggParam.length == 0) {
        tx.batchAggregations().markCollected(task.id(), batches, vdaf);
      } else {
        tx.batchAggregations().markCollected(task.id(), batches, vdaf, aggParam);
      }
      Interval reports = reportsInterval(task, aggregate);
      Recorded recorded = new Recorded(aggregate.reportCount(), aggregate.checksum(),
          reports.start().seconds(), reports.duration().seconds(),
          seal(task, job, selector, aggParam, vdaf.encodeAggregateShare(
              noise.apply(task, vdaf, aggregate.share(), "collection job " + key))));
      tx.collectionJobs().record(task.id(), key.jobId(), recorded);
      return new Decision.Collectable(tx.collectionJobs().get(task.id(), key.jobId())
          .orElseThrow());
    } catch (DapException e) {
      tx.collectionJobs().fail(task.id(), key.jobId(), e.type().httpStatus(), e.type().uri(),
          e.getMessage());
      return new Decision.Failed(e.type(), e.getMessage());
    }
  }

  /** Why a transaction found the lease gone: the collector deleted the job, or a takeover. */
  private static StepResult lost(Tx tx, JobKey key) {
    boolean deleted = tx.collectionJobs().get(key.taskId(), key.jobId())
        .map(j -> CollectionJobStore.DELETED.equals(j.state())).orElse(true);
    return deleted ? new StepResult.Done("deleted") : new StepResult.LostLease();
  }

  /** Sends the AggregateShareReq of a COLLECTABLE job and stores the outcome. */
  private StepResult requestHelperShare(Lease lease, Task task, Job job) {
    JobKey key = lease.job();
    byte[] aggParam = task.dapVdaf().takesAggregationParameter()
        ? datastore.inTransaction("load-collection-param", tx -> tx.collectionJobs()
            .aggregationParam(task.id(), key.jobId()).orElseThrow())
        : NO_AGG_PARAM;
    // DAP-18 §4.6.4: the AggregateShareReq repeats the collector's request.
    HelperClient.Response resp = task.isDap18()
        ? helper.postDap18AggregateShare(task, Dap18Collection.aggregateShareReq(task, job))
        : helper.postAggregateShare(task, aggregateShareReq(task, job, aggParam));
    if (resp instanceof HelperClient.Response.Transient t) {
      return new StepResult.Retry(t.retryAfter(), t.reason());
    }
    if (resp instanceof HelperClient.Response.Refused r) {
      String detail = "the helper refused the aggregate share request (HTTP " + r.status()
          + r.type().map(t -> ", " + t.token()).orElse("") + "): " + r.detail();
      if (r.type().isEmpty() || !PASSED_ON.contains(r.type().get())) {
        return new StepResult.Park(AggregationJobDriver.refusal(r));
      }
      LOG.warnf("collection job %s failed: %s", key, detail);
      DapProblemType type = r.type().get();
      return write(lease, "fail-collection-job", tx -> {
        tx.collectionJobs().fail(task.id(), key.jobId(), type.httpStatus(), type.uri(), detail);
        releaseReservation(tx, task, job);
      }, "failed");
    }
    byte[] helperShare;
    try {
      helperShare = AggregateShare.decode(((HelperClient.Response.Ok) resp).body())
          .encryptedAggregateShare().encode();
    } catch (DecodeException e) {
      return new StepResult.Retry("the helper's AggregateShare does not decode: "
          + e.getMessage());
    }
    return write(lease, "finish-collection-job",
        tx -> tx.collectionJobs().finish(task.id(), key.jobId(), helperShare), "finished");
  }

  /**
   * Gives back the query a COLLECTABLE job recorded: one query of each of its batches, and its
   * interval for the overlap check (the batches stay marked collected).
   */
  private static void releaseReservation(Tx tx, Task task, Job job) {
    List<byte[]> batches = job.batchIdentifier() != null
        && task.queryType() == Task.QueryKind.FIXED_SIZE
        ? List.of(job.batchIdentifier())
        : BatchValidation.buckets(task, Interval.of(job.batchStart(),
            job.batchEnd() - job.batchStart()));
    tx.batchQueries().release(task.id(), batches);
    tx.collectionJobs().unrecord(task.id(), job.jobId());
  }

  /** A write that ends the job, guarded by the lease token. */
  private StepResult write(Lease lease, String name, Consumer<Tx> body,
      String outcome) {
    StepResult result = datastore.inTransaction(name, tx -> {
      if (!tx.leases().commitStep(JobKind.COLLECTION.table(), lease.job(), lease.token(),
          lease.holder())) {
        return lost(tx, lease.job());
      }
      body.accept(tx);
      return new StepResult.Done(outcome);
    });
    if (result instanceof StepResult.Done d && d.outcome().equals(outcome)) {
      metrics.job(outcome);
    }
    return result;
  }

  /** The job's query, decoded for the task's query type. */
  private static Query<?> query(Task task, Job job) {
    if (task.isDap18()) {
      return Dap18Collection.inSeconds(task, Dap18Collection.request(job));
    }
    try {
      return task.queryType() == Task.QueryKind.FIXED_SIZE
          ? Query.decode(job.query(), QueryType.FIXED_SIZE)
          : Query.decode(job.query(), QueryType.TIME_INTERVAL);
    } catch (DecodeException e) {
      throw new IllegalStateException("stored query does not decode", e);
    }
  }

  /**
   * The AggregateShareReq of a COLLECTABLE job (§4.6.2), from stored values only: the batch
   * selector of the query (or of the picked batch), the empty aggregation parameter, and the
   * report count and checksum recorded with the query.
   */
  static byte[] aggregateShareReq(Task task, Job job) {
    return aggregateShareReq(task, job, NO_AGG_PARAM);
  }

  /** {@link #aggregateShareReq} with the collection's aggregation parameter. */
  static byte[] aggregateShareReq(Task task, Job job, byte[] aggParam) {
    BatchSelector<?> selector = job.batchIdentifier() != null
        && task.queryType() == Task.QueryKind.FIXED_SIZE
        ? BatchSelector.fixedSize(BatchId.of(job.batchIdentifier()))
        : BatchSelector.timeInterval(Interval.of(job.batchStart(),
            job.batchEnd() - job.batchStart()));
    return encodeReq(selector, aggParam, job.reportCount(), ReportIdChecksum.of(job.checksum()));
  }

  private static <Q extends QueryType> byte[] encodeReq(BatchSelector<Q> selector,
      byte[] aggParam, long count, ReportIdChecksum checksum) {
    return new AggregateShareReq<>(selector, aggParam, count, checksum).encode();
  }

  /**
   * The smallest interval whose start and duration are multiples of the time precision and that
   * holds the times of all the batch's reports (§4.6.1, {@code Collection.interval}); empty for
   * an empty batch.
   */
  static Interval reportsInterval(Task task, BatchAggregate aggregate) {
    if (aggregate.reportCount() == 0) {
      return Interval.of(0, 0);
    }
    long p = task.timePrecision().seconds();
    long start = Math.floorDiv(aggregate.minClientTimestamp(), p) * p;
    long end = Math.floorDiv(aggregate.maxClientTimestamp(), p) * p + p;
    return Interval.of(start, end - start);
  }

  /**
   * Seals the leader's aggregate share to the collector (§4.6.5; DAP-18 §4.6.7: the "dap-18
   * aggregate share" info and the {@code AggregateShareAad} of the task configuration and the
   * collector's request).
   */
  private static byte[] seal(Task task, Job job, BatchSelector<?> selector, byte[] aggParam,
      byte[] share) {
    try {
      HpkeCiphertext sealed = Hpke.sealer(task.collectorHpkeConfig()).seal(
          ApplicationInfo.aggregateShare(task.dapVersion(), Role.LEADER), share,
          task.isDap18() ? Dap18Collection.aad(task, Dap18Collection.request(job))
              : aad(task.id(), aggParam, selector));
      return sealed.encode();
    } catch (HpkeException e) {
      throw new IllegalStateException("the task's collector HPKE config is unusable", e);
    }
  }

  private static <Q extends QueryType> byte[] aad(TaskId task, byte[] aggParam,
      BatchSelector<Q> selector) {
    return new AggregateShareAad<>(task, aggParam, selector).encode();
  }
}
