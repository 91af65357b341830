package io.pando.aggregator.leader;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.AggregationJobStore;
import io.pando.aggregator.datastore.AggregationJobStore.Completion;
import io.pando.aggregator.datastore.AggregationJobStore.FailedReport;
import io.pando.aggregator.datastore.AggregationJobStore.LeaderJob;
import io.pando.aggregator.datastore.AggregationJobStore.PendingReport;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.jobs.JobHandler;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.jobs.Lease;
import io.pando.aggregator.jobs.StepResult;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.Prio3PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.PrepState;
import io.pando.vdaf.prio3.Prio3;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The leader's aggregation job driver (DAP-09 §4.5.1.1, leader initialization). For a leased
 * job it runs {@code ping_pong_leader_init} on each report (a rejection fails the report with
 * {@code vdaf_prep_error} and leaves it out of the request), sends the {@code
 * AggregationJobInitReq} to the helper, runs {@code ping_pong_leader_continued} on each {@code
 * PrepareResp}, and in one transaction guarded by the lease token adds the output shares to the
 * batch aggregations, ends the report aggregations and the job, and releases the lease. Prio3
 * prepares in one round, so the init exchange is the whole job.
 *
 * <p>The request is a pure function of the stored job (reports in order, deterministic leader
 * init), so a retry after a crash between the helper's answer and the commit sends the identical
 * request, which the helper answers identically (§4.5.1.2).
 *
 * <p>Failures: no answer, 408, 429 or 5xx: retried later with backoff; another 4xx: the helper
 * refused the job, its reports fail and the job is abandoned; an answer whose reports do not
 * match the request (count, ids, order): the job is aborted (§4.5.1.1) in the same way.
 */
@ApplicationScoped
public class AggregationJobDriver implements JobHandler {
  private static final Logger LOG = Logger.getLogger(AggregationJobDriver.class);
  private static final byte[] NO_AGG_PARAM = new byte[0];

  private final Datastore datastore;
  private final TaskService tasks;
  private final HelperClient helper;
  private final AggregationMetrics metrics;
  private final int shards;
  private final Map<JobKey, Integer> abandonedReports = new ConcurrentHashMap<>();

  @Inject
  public AggregationJobDriver(Datastore datastore, TaskService tasks, HelperClient helper,
      AggregationMetrics metrics, PandoConfig config) {
    this.datastore = datastore;
    this.tasks = tasks;
    this.helper = helper;
    this.metrics = metrics;
    this.shards = Math.max(1, config.aggregation().batchAggregationShards());
  }

  @Override
  public JobKind kind() {
    return JobKind.AGGREGATION;
  }

  /** A report prepared for the request: its leader state and its PrepareInit. */
  private record Prepared(PendingReport report, State<PrepState, OutputShare> state,
      PrepareInit init) {}

  /** A report whose preparation finished, with the leader's output share. */
  private record Output(PendingReport report, OutputShare share) {}

  /** The in-memory result of a step, written by {@link #commit}. */
  private static final class Outcome {
    final List<Completion> failures = new ArrayList<>();
    final List<Output> outputs = new ArrayList<>();
    String jobState = AggregationJobStore.JOB_FINISHED;
    String label = "finished";

    void fail(PendingReport r, PrepareError error) {
      failures.add(new Completion(r.ord(), AggregationJobStore.FAILED, error.code()));
    }
  }

