package io.pando.aggregator.leader;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.AggregationJobStore;
import io.pando.aggregator.datastore.AggregationJobStore.Completion;
import io.pando.aggregator.datastore.AggregationJobStore.LeaderJob;
import io.pando.aggregator.datastore.AggregationJobStore.PendingReport;
import io.pando.aggregator.datastore.BatchAccumulator;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Crypter;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.jobs.JobHandler;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.jobs.Lease;
import io.pando.aggregator.jobs.StepResult;
import io.pando.aggregator.leader.LeaderPreparation.Failure;
import io.pando.aggregator.leader.LeaderPreparation.Initialized;
import io.pando.aggregator.leader.LeaderPreparation.Mapped;
import io.pando.aggregator.leader.LeaderPreparation.Output;
import io.pando.aggregator.leader.LeaderPreparation.Prepared;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.AggregationJobContinueReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.PrepareContinue;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.pingpong.PingPong;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.pando.codec.DecodeException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The leader's aggregation job driver (DAP-09 §4.5.1.1, leader initialization). One step of a
 * leased job goes through five seams:
 *
 * <ol>
 *   <li><b>load</b> the job and its START reports;
 *   <li><b>prepare</b>: {@code ping_pong_leader_init} on each report ({@link LeaderPreparation});
 *       a rejection fails the report with {@code vdaf_prep_error} and leaves it out;
 *   <li><b>exchange</b>: {@code PUT} the {@code AggregationJobInitReq} to the helper;
 *   <li><b>map</b> the {@code AggregationJobResp} onto the reports: {@code
 *       ping_pong_leader_continued} on each {@code PrepareResp};
 *   <li><b>accumulate</b>: in one transaction guarded by the lease token, add the output shares
 *       to the batch aggregations ({@link BatchAccumulator}), end the report aggregations and the
 *       job, scrub the reports' payloads. Prio3 prepares in one round, so the init exchange is
 *       the whole job.
 * </ol>
 *
 * <p>A job of a VDAF with an aggregation parameter (Poplar1, created by {@link
 * CollectionAggregation}) runs under the job's parameter and takes two exchanges in one step:
 * after the init answer the leader has its output shares and a finish message per report, which
 * it {@code POST}s as the step-1 {@code AggregationJobContinueReq} (§4.5.2.1); the helper's
 * "finished" answers let the output shares join the batch's sum under the parameter. The
 * reports keep their shares. Between the two requests the leader keeps each report's output
 * share and finish message, sealed, in its report aggregation (WAITING, job step 1), written
 * under the lease before the continuation is sent; a later step of the job sends the same
 * continuation again, which the helper answers from what it stored.
 *
 * <p>The request is a pure function of the stored job (reports in order, deterministic leader
 * init), so a retry after a crash between the helper's answer and the commit sends the identical
 * request, which the helper answers identically (§4.5.1.2).
 *
 * <p>DAP-18 tasks (draft-ietf-ppm-dap-18 §4.5) go through the same seams; only the edges
 * differ: the VDAF runs under the task's context ({@link Task#vdafContext()}), the messages are
 * DAP-18's ({@link Dap18Messages}), the init request is {@code POST}ed to {@code
 * {helper}/tasks/{task-id}/aggregation_jobs} and the helper's {@code Location} (kept with the
 * job, migration V99) is where the continuation and the {@code DELETE} go; an empty answer
 * ("processing") is polled briefly and otherwise retried as a transient wait ({@link
 * HelperClient#createAggregationJob}).
 *
 * <p>Failures never cost a report that did nothing wrong. No answer, 408, 429 or 5xx: retried
 * with backoff (honouring {@code Retry-After}) for as long as the task lives. A refusal (401,
 * 403, {@code unrecognizedTask}, any other 4xx) or an answer that does not match the request:
 * the job is parked for an operator and tried again later; its reports wait in it.
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
  private final Crypter crypter;

  @Inject
  public AggregationJobDriver(Datastore datastore, TaskService tasks, HelperClient helper,
      AggregationMetrics metrics, PandoConfig config, Crypter crypter) {
    this.crypter = crypter;
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

  @Override
  public StepResult step(Lease lease) {
    JobKey key = lease.job();
    // load
    Optional<Task> found = tasks.get(key.taskId()).filter(Task::isLeader);
    if (found.isEmpty()) {
      return new StepResult.Park("task " + key.taskId() + " is not a leader task here");
    }
    Task task = found.get();
    Optional<LeaderJob> loaded = datastore.inTransaction("load-aggregation-job",
        tx -> tx.aggregationJobs().load(task.id(), key.jobId()));
    if (loaded.isEmpty()
        || !AggregationJobStore.JOB_IN_PROGRESS.equals(loaded.get().state())) {
      return new StepResult.Done("gone");
    }
    LeaderJob job = open(task, loaded.get());
    PingPong<Object, Object> pingPong = task.dapVdaf().pingPong(task.vdafContext());
    byte[] aggParam = task.dapVdaf().takesAggregationParameter()
        ? datastore.inTransaction("load-aggregation-param",
            tx -> tx.aggregationJobs().aggregationParam(task.id(), key.jobId()))
        : NO_AGG_PARAM;

    if (aggParam.length > 0) {
      List<AggregationJobStore.WaitingReport> waiting = datastore.inTransaction(
          "load-waiting-reports", tx -> tx.aggregationJobs().waiting(task.id(), key.jobId()));
      if (!waiting.isEmpty()) {
        // The init exchange was done and its outcome stored: the continuation again.
        Optional<URI> location = task.isDap18()
            ? datastore.inTransaction("load-helper-location",
                tx -> tx.aggregationJobs().helperLocation(task.id(), key.jobId()))
                .map(URI::create)
            : Optional.empty();
        return finishContinuation(lease, task, job, aggParam, List.of(),
            finishing(task, aggParam, waiting), location);
      }
    }

    // prepare
    Initialized init = LeaderPreparation.prepare(task.verifyKey().reveal(), aggParam,
        job.reports(), pingPong);
    List<Failure> failures = new ArrayList<>(init.failures());
    List<Output> outputs = List.of();
    Optional<URI> location = Optional.empty();
    if (!init.prepared().isEmpty()) {
      // exchange: DAP-09 PUTs the job at the id the leader chose; DAP-18 POSTs it and the helper
      // names the job's resource (§4.5.3). Both bodies are a pure function of the stored job.
      HelperClient.Response resp = task.isDap18()
          ? helper.createAggregationJob(task,
              Dap18Messages.initReq(task, job.batchId(), aggParam, init.prepared()))
          : helper.putAggregationJob(task, AggregationJobId.of(key.jobId()),
              initReq(task, job, aggParam, init.prepared()));
      if (resp instanceof HelperClient.Response.Transient t) {
        return new StepResult.Retry(t.retryAfter(), t.reason());
      }
      if (resp instanceof HelperClient.Response.Refused r) {
        metrics.job("parked");
        return new StepResult.Park(refusal(r));
      }
      // map
      HelperClient.Response.Ok ok = (HelperClient.Response.Ok) resp;
      // The resource is the Location without its query: a "processing" Location names the step
      // polled for (DAP-18 §4.5.3.3, "?step=0"), which continuations and DELETE do not take.
      location = ok.location().map(HelperClient::resource);
      Mapped mapped;
      if (task.isDap18()) {
        try {
          mapped = LeaderPreparation.map(Dap18Messages.prepareResps(ok.body()), init.prepared(),
              pingPong, aggParam);
        } catch (DecodeException e) {
          mapped = new Mapped.Mismatch("the helper's response does not decode: "
              + e.getMessage());
        }
      } else {
        mapped = LeaderPreparation.map(ok.body(), init.prepared(), pingPong, aggParam);
      }
      if (mapped instanceof Mapped.Continuing c) {
        failures.addAll(c.failures());
        // Kept before the continuation is sent, under the lease: a later step continues.
        Optional<URI> resource = location;
        boolean kept = datastore.inTransaction("keep-leader-states", tx -> {
          if (!tx.leases().holds(JobKind.AGGREGATION.table(), key, lease.token())) {
            return false;
          }
          resource.ifPresent(l ->
              tx.aggregationJobs().helperLocation(task.id(), key.jobId(), l.toString()));
          java.util.Map<Integer, byte[]> states = new java.util.HashMap<>();
          for (LeaderPreparation.Finishing f : c.finishing()) {
            states.put(f.report().ord(), encodeFinishing(task, f));
          }
          tx.aggregationJobs().waitForContinuation(task.id(), key.jobId(), states);
          return true;
        });
        if (!kept) {
          return new StepResult.LostLease();
        }
        return finishContinuation(lease, task, job, aggParam, failures, c.finishing(),
            location);
      }
      if (mapped instanceof Mapped.Refusal r) {
        metrics.job("parked");
        return new StepResult.Park(refusal(r.refused()));
      }
      if (mapped instanceof Mapped.Mismatch m) {
        metrics.job("parked");
        return new StepResult.Park("the helper's answer does not match the request: " + m.why());
      }
      Mapped.Ended ended = (Mapped.Ended) mapped;
      failures.addAll(ended.failures());
      outputs = ended.outputs();
    }
    // accumulate
    StepResult result = commit(lease, task, job, aggParam, failures, outputs, location);
    if (result instanceof StepResult.Done && !init.prepared().isEmpty()) {
      deleteAtHelper(task, key, location);
    }
    return result;
  }

  /** Sends the continuation, then commits its outcome with the earlier failures. */
  private StepResult finishContinuation(Lease lease, Task task, LeaderJob job, byte[] aggParam,
      List<Failure> failures, List<LeaderPreparation.Finishing> finishing,
      Optional<URI> location) {
    if (task.isDap18() && location.isEmpty()) {
      metrics.job("parked");
      return new StepResult.Park("no helper resource (Location) is known for the job's "
          + "continuation");
    }
    HelperClient.Response resp = continueAtHelper(task, lease.job(), finishing, location);
    if (resp instanceof HelperClient.Response.Transient t) {
      // DAP-18: "processing" or a failure, after the helper's Retry-After if it sent one.
      return task.isDap18()
          ? new StepResult.Retry(t.retryAfter(),
              "the helper did not answer the continuation: " + t.reason())
          : new StepResult.Retry("the helper did not answer the continuation");
    }
    Mapped mapped = resp instanceof HelperClient.Response.Refused r
        ? new Mapped.Refusal(r)
        : mapContinued(task, ((HelperClient.Response.Ok) resp).body(), finishing);
    if (mapped instanceof Mapped.Refusal r) {
      metrics.job("parked");
      return new StepResult.Park(refusal(r.refused()));
    }
    if (mapped instanceof Mapped.Mismatch m) {
      metrics.job("parked");
      return new StepResult.Park("the helper's answer does not match the request: " + m.why());
    }
    Mapped.Ended ended = (Mapped.Ended) mapped;
    List<Failure> all = new ArrayList<>(failures);
    all.addAll(ended.failures());
    StepResult result = commit(lease, task, job, aggParam, all, ended.outputs(), location);
    if (result instanceof StepResult.Done) {
      deleteAtHelper(task, lease.job(), location);
    }
    return result;
  }

  /** The helper's answer to the continuation, mapped onto the reports sent (§4.5.2.1). */
  private static Mapped mapContinued(Task task, byte[] body,
      List<LeaderPreparation.Finishing> sent) {
    if (!task.isDap18()) {
      return LeaderPreparation.mapContinued(body, sent);
    }
    try {
      return LeaderPreparation.mapContinued(Dap18Messages.prepareResps(body), sent);
    } catch (DecodeException e) {
      return new Mapped.Mismatch("the helper's response does not decode: " + e.getMessage());
    }
  }

  /** A finishing report's stored form: its encoded output share, then its finish message. */
  private static byte[] encodeFinishing(Task task, LeaderPreparation.Finishing f) {
    byte[] share = task.dapVdaf().encodeOutputShare(f.share());
    return java.nio.ByteBuffer.allocate(4 + share.length + f.outbound().length)
        .putInt(share.length).put(share).put(f.outbound()).array();
  }

  private static List<LeaderPreparation.Finishing> finishing(Task task, byte[] aggParam,
      List<AggregationJobStore.WaitingReport> waiting) {
    List<LeaderPreparation.Finishing> out = new ArrayList<>(waiting.size());
    for (AggregationJobStore.WaitingReport w : waiting) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(w.prepState());
      byte[] share = new byte[b.getInt()];
      b.get(share);
      byte[] outbound = new byte[b.remaining()];
      b.get(outbound);
      try {
        out.add(new LeaderPreparation.Finishing(new PendingReport(w.ord(), w.reportId(),
            w.clientTimestamp(), null, null, null, false),
            task.dapVdaf().decodeOutputShare(aggParam, share), outbound));
      } catch (io.pando.codec.DecodeException e) {
        throw new IllegalStateException("a stored leader state does not decode", e);
      }
    }
    return out;
  }

  /**
   * Sends the step-1 continuation with the leader's finish messages: DAP-09 to the job's URL,
   * DAP-18 to the resource the helper named (§4.5.4). The same stored states give the same
   * bytes, so a resend after a crash is identical.
   */
  private HelperClient.Response continueAtHelper(Task task, JobKey key,
      List<LeaderPreparation.Finishing> sent, Optional<URI> location) {
    if (task.isDap18()) {
      return helper.continueAggregationJob(task, location.orElseThrow(),
          Dap18Messages.CONTINUE_STEP,
          Dap18Messages.continueReq(sent));
    }
    List<PrepareContinue> continues = new ArrayList<>(sent.size());
    for (LeaderPreparation.Finishing f : sent) {
      continues.add(new PrepareContinue(f.report().reportId(), f.outbound()));
    }
    return helper.postAggregationJob(task, AggregationJobId.of(key.jobId()),
        new AggregationJobContinueReq(AggregationJobStep.of(1), continues).encode());
  }

  /** The job with its reports' leader input shares opened (sealed at rest, migration V60). */
  private LeaderJob open(Task task, LeaderJob job) {
    List<PendingReport> reports = new ArrayList<>(job.reports().size());
    for (PendingReport r : job.reports()) {
      reports.add(!r.leaderInputShareSealed() || r.leaderInputShare() == null ? r
          : new PendingReport(r.ord(), r.reportId(), r.clientTimestamp(), r.publicShare(),
              crypter.openLeaderInputShare(task.id(), r.reportId(), r.leaderInputShare()),
              r.helperEncryptedInputShare(), false));
    }
    return new LeaderJob(job.state(), job.batchId(), reports);
  }

  /** The {@code AggregationJobInitReq} of the prepared reports, in request order. */
  private static byte[] initReq(Task task, LeaderJob job, byte[] aggParam,
      List<Prepared> prepared) {
    List<PrepareInit> inits = prepared.stream().map(Prepared::init).toList();
    PartialBatchSelector<?> selector = task.queryType() == Task.QueryKind.FIXED_SIZE
        ? PartialBatchSelector.fixedSize(job.batchId().orElseThrow(
            () -> new IllegalStateException("fixed-size job without a batch id")))
        : PartialBatchSelector.timeInterval();
    return encodeInitReq(selector, aggParam, inits);
  }

  private static <Q extends QueryType> byte[] encodeInitReq(PartialBatchSelector<Q> selector,
      byte[] aggParam, List<PrepareInit> inits) {
    return new AggregationJobInitReq<>(aggParam, selector, inits).encode();
  }

  /** Why the job is parked after a refusal, for the operator (logs, admin API). */
  static String refusal(HelperClient.Response.Refused r) {
    String type = r.type().map(DapProblemType::token).orElse("no DAP problem type");
    String cause = r.status() == 401 || r.status() == 403
        ? "the helper refused the aggregator token; check the task's token at both aggregators"
        : r.type().filter(t -> t == DapProblemType.UNRECOGNIZED_TASK).isPresent()
            ? "the helper does not know the task; provision it at the helper"
            : "the helper refused the job";
    return cause + " (HTTP " + r.status() + ", " + type + "): " + r.detail();
  }

  /** Writes the step's results in one transaction guarded by the lease token. */
  private StepResult commit(Lease lease, Task task, LeaderJob job, byte[] aggParam,
      List<Failure> failures, List<Output> outputs, Optional<URI> location) {
    JobKey key = lease.job();
    DapVdaf vdaf = task.dapVdaf();
    BatchAccumulator acc = new BatchAccumulator();
    Map<ReportId, PendingReport> byId = new LinkedHashMap<>();
    for (Output o : outputs) {
      acc.add(batchIdentifier(task, job, o.report()), o.report().reportId(),
          o.report().clientTimestamp(), o.share());
      byId.put(o.report().reportId(), o.report());
    }
    Map<String, Long> tally = datastore.inTransaction("finish-aggregation-job", tx -> {
      if (!tx.leases().commitStep(JobKind.AGGREGATION.table(), key, lease.token(),
          lease.holder())) {
        return null;
      }
      location.ifPresent(l ->
          tx.aggregationJobs().helperLocation(task.id(), key.jobId(), l.toString()));
      List<Completion> completions = new ArrayList<>();
      Map<String, Long> byOutcome = new LinkedHashMap<>();
      for (Failure f : failures) {
        completions.add(new Completion(f.report().ord(), AggregationJobStore.FAILED,
            f.error().code()));
        byOutcome.merge(AggregationMetrics.outcome(f.error()), 1L, Long::sum);
      }
      long finished = 0;
      for (BatchAccumulator.Group g : acc.groups()) {
        boolean collected = aggParam.length == 0
            ? tx.batchAggregations().isCollected(task.id(), g.batchIdentifier())
            : !tx.helperBatches().collectedAmong(task.id(), List.of(g.batchIdentifier()),
                aggParam).isEmpty();
        for (ReportId id : g.reports()) {
          completions.add(collected
              ? new Completion(byId.get(id).ord(), AggregationJobStore.FAILED,
                  PrepareError.BATCH_COLLECTED.code())
              : new Completion(byId.get(id).ord(), AggregationJobStore.FINISHED, null));
        }
        if (collected) {
          byOutcome.merge(AggregationMetrics.outcome(PrepareError.BATCH_COLLECTED),
              (long) g.size(), Long::sum);
          continue;
        }
        if (aggParam.length == 0) {
          BatchAccumulator.writeTo(tx, task.id(), vdaf, shards, g);
        } else {
          BatchAccumulator.writeTo(tx, task.id(), vdaf, aggParam, shards, g);
        }
        finished += g.size();
        byOutcome.merge(AggregationMetrics.SUCCESS, (long) g.size(), Long::sum);
      }
      tx.aggregationJobs().complete(task.id(), key.jobId(), completions);
      if (job.batchId().isPresent()) {
        tx.aggregationJobs().batchProgress(task.id(), job.batchId().get(), finished,
            completions.size() - finished, task.minBatchSize());
      }
      for (Map.Entry<String, Long> e : byOutcome.entrySet()) {
        tx.counters().add(task.id(), AggregationMetrics.counter(e.getKey()), e.getValue());
      }
      if (!vdaf.takesAggregationParameter()) {
        tx.reports().scrub(task.id(),
            job.reports().stream().map(PendingReport::reportId).toList());
      }
      tx.leases().close(JobKind.AGGREGATION.table(), key, AggregationJobStore.JOB_FINISHED);
      return byOutcome;
    });
    if (tally == null) {
      return new StepResult.LostLease();
    }
    metrics.job("finished");
    metrics.reports(task.id(), tally);
    return new StepResult.Done("finished");
  }

  /**
   * A report's batch (§4.6): the time-precision bucket of its time for time-interval tasks, the
   * job's batch id for fixed-size tasks.
   */
  private static byte[] batchIdentifier(Task task, LeaderJob job, PendingReport r) {
    long precision = task.timePrecision().seconds();
    return job.batchId().map(BatchId::bytes).orElseGet(() ->
        BatchAggregationStore.intervalIdentifier(
            Math.floorDiv(r.clientTimestamp(), precision) * precision));
  }

  private void deleteAtHelper(Task task, JobKey key, Optional<URI> location) {
    if (task.isDap18() && location.isEmpty()) {
      return;
    }
    try {
      HelperClient.Response r = task.isDap18()
          ? helper.deleteResource(task, location.get())
          : helper.deleteAggregationJob(task, AggregationJobId.of(key.jobId()));
      if (!(r instanceof HelperClient.Response.Ok)) {
        LOG.debugf("aggregation job %s: DELETE at the helper: %s", key, r);
      }
    } catch (RuntimeException e) {
      LOG.debugf("aggregation job %s: DELETE at the helper failed: %s", key, e.getMessage());
    }
  }
}
