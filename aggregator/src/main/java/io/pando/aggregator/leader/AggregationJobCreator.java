package io.pando.aggregator.leader;

import io.opentelemetry.api.common.AttributeKey;
import io.pando.aggregator.tracing.Tracing;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.AggregationJobStore;
import io.pando.aggregator.datastore.AggregationJobStore.NewJob;
import io.pando.aggregator.datastore.AggregationJobStore.NewReportAggregation;
import io.pando.aggregator.datastore.AggregationJobStore.OutstandingBatch;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.datastore.ReportStore.UnaggregatedReport;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.jobs.JobBus;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.jobs.JobsEnabled;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.ReportId;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The leader's aggregation job creator (DAP-09 §4.5.1.1, "the Leader begins an aggregation job
 * by choosing a set of candidate reports"). Every {@code pando.aggregation.creation-interval},
 * for each leader task, it claims unaggregated reports ({@code FOR UPDATE SKIP LOCKED}, so
 * replicas never claim the same report), groups them into jobs of at most {@code max-job-size}
 * and at least {@code min-job-size} reports (smaller once reports have waited {@code
 * pando.leader.stale-after-intervals} intervals), writes the jobs with their report aggregations
 * in the same transaction, and announces the jobs on the dispatch bus after the commit.
 *
 * <p>Time-interval tasks: a job takes reports in client-time order and may span several
 * time-precision buckets. A report whose bucket was already collected is failed with {@code
 * batch_collected} (§4.5.1.4) instead of aggregated. The transaction writes the guard row of
 * each bucket it puts reports of into a job ({@link BatchAggregationStore#guard}), so a
 * collection marking the bucket collected at the same time either sees the new job (and waits
 * for it) or makes this transaction run again (and the reports fail as collected).
 *
 * <p>Fixed-size tasks (§4.1.2): every job belongs to one batch (its PartialBatchSelector names
 * the batch id). Reports fill the outstanding batches fullest first, up to {@code
 * max_batch_size}, or {@code min_batch_size} when the task has no maximum (the leader aims for
 * batches of exactly {@code min_batch_size}); new batches are opened with fresh random ids.
 *
 * <p>Tasks whose VDAF takes an aggregation parameter (Poplar1) get no jobs here: their reports
 * are aggregated when a collection job names the parameter.
 */
@ApplicationScoped
public class AggregationJobCreator {
  private static final AttributeKey<Long> JOBS = AttributeKey.longKey("pando.jobs_created");
  private static final AttributeKey<Long> REPORTS = AttributeKey.longKey("pando.reports_placed");
  private static final AttributeKey<List<String>> JOB_IDS =
      AttributeKey.stringArrayKey("dap.job_ids");
  private static final Logger LOG = Logger.getLogger(AggregationJobCreator.class);
  private static final int MAX_ROUNDS = 16;

  private final Datastore datastore;
  private final TaskService tasks;
  private final JobBus bus;
  private final AggregationMetrics metrics;
  private final int minJobSize;
  private final int maxJobSize;
  private final Duration staleAfter;
  private final JobsEnabled enabled;

  private final Tracing tracing;

  @Inject
  public AggregationJobCreator(Datastore datastore, TaskService tasks, JobBus bus,
      AggregationMetrics metrics, PandoConfig config, LeaderConfig leader, JobsEnabled enabled,
      Tracing tracing) {
    this.datastore = datastore;
    this.tracing = tracing;
    this.enabled = enabled;
    this.tasks = tasks;
    this.bus = bus;
    this.metrics = metrics;
    this.minJobSize = Math.max(1, config.aggregation().minJobSize());
    this.maxJobSize = Math.max(minJobSize, config.aggregation().maxJobSize());
    this.staleAfter = config.aggregation().creationInterval()
        .multipliedBy(Math.max(0, leader.staleAfterIntervals()));
  }

  @Scheduled(identity = "pando-aggregation-job-creator",
      every = "${pando.aggregation.creation-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = JobsEnabled.class)
  void scheduled() {
    if (!enabled.enabled(JobKind.AGGREGATION)) {
      return;
    }
    List<Task> leaderTasks;
    try {
      // DAP-18 tasks too (draft-ietf-ppm-dap-18 §4.5): time_interval is planned as DAP-09's
      // time-interval, leader_selected as fixed-size (the leader cuts the batches, §5.2).
      leaderTasks = tasks.all().stream().filter(Task::isLeader).toList();
    } catch (RuntimeException e) {
      LOG.warnf("aggregation job creator: listing tasks failed: %s", e.getMessage());
      return;
    }
    for (Task task : leaderTasks) {
      try {
        createAndAnnounce(task);
      } catch (RuntimeException e) {
        LOG.warnf(e, "aggregation job creator: task %s failed", task.id());
      }
    }
  }

  /** Creates the jobs the task's unaggregated reports allow and announces them. */
  public List<JobKey> createAndAnnounce(Task task) {
    List<JobKey> jobs = createJobs(task);
    for (JobKey job : jobs) {
      bus.announce(JobKind.AGGREGATION, job, "created");
    }
    return jobs;
  }

  /**
   * Creates the jobs the task's unaggregated reports allow, without announcing them (the sweeper
   * would, one sweep interval later). Returns the jobs that need driving.
   */
  public List<JobKey> createJobs(Task task) {
    if (task.dapVdaf().takesAggregationParameter()) {
      // DAP-09 §4.5.1: a collector's aggregation parameter decides what to aggregate, so these
      // reports wait for a collection job instead.
      return List.of();
    }
    int window = (int) Math.min(50_000L, (long) maxJobSize * 8);
    List<JobKey> out = new ArrayList<>();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Instant start = Instant.now();
      Round r = datastore.inTransaction("create-aggregation-jobs",
          tx -> createRound(task, tx, window));
      if (r.jobs() > 0) {
        traceCreation(task, start, r);
      }
      out.addAll(r.toDrive());
      for (int i = 0; i < r.jobs(); i++) {
        metrics.job("created");
      }
      metrics.reports(task.id(), Map.of(AggregationMetrics.outcome(PrepareError.BATCH_COLLECTED),
          (long) r.collected()));
      if (r.jobs() > 0) {
        LOG.debugf("task %s: created %d aggregation jobs for %d reports", task.id(), r.jobs(),
            r.placed());
      }
      if (r.locked() < window || r.placed() == 0) {
        break;
      }
    }
    return out;
  }

  private record Round(int locked, int placed, int jobs, int collected, List<JobKey> toDrive) {}

  /** A span for a round that created jobs (rounds that create none are not traced). */
  private void traceCreation(Task task, Instant start, Round r) {
    tracing.tracer().spanBuilder("aggregation job creation").setStartTimestamp(start)
        .setAttribute(Tracing.TASK_ID, task.id().toBase64Url())
        .setAttribute(JOBS, (long) r.jobs())
        .setAttribute(REPORTS, (long) r.placed())
        .setAttribute(JOB_IDS, r.toDrive().stream().map(j -> Base64.getUrlEncoder()
            .withoutPadding().encodeToString(j.jobId())).toList())
        .startSpan().end();
  }

  /** A job planned from claimed reports. */
  private record PlannedJob(byte[] id, Optional<BatchId> batch, List<UnaggregatedReport> reports) {}

  private Round createRound(Task task, Tx tx, int window) {
    List<UnaggregatedReport> reports =
        tx.reports().lockUnaggregated(task.id(), window, staleAfter);
    if (reports.isEmpty()) {
      return new Round(0, 0, 0, 0, List.of());
    }
    List<PlannedJob> plan = task.queryType() == Task.QueryKind.FIXED_SIZE
        ? planFixedSize(task, tx, reports)
        : planTimeInterval(reports);

    long precision = task.timePrecision().seconds();
    Map<Long, Boolean> collectedBuckets = new HashMap<>();
    List<ReportId> placed = new ArrayList<>();
    List<ReportId> failed = new ArrayList<>();
    List<JobKey> toDrive = new ArrayList<>();
    for (PlannedJob job : plan) {
      List<NewReportAggregation> ras = new ArrayList<>(job.reports().size());
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      int started = 0;
      for (UnaggregatedReport r : job.reports()) {
        boolean collected = false;
        if (job.batch().isEmpty()) {
          long bucket = Math.floorDiv(r.clientTimestamp(), precision) * precision;
          collected = collectedBuckets.computeIfAbsent(bucket, b -> tx.batchAggregations()
              .isCollected(task.id(), BatchAggregationStore.intervalIdentifier(b)));
        }
        if (collected) {
          ras.add(new NewReportAggregation(ras.size(), r.reportId(), r.clientTimestamp(),
              AggregationJobStore.FAILED, PrepareError.BATCH_COLLECTED.code()));
          failed.add(r.reportId());
        } else {
          ras.add(new NewReportAggregation(ras.size(), r.reportId(), r.clientTimestamp(),
              AggregationJobStore.START, null));
          started++;
        }
        placed.add(r.reportId());
        min = Math.min(min, r.clientTimestamp());
        max = Math.max(max, r.clientTimestamp());
      }
      String state = started > 0 ? AggregationJobStore.JOB_IN_PROGRESS
          : AggregationJobStore.JOB_FINISHED;
      tx.aggregationJobs().insert(task.id(), new NewJob(job.id(), job.batch(), min, max, state),
          ras);
      if (started > 0) {
        toDrive.add(new JobKey(task.id(), job.id()));
      }
    }
    // Fence against a collection marking these buckets collected at the same time (the guard
    // row of BatchAggregationStore): one of the two transactions is then run again.
    for (Map.Entry<Long, Boolean> b : collectedBuckets.entrySet()) {
      if (!b.getValue()) {
        tx.batchAggregations().guard(task.id(),
            BatchAggregationStore.intervalIdentifier(b.getKey()), task.dapVdaf());
      }
    }
    tx.reports().markAggregationStarted(task.id(), placed);
    tx.reports().scrub(task.id(), failed);
    tx.counters().add(task.id(),
        AggregationMetrics.counter(AggregationMetrics.outcome(PrepareError.BATCH_COLLECTED)),
        failed.size());
    return new Round(reports.size(), placed.size(), plan.size(), failed.size(), toDrive);
  }

  private static byte[] newJobId() {
    return AggregationJobId.random().bytes();
  }

  private static boolean anyStale(Iterable<UnaggregatedReport> reports) {
    for (UnaggregatedReport r : reports) {
      if (r.stale()) {
        return true;
      }
    }
    return false;
  }

  /** Consecutive runs of at most max-job-size reports; a short last run waits unless stale. */
  private List<PlannedJob> planTimeInterval(List<UnaggregatedReport> reports) {
    List<PlannedJob> jobs = new ArrayList<>();
    for (int i = 0; i < reports.size(); ) {
      int end = Math.min(reports.size(), i + maxJobSize);
      List<UnaggregatedReport> run = new ArrayList<>(reports.subList(i, end));
      if (run.size() < minJobSize && !anyStale(run)) {
        break;
      }
      jobs.add(new PlannedJob(newJobId(), Optional.empty(), run));
      i = end;
    }
    return jobs;
  }

  /** A batch being filled in this round. */
  private static final class Filling {
    final BatchId id;
    final boolean fresh;
    long assigned;
    long added;

    Filling(BatchId id, boolean fresh, long assigned) {
      this.id = id;
      this.fresh = fresh;
      this.assigned = assigned;
    }
  }

  private List<PlannedJob> planFixedSize(Task task, Tx tx, List<UnaggregatedReport> reports) {
    long minBatch = task.minBatchSize();
    long target = task.maxBatchSize().orElse(minBatch);
    List<Filling> batches = new ArrayList<>();
    for (OutstandingBatch b : tx.aggregationJobs().lockUnfilledBatches(task.id())) {
      if (tx.batchAggregations().isCollected(task.id(), b.batchId().bytes())) {
        tx.aggregationJobs().markFilled(task.id(), b.batchId());
        continue;
      }
      batches.add(new Filling(b.batchId(), false, b.assigned()));
    }
    Deque<UnaggregatedReport> queue = new ArrayDeque<>(reports);
    List<PlannedJob> jobs = new ArrayList<>();
    for (Filling b : batches) {
      fill(b, queue, jobs, minBatch, target);
    }
    while (!queue.isEmpty()) {
      long size = Math.min(Math.min(queue.size(), maxJobSize), target);
      if (size < minJobSize && !anyStale(queue)) {
        break;
      }
      Filling b = new Filling(BatchId.random(), true, 0);
      fill(b, queue, jobs, minBatch, target);
      if (b.added == 0) {
        break;
      }
      batches.add(b);
    }
    for (Filling b : batches) {
      if (b.fresh) {
        tx.aggregationJobs().insertBatch(task.id(), b.id, b.assigned);
      } else if (b.added > 0) {
        tx.aggregationJobs().assign(task.id(), b.id, b.added);
      }
    }
    return jobs;
  }

  /** Adds jobs to one batch while it has room and the reports make a worthwhile job. */
  private void fill(Filling b, Deque<UnaggregatedReport> queue, List<PlannedJob> jobs,
      long minBatch, long target) {
    while (!queue.isEmpty()) {
      long room = target - b.assigned;
      if (room <= 0) {
        return;
      }
      int size = (int) Math.min(Math.min(queue.size(), maxJobSize), room);
      boolean worthwhile = size >= minJobSize
          || size == room
          || (b.assigned < minBatch && b.assigned + size >= minBatch)
          || anyStale(queue);
      if (!worthwhile) {
        return;
      }
      List<UnaggregatedReport> run = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        run.add(queue.removeFirst());
      }
      jobs.add(new PlannedJob(newJobId(), Optional.of(b.id), run));
      b.assigned += size;
      b.added += size;
    }
  }
}