  @Override
  public StepResult step(Lease lease) {
    JobKey key = lease.job();
    Optional<Task> found = tasks.get(key.taskId()).filter(Task::isLeader);
    if (found.isEmpty()) {
      return new StepResult.Retry(Optional.empty(), "task " + key.taskId() + " is unknown");
    }
    Task task = found.get();
    Optional<LeaderJob> loaded = datastore.inTransaction("load-aggregation-job",
        tx -> tx.aggregationJobs().load(task.id(), key.jobId()));
    if (loaded.isEmpty()
        || !AggregationJobStore.JOB_IN_PROGRESS.equals(loaded.get().state())) {
      return new StepResult.Done("gone");
    }
    LeaderJob job = loaded.get();
    Prio3<?, ?> vdaf = task.prio3();
    PingPong<PrepState, OutputShare> pingPong = Prio3PingPong.of(vdaf);

    Outcome out = new Outcome();
    List<Prepared> prepared = prepare(task, job, pingPong, out);
    boolean sent = false;
    if (!prepared.isEmpty()) {
      List<PrepareInit> inits = prepared.stream().map(Prepared::init).toList();
      PartialBatchSelector<?> selector = task.queryType() == Task.QueryKind.FIXED_SIZE
          ? PartialBatchSelector.fixedSize(job.batchId().orElseThrow(
              () -> new IllegalStateException("fixed-size job without a batch id")))
          : PartialBatchSelector.timeInterval();
      HelperClient.Response resp = helper.putAggregationJob(task,
          AggregationJobId.of(key.jobId()), encodeInitReq(selector, inits));
      sent = true;
      if (resp instanceof HelperClient.Response.Transient t) {
        return new StepResult.Retry(Optional.empty(), t.reason());
      }
      if (resp instanceof HelperClient.Response.Refused r) {
        LOG.warnf("aggregation job %s: the helper refused it (HTTP %d, %s): %s", key, r.status(),
            r.type().map(DapProblemType::token).orElse("no DAP problem type"), r.detail());
        PrepareError error = errorFor(r.type());
        for (Prepared p : prepared) {
          out.fail(p.report(), error);
        }
        out.jobState = AggregationJobStore.JOB_ABANDONED;
        out.label = "refused";
      } else {
        handleResponse(key, ((HelperClient.Response.Ok) resp).body(), prepared, pingPong, out);
      }
    }
    StepResult result = commit(lease, task, job, out);
    if (result instanceof StepResult.Done && sent) {
      deleteAtHelper(task, key);
    }
    return result;
  }

  private static <Q extends QueryType> byte[] encodeInitReq(PartialBatchSelector<Q> selector,
      List<PrepareInit> inits) {
    return new AggregationJobInitReq<>(NO_AGG_PARAM, selector, inits).encode();
  }

  /** The leader's initialization of every START report, in request order (§4.5.1.1). */
  private List<Prepared> prepare(Task task, LeaderJob job, PingPong<PrepState, OutputShare> pp,
      Outcome out) {
    byte[] verifyKey = task.verifyKey().reveal();
    List<Prepared> prepared = new ArrayList<>(job.reports().size());
    for (PendingReport r : job.reports()) {
      if (!r.hasPayload()) {
        out.fail(r, PrepareError.REPORT_DROPPED);
        continue;
      }
      HpkeCiphertext helperShare;
      try {
        helperShare = HpkeCiphertext.decode(r.helperEncryptedInputShare());
      } catch (DecodeException e) {
        out.fail(r, PrepareError.INVALID_MESSAGE);
        continue;
      }
      PingPong.Transition<PrepState, OutputShare> t = pp.leaderInit(verifyKey, NO_AGG_PARAM,
          r.reportId().bytes(), r.publicShare(), r.leaderInputShare());
      if (!(t.state() instanceof State.Continued) || t.outbound() == null) {
        LOG.debugf("report %s: leader initialization rejected it: %s", r.reportId(), t.state());
        out.fail(r, PrepareError.VDAF_PREP_ERROR);
        continue;
      }
      ReportShare share = new ReportShare(
          new ReportMetadata(r.reportId(), Time.ofSeconds(r.clientTimestamp())),
          r.publicShare(), helperShare);
      prepared.add(new Prepared(r, t.state(), new PrepareInit(share, t.outbound())));
    }
    return prepared;
  }

  /** Maps the helper's AggregationJobResp onto the prepared reports (§4.5.1.1). */
  private void handleResponse(JobKey key, byte[] body, List<Prepared> prepared,
      PingPong<PrepState, OutputShare> pp, Outcome out) {
    List<PrepareResp> resps;
    try {
      resps = AggregationJobResp.decode(body).prepareResps();
    } catch (DecodeException e) {
      abort(key, "the helper's response does not decode: " + e.getMessage(), prepared, out);
      return;
    }
    if (resps.size() != prepared.size()) {
      abort(key, "the helper answered " + resps.size() + " reports for " + prepared.size(),
          prepared, out);
      return;
    }
    for (int i = 0; i < resps.size(); i++) {
      if (!resps.get(i).reportId().equals(prepared.get(i).report().reportId())) {
        abort(key, "the helper's report " + i + " is " + resps.get(i).reportId()
            + ", not " + prepared.get(i).report().reportId(), prepared, out);
        return;
      }
    }
    for (int i = 0; i < resps.size(); i++) {
      Prepared p = prepared.get(i);
      PrepareStepResult result = resps.get(i).result();
      if (result instanceof PrepareStepResult.Continue c) {
        PingPong.Transition<PrepState, OutputShare> t =
            pp.leaderContinued(NO_AGG_PARAM, p.state(), c.payload());
        if (t.state() instanceof State.Finished<PrepState, OutputShare> f && t.outbound() == null) {
          out.outputs.add(new Output(p.report(), f.outputShare()));
        } else {
          LOG.debugf("report %s: leader continuation did not finish: %s", p.report().reportId(),
              t.state());
          out.fail(p.report(), PrepareError.VDAF_PREP_ERROR);
        }
      } else if (result instanceof PrepareStepResult.Reject r) {
        out.fail(p.report(), r.error());
      } else {
        // "finished" answers a continuation, never an initialization.
        out.fail(p.report(), PrepareError.VDAF_PREP_ERROR);
      }
    }
  }

  private static void abort(JobKey key, String why, List<Prepared> prepared, Outcome out) {
    LOG.warnf("aggregation job %s aborted: %s", key, why);
    for (Prepared p : prepared) {
      out.fail(p.report(), PrepareError.INVALID_MESSAGE);
    }
    out.jobState = AggregationJobStore.JOB_ABANDONED;
    out.label = "mismatch";
  }

  /** The PrepareError recorded for reports of a job the helper refused. */
  static PrepareError errorFor(Optional<DapProblemType> type) {
    if (type.isEmpty()) {
      return PrepareError.REPORT_DROPPED;
    }
    return switch (type.get()) {
      case INVALID_MESSAGE -> PrepareError.INVALID_MESSAGE;
      case REPORT_TOO_EARLY -> PrepareError.REPORT_TOO_EARLY;
      case BATCH_OVERLAP, BATCH_QUERIED_TOO_MANY_TIMES -> PrepareError.BATCH_COLLECTED;
      default -> PrepareError.REPORT_DROPPED;
    };
  }

  /** What the commit decided, for metrics after it. */
  private record Tally(Map<String, Long> byOutcome) {}

  /** Writes the step's results in one transaction guarded by the lease token. */
  private StepResult commit(Lease lease, Task task, LeaderJob job, Outcome out) {
    for (int attempt = 1; ; attempt++) {
      try {
        return commitOnce(lease, task, job, out);
      } catch (RuntimeException e) {
        // Two jobs creating the same batch aggregation shard row at once: the loser's insert
        // fails; run the whole transaction again, which then finds the row.
        if (attempt >= 5 || !isConcurrentShardInsert(e)) {
          throw e;
        }
        LOG.debugf("aggregation job %s: concurrent batch aggregation insert, again", lease.job());
      }
    }
  }

  static boolean isConcurrentShardInsert(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        return "23505".equals(pg.getSqlState())
            && String.valueOf(pg.getMessage()).contains("batch_aggregations_pkey");
      }
    }
    return false;
  }

  private StepResult commitOnce(Lease lease, Task task, LeaderJob job, Outcome out) {
    JobKey key = lease.job();
    Prio3<?, ?> vdaf = task.prio3();
    Tally tally = datastore.inTransaction("finish-aggregation-job", tx -> {
      if (!tx.leases().holds(JobKind.AGGREGATION.table(), key, lease.token())) {
        return null;
      }
      List<Completion> completions = new ArrayList<>(out.failures);
      Map<String, Long> byOutcome = new LinkedHashMap<>();
      for (Completion c : out.failures) {
        byOutcome.merge(outcomeOf(c.errorCode()), 1L, Long::sum);
      }
      long finished = 0;
      for (Map.Entry<ByteKey, List<Output>> batch : byBatch(task, job, out.outputs).entrySet()) {
        byte[] identifier = batch.getKey().bytes();
        List<Output> outputs = batch.getValue();
        if (tx.batchAggregations().isCollected(task.id(), identifier)) {
          for (Output o : outputs) {
            completions.add(new Completion(o.report().ord(), AggregationJobStore.FAILED,
                PrepareError.BATCH_COLLECTED.code()));
          }
          byOutcome.merge(AggregationMetrics.outcome(PrepareError.BATCH_COLLECTED),
              (long) outputs.size(), Long::sum);
          continue;
        }
        byte[] checksum = new byte[32];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        List<OutputShare> shares = new ArrayList<>(outputs.size());
        for (Output o : outputs) {
          shares.add(o.share());
          checksum = BatchAggregationStore.xor(checksum, sha256(o.report().reportId()));
          min = Math.min(min, o.report().clientTimestamp());
          max = Math.max(max, o.report().clientTimestamp());
          completions.add(new Completion(o.report().ord(), AggregationJobStore.FINISHED, null));
        }
        tx.batchAggregations().accumulate(task.id(), identifier, shards, vdaf,
            vdaf.aggregate(shares), outputs.size(), checksum, min, max);
        finished += outputs.size();
        byOutcome.merge(AggregationMetrics.SUCCESS, (long) outputs.size(), Long::sum);
      }
      tx.aggregationJobs().complete(task.id(), key.jobId(), completions);
      if (job.batchId().isPresent()) {
        tx.aggregationJobs().batchProgress(task.id(), job.batchId().get(), finished,
            completions.size() - finished, task.minBatchSize());
      }
      for (Map.Entry<String, Long> e : byOutcome.entrySet()) {
        tx.counters().add(task.id(), AggregationMetrics.counter(e.getKey()), e.getValue());
      }
      tx.reports().scrub(task.id(), job.reports().stream().map(PendingReport::reportId).toList());
      tx.leases().close(JobKind.AGGREGATION.table(), key, out.jobState);
      return new Tally(byOutcome);
    });
    if (tally == null) {
      return new StepResult.LostLease();
    }
    metrics.job(out.label);
    metrics.reports(task.id(), tally.byOutcome());
    return new StepResult.Done(out.label);
  }

  private static String outcomeOf(Integer errorCode) {
    return PrepareError.fromCode(errorCode == null ? -1 : errorCode)
        .map(AggregationMetrics::outcome).orElse("unknown");
  }

  /** A byte array usable as a map key. */
  private record ByteKey(ByteBuffer buffer) {
    static ByteKey of(byte[] b) {
      return new ByteKey(ByteBuffer.wrap(b.clone()));
    }

    byte[] bytes() {
      byte[] b = new byte[buffer.remaining()];
      buffer.duplicate().get(b);
      return b;
    }
  }

  /**
   * Output shares by batch identifier (§4.6): the time-precision bucket of the report's time for
   * time-interval tasks, the job's batch id for fixed-size tasks.
   */
  private static Map<ByteKey, List<Output>> byBatch(Task task, LeaderJob job,
      List<Output> outputs) {
    Map<ByteKey, List<Output>> out = new LinkedHashMap<>();
    long precision = task.timePrecision().seconds();
    for (Output o : outputs) {
      byte[] identifier = job.batchId().map(BatchId::bytes).orElseGet(() ->
          BatchAggregationStore.intervalIdentifier(
              Math.floorDiv(o.report().clientTimestamp(), precision) * precision));
      out.computeIfAbsent(ByteKey.of(identifier), k -> new ArrayList<>()).add(o);
    }
    return out;
  }

  private static byte[] sha256(ReportId id) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(id.bytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void deleteAtHelper(Task task, JobKey key) {
    try {
      HelperClient.Response r = helper.deleteAggregationJob(task, AggregationJobId.of(key.jobId()));
      if (!(r instanceof HelperClient.Response.Ok)) {
        LOG.debugf("aggregation job %s: DELETE at the helper: %s", key, r);
      }
    } catch (RuntimeException e) {
      LOG.debugf("aggregation job %s: DELETE at the helper failed: %s", key, e.getMessage());
    }
  }

  @Override
  public void abandoned(Tx tx, JobKey key, int attempts) {
    List<FailedReport> failed = tx.aggregationJobs().failUnfinished(key.taskId(), key.jobId(),
        PrepareError.REPORT_DROPPED.code());
    Optional<BatchId> batch = tx.aggregationJobs().batchOf(key.taskId(), key.jobId());
    if (batch.isPresent() && !failed.isEmpty()) {
      long minBatch = tasks.get(key.taskId()).map(Task::minBatchSize).orElse(Long.MAX_VALUE);
      tx.aggregationJobs().batchProgress(key.taskId(), batch.get(), 0, failed.size(), minBatch);
    }
    tx.counters().add(key.taskId(), AggregationMetrics.counter(AggregationMetrics.ABANDONED),
        failed.size());
    tx.reports().scrub(key.taskId(), failed.stream().map(FailedReport::reportId).toList());
    abandonedReports.put(key, failed.size());
  }

  @Override
  public void afterAbandoned(JobKey key) {
    Integer n = abandonedReports.remove(key);
    metrics.job("abandoned");
    metrics.reports(key.taskId(), Map.of(AggregationMetrics.ABANDONED, n == null ? 0L : n));
    tasks.get(key.taskId()).filter(Task::isLeader).ifPresent(t -> deleteAtHelper(t, key));
  }
}
