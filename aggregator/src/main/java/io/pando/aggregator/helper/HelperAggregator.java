package io.pando.aggregator.helper;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.BatchAccumulator;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.HelperJobStore;
import io.pando.aggregator.datastore.HelperJobStore.HelperJob;
import io.pando.aggregator.datastore.HelperJobStore.ReportAggregation;
import io.pando.aggregator.datastore.HelperJobStore.ReportState;
import io.pando.aggregator.datastore.HelperJobStore.WaitingReport;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.State;
import java.util.HashMap;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.helper.ReportPreparer.Prepared;
import io.pando.aggregator.helper.ReportPreparer.ReportInit;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregationJobContinueReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PrepareContinue;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregationJobExtension;
import io.pando.dap.messages.dap18.VerifyContinue;
import io.pando.dap.messages.dap18.VerifyInit;
import io.pando.dap.messages.problem.DapProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The helper's side of aggregation jobs (DAP-09 §4.5): initialization ({@code PUT}),
 * continuation ({@code POST}) and deletion ({@code DELETE}) of
 * {@code /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}}.
 *
 * <p>Initialization decrypts and prepares every report outside the datastore, then records the
 * job, its reports and the new output shares in one transaction, with the hash of the request
 * and the encoded response. The same request again is answered with the stored response and
 * changes nothing; another request for the same job id is refused with 409 Conflict.
 *
 * <p>A VDAF of more rounds (Poplar1) takes the aggregation parameter of the request: the job
 * keeps it, each report's prep state is sealed and kept between requests, and continuation
 * requests (§4.5.2.2) carry the reports on, step by step; the last step's request and response
 * are kept too, so a retried continuation gets the same answer. Replay protection is per
 * (report, parameter), with {@code is_valid} against the parameters the report was already
 * aggregated with (§4.5.1.4).
 */
@ApplicationScoped
public class HelperAggregator {
  private final Datastore datastore;
  private final ReportPreparer preparer;
  private final HelperCounters counters;
  private final Clock clock;
  private final int shards;
  private final int maxReportsPerJob;

  /**
   * The id of the task's one VDAF verify key (DAP-18 §4.5.3.1 {@code verification_key_id}): this
   * deployment keeps one key per task.
   */
  static final int VERIFICATION_KEY_ID = 0;

  @Inject
  public HelperAggregator(Datastore datastore, ReportPreparer preparer,
      HelperCounters counters, Clock clock, PandoConfig config) {
    this.datastore = datastore;
    this.preparer = preparer;
    this.counters = counters;
    this.clock = clock;
    this.shards = config.aggregation().batchAggregationShards();
    this.maxReportsPerJob = config.helper().maxReportsPerJob();
  }

  /** What the initialization transaction did. */
  private record Written(byte[] response, Map<String, Long> outcomes) {}

  /**
   * Handles an {@code AggregationJobInitReq} (§4.5.1.2) and returns the encoded {@code
   * AggregationJobResp}.
   */
  public byte[] init(Task task, AggregationJobId jobId, byte[] body) {
    TaskId taskId = task.id();
    byte[] hash = sha256(body);
    InitRequest req = parseInit(task, body);
    byte[] aggParam = req.aggregationParameter();
    List<ReportInit> inits = req.reports();

    // A retry is answered before any report is decrypted again.
    Optional<byte[]> earlier = datastore.inTransaction("helper-init-lookup",
        tx -> tx.helperJobs().get(taskId, jobId).map(job -> repeated(task, job, hash)));
    if (earlier.isPresent()) {
      return earlier.get();
    }

    List<Prepared> prepared =
        preparer.prepareAll(task, inits, clock.instant().getEpochSecond(), aggParam);
    Written written = datastore.inTransaction("helper-aggregate-init",
        tx -> write(tx, task, jobId, req.batchId(), aggParam, hash, prepared));
    written.outcomes().forEach((outcome, n) -> counters.record(taskId, outcome, n));
    return written.response();
  }

  /** Whether the helper has a job of this id (deleted ones included). */
  public boolean exists(Task task, AggregationJobId jobId) {
    return datastore.inTransaction("helper-job-exists",
        tx -> tx.helperJobs().get(task.id(), jobId).isPresent());
  }

  /**
   * The checks of an initialization request that need neither keys nor the datastore (its
   * encoding, parameter, size and report ids), throwing the problem a failed one answers; the
   * asynchronous helper runs them before it defers a request, so that nothing is stored for a
   * malformed one.
   */
  public void checkInit(Task task, byte[] body) {
    parseInit(task, body);
  }

  /** {@link #checkInit}, returning the decoded request. */
  private InitRequest parseInit(Task task, byte[] body) {
    TaskId taskId = task.id();
    InitRequest req = task.isDap18() ? decodeInit18(task, body) : decodeInit(task, body);
    byte[] aggParam = req.aggregationParameter();
    DapVdaf vdaf = task.dapVdaf();
    checkAggregationParameter(task, vdaf, aggParam);
    List<ReportInit> inits = req.reports();
    if (inits.isEmpty()) {
      throw HelperErrors.invalidMessage(taskId, "the request holds no report");
    }
    if (inits.size() > maxReportsPerJob) {
      throw HelperErrors.invalidMessage(taskId, "the request holds " + inits.size()
          + " reports; this helper takes at most " + maxReportsPerJob + " per job"
          + " (pando.helper.max-reports-per-job)");
    }
    Set<ReportId> seen = new HashSet<>();
    for (ReportInit init : inits) {
      if (!seen.add(init.reportId())) {
        throw HelperErrors.invalidMessage(taskId, "report " + init.reportId()
            + " appears twice in the request");
      }
    }
    return req;
  }

  /**
   * The stored answer to a repeated initialization, or why there is none. On DAP-18 the job id
   * is derived from the request (aggregator/README.md, "DAP-18"), so the same id is the
   * same request, answered with the job's current state even after it was continued (§4.5.3.3).
   */
  private static byte[] repeated(Task task, HelperJob job, byte[] hash) {
    if (job.state() == HelperJobStore.State.DELETED) {
      throw HelperErrors.gone(job.id());
    }
    if (task.isDap18()) {
      return job.lastResponse();
    }
    if (job.step() == 0 && job.lastResponse() != null
        && MessageDigest.isEqual(job.lastRequestHash(), hash)) {
      return job.lastResponse();
    }
    throw HelperErrors.conflict(job.id());
  }

  /**
   * Decodes an aggregation parameter and checks it on its own (draft-08 §5.3), or refuses it:
   * {@code invalidMessage} on DAP-09, {@code invalidAggregationParameter} on DAP-18 (§4.3).
   * Prio3 takes the empty parameter only.
   */
  static void checkAggregationParameter(Task task, DapVdaf vdaf, byte[] aggParam) {
    if (!vdaf.takesAggregationParameter()) {
      if (aggParam.length != 0) {
        throw HelperErrors.invalidAggregationParameter(task,
            "Prio3 takes an empty aggregation parameter");
      }
      return;
    }
    try {
      if (!vdaf.isValid(aggParam, List.of())) {
        throw HelperErrors.invalidAggregationParameter(task,
            "the aggregation parameter is not valid");
      }
    } catch (DecodeException e) {
      throw HelperErrors.invalidAggregationParameter(task,
          "the aggregation parameter does not decode: " + e.getMessage());
    }
  }

  private Written write(Tx tx, Task task, AggregationJobId jobId,
      Optional<BatchId> batchId, byte[] aggParam, byte[] hash, List<Prepared> prepared) {
    TaskId taskId = task.id();
    HelperJobStore jobs = tx.helperJobs();
    Optional<HelperJob> existing = jobs.get(taskId, jobId);
    if (existing.isPresent()) {
      return new Written(repeated(task, existing.get(), hash), Map.of());
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Prepared p : prepared) {
      min = Math.min(min, p.clientTimestamp());
      max = Math.max(max, p.clientTimestamp());
    }
    boolean anyWaiting = prepared.stream().anyMatch(Prepared::waiting);
    if (!jobs.insert(taskId, jobId, batchId, aggParam, min, max, anyWaiting
        ? HelperJobStore.State.IN_PROGRESS : HelperJobStore.State.FINISHED, hash)) {
      throw new IllegalStateException("aggregation job " + jobId + " appeared concurrently");
    }

    int n = prepared.size();
    PrepareError[] outcome = new PrepareError[n];
    byte[][] batchOf = new byte[n][];
    List<byte[]> candidateBatches = new ArrayList<>();
    for (Prepared p : prepared) {
      outcome[p.ord()] = p.error();
      batchOf[p.ord()] = batchIdentifier(task, batchId, p.clientTimestamp());
      if (p.error() == null) {
        candidateBatches.add(batchOf[p.ord()]);
      }
    }

    DapVdaf vdaf = task.dapVdaf();
    if (vdaf.takesAggregationParameter()) {
      checkAgainstEarlierParameters(tx, task, vdaf, aggParam, prepared, outcome, batchOf,
          candidateBatches);
    } else {
      // §4.5.1.4: no report may join a batch that was collected.
      Set<ByteBuffer> collected = tx.helperBatches().collectedAmong(taskId, candidateBatches);
      for (Prepared p : prepared) {
        if (p.finished() && collected.contains(ByteBuffer.wrap(batchOf[p.ord()]))) {
          outcome[p.ord()] = PrepareError.BATCH_COLLECTED;
        }
      }
    }

    // §4.5.1.4: replay protection. Every report id the helper saw is taken, except that of a
    // report rejected as too early, which the leader may send again later (§4.5.1.1).
    List<ReportAggregation> rows = new ArrayList<>(n);
    Map<Integer, byte[]> prepStates = new HashMap<>();
    for (Prepared p : prepared) {
      PrepareError e = outcome[p.ord()];
      if (e == PrepareError.REPORT_TOO_EARLY) {
        continue;
      }
      ReportState state = e != null ? ReportState.FAILED
          : p.waiting() ? ReportState.WAITING : ReportState.FINISHED;
      if (state == ReportState.WAITING) {
        prepStates.put(p.ord(), vdaf.encodeVerifyState(p.prepState()));
      }
      rows.add(new ReportAggregation(p.ord(), p.reportId(), p.clientTimestamp(), state,
          e == null ? null : e.code()));
    }
    Set<ReportId> recorded = vdaf.takesAggregationParameter()
        ? jobs.insertReportAggregations(taskId, jobId, aggParam, rows, prepStates)
        : jobs.insertReportAggregations(taskId, jobId, rows);
    for (ReportAggregation row : rows) {
      if (!recorded.contains(row.reportId())) {
        outcome[row.ord()] = PrepareError.REPORT_REPLAYED;
      }
    }

    accumulate(tx, task, prepared, outcome, batchOf, aggParam);

    // §4.5.1.2: every report that was not rejected continues with the helper's outbound
    // message (DAP-18 §4.5.3.3: "continue" for both Continued and FinishedWithOutbound).
    List<JobResponses.Item> resps = new ArrayList<>(n);
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Prepared p : prepared) {
      PrepareError e = outcome[p.ord()];
      resps.add(new JobResponses.Item(p.reportId(), p.clientTimestamp(), e,
          e == null ? p.outbound() : null));
      outcomes.merge(HelperCounters.outcome(e), 1L, Long::sum);
    }
    byte[] response = JobResponses.encode(task, resps);
    jobs.setResponse(taskId, jobId, response);
    return new Written(response, outcomes);
  }

  /**
   * §4.5.1.4 for a VDAF with an aggregation parameter: a report may be aggregated again only if
   * {@code is_valid} accepts the parameter after those it was aggregated with ({@code
   * report_replayed} otherwise); it may not join a batch already collected with this parameter,
   * nor, when it was never aggregated before, a batch collected with any parameter (it was then
   * in no earlier collection of the batch): {@code batch_collected}.
   */
  private static void checkAgainstEarlierParameters(Tx tx, Task task, DapVdaf vdaf,
      byte[] aggParam, List<Prepared> prepared, PrepareError[] outcome, byte[][] batchOf,
      List<byte[]> candidateBatches) {
    List<ReportId> ids = new ArrayList<>();
    for (Prepared p : prepared) {
      if (outcome[p.ord()] == null) {
        ids.add(p.reportId());
      }
    }
    Map<ReportId, List<byte[]>> earlier = tx.helperJobs().earlierParams(task.id(), ids);
    Set<ByteBuffer> collectedHere =
        tx.helperBatches().collectedAmong(task.id(), candidateBatches, aggParam);
    Set<ByteBuffer> collectedAny = tx.helperBatches().collectedAmong(task.id(), candidateBatches);
    for (Prepared p : prepared) {
      if (outcome[p.ord()] != null) {
        continue;
      }
      List<byte[]> previous = earlier.getOrDefault(p.reportId(), List.of());
      boolean valid;
      try {
        valid = previous.isEmpty() || vdaf.isValid(aggParam, previous);
      } catch (DecodeException e) {
        throw new IllegalStateException("a stored aggregation parameter does not decode", e);
      }
      ByteBuffer batch = ByteBuffer.wrap(batchOf[p.ord()]);
      if (!valid) {
        outcome[p.ord()] = PrepareError.REPORT_REPLAYED;
      } else if (collectedHere.contains(batch)
          || (previous.isEmpty() && collectedAny.contains(batch))) {
        outcome[p.ord()] = PrepareError.BATCH_COLLECTED;
      }
    }
  }

  /** Adds the finished reports' output shares to their batches (§4.5.2, §4.6.3). */
  private void accumulate(Tx tx, Task task, List<Prepared> prepared, PrepareError[] outcome,
      byte[][] batchOf, byte[] aggParam) {
    BatchAccumulator acc = new BatchAccumulator();
    for (Prepared p : prepared) {
      if (outcome[p.ord()] == null && p.finished()) {
        acc.add(batchOf[p.ord()], p.reportId(), p.clientTimestamp(), p.outputShare());
      }
    }
    DapVdaf vdaf = task.dapVdaf();
    for (BatchAccumulator.Group g : acc.groups()) {
      if (aggParam.length == 0) {
        BatchAccumulator.writeTo(tx, task.id(), vdaf, shards, g);
      } else {
        BatchAccumulator.writeTo(tx, task.id(), vdaf, aggParam, shards, g);
      }
    }
  }

  /**
   * Handles an {@code AggregationJobContinueReq} (§4.5.2.2). Prio3 finishes in the
   * initialization step, so no report of a helper job ever waits for a continuation: a request
   * naming reports is an {@code invalidMessage}; an empty one for the next step (which Janus
   * sends when the leader rejected every report) gets an empty response; another step is a
   * {@code stepMismatch}.
   */
  public byte[] continueJob(Task task, AggregationJobId jobId, byte[] body) {
    TaskId taskId = task.id();
    byte[] hash = sha256(body);
    AggregationJobContinueReq req = decodeContinue(task, body);
    return datastore.inTransaction("helper-aggregate-continue", tx -> {
      HelperJob job = tx.helperJobs().get(taskId, jobId)
          .orElseThrow(() -> HelperErrors.unrecognizedJob(taskId, jobId));
      if (job.state() == HelperJobStore.State.DELETED) {
        throw HelperErrors.gone(jobId);
      }
      // §4.5.2.2: a retry of the request that took the job to its current step gets the same
      // response (one-round jobs never leave step 0).
      if (job.step() > 0 && req.step().value() == job.step() && job.lastResponse() != null
          && MessageDigest.isEqual(job.lastRequestHash(), hash)) {
        return job.lastResponse();
      }
      Set<ReportId> seen = new HashSet<>();
      for (PrepareContinue c : req.prepareContinues()) {
        if (!seen.add(c.reportId())) {
          throw HelperErrors.invalidMessage(taskId, "report " + c.reportId()
              + " appears twice in the request");
        }
      }
      List<WaitingReport> waiting = job.state() == HelperJobStore.State.IN_PROGRESS
          ? tx.helperJobs().waitingReports(taskId, jobId) : List.of();
      if (!waiting.isEmpty()) {
        if (req.step().value() != job.step() + 1) {
          throw HelperErrors.of(DapProblemType.STEP_MISMATCH, taskId, "aggregation job " + jobId
              + " is at step " + job.step() + "; the request is for step " + req.step());
        }
        Stepped stepped = step(tx, task, job, req, hash, waiting);
        stepped.outcomes().forEach((outcome, n) -> counters.record(taskId, outcome, n));
        return stepped.response();
      }
      if (!req.prepareContinues().isEmpty()) {
        throw HelperErrors.invalidMessage(taskId, "no report of aggregation job " + jobId
            + " waits for a continuation");
      }
      if (req.step().value() == 0) {
        throw HelperErrors.invalidMessage(taskId, "an aggregation job cannot continue to step 0");
      }
      if (req.step().value() != job.step() + 1) {
        throw HelperErrors.of(DapProblemType.STEP_MISMATCH, taskId, "aggregation job " + jobId
            + " is at step " + job.step() + "; the request is for step " + req.step());
      }
      return JobResponses.encode(task, List.of());
    });
  }

  /**
   * The continuation request in DAP-09's form: DAP-18's {@code AggregationJobContinueReq}
   * (§4.5.4.1) has the same step and, per report, the same report id and payload.
   */
  private static AggregationJobContinueReq decodeContinue(Task task, byte[] body) {
    try {
      if (!task.isDap18()) {
        return AggregationJobContinueReq.decode(body);
      }
      io.pando.dap.messages.dap18.AggregationJobContinueReq req =
          io.pando.dap.messages.dap18.AggregationJobContinueReq.decode(body);
      List<PrepareContinue> continues = new ArrayList<>();
      for (VerifyContinue v : req.verifyContinues()) {
        continues.add(new PrepareContinue(v.reportId(), v.payload()));
      }
      return new AggregationJobContinueReq(req.step(), continues);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(task.id(), "malformed AggregationJobContinueReq: "
          + e.getMessage());
    }
  }

  /**
   * {@code GET} of an aggregation job (DAP-18 §3 "Asynchronous Request Handling"): its current
   * representation, the response to the request that took it to its current step.
   */
  public byte[] current(Task task, AggregationJobId jobId) {
    return current(task, jobId, Optional.empty());
  }

  /**
   * {@link #current} for the leader's {@code step} (DAP-18 §4.5.3.3, §4.5.4.2: a GET names the
   * step the leader is on): the response of that step if the job is at it; another step is
   * {@code stepMismatch}, as this helper keeps the latest step's response only.
   */
  public byte[] current(Task task, AggregationJobId jobId, Optional<Integer> step) {
    return datastore.inTransaction("helper-get-job", tx -> {
      HelperJob job = tx.helperJobs().get(task.id(), jobId)
          .orElseThrow(() -> HelperErrors.unrecognizedJob(task.id(), jobId));
      if (job.state() == HelperJobStore.State.DELETED) {
        throw HelperErrors.gone(jobId);
      }
      if (job.lastResponse() == null) {
        throw new IllegalStateException("aggregation job " + jobId + " has no response");
      }
      if (step.isPresent() && step.get() != job.step()) {
        throw HelperErrors.of(DapProblemType.STEP_MISMATCH, task.id(), "aggregation job "
            + jobId + " is at step " + job.step() + "; the request is for step " + step.get());
      }
      return job.lastResponse();
    });
  }

  /** What a continuation did. */
  private record Stepped(byte[] response, Map<String, Long> outcomes) {}

  /** One report's outcome in a continuation, in request order. */
  private record Next(WaitingReport report, PrepareError error, byte[] outbound,
      Object outputShare, Object prepState) {}

  /** An initialization request, whichever draft it came in. */
  private record InitRequest(byte[] aggregationParameter, Optional<BatchId> batchId,
      List<ReportInit> reports) {}

  /**
   * Carries the job's waiting reports one step on (§4.5.2.2) with {@code
   * ping_pong_helper_continued}: the leader names some of them, in their order; a waiting report
   * it leaves out was dropped on its side ({@code report_dropped} here). Finished reports' output
   * shares join their batches under the job's parameter, unless that was collected meanwhile.
   */
  private Stepped step(Tx tx, Task task, HelperJob job, AggregationJobContinueReq req,
      byte[] hash, List<WaitingReport> waiting) {
    TaskId taskId = task.id();
    DapVdaf vdaf = task.dapVdaf();
    byte[] aggParam = job.aggregationParam();
    PingPong<Object, Object> pingPong = vdaf.pingPong(task.vdafContext());
    Map<ReportId, WaitingReport> byId = new LinkedHashMap<>();
    for (WaitingReport w : waiting) {
      byId.put(w.reportId(), w);
    }
    List<Next> next = new ArrayList<>();
    int lastOrd = -1;
    for (PrepareContinue c : req.prepareContinues()) {
      WaitingReport w = byId.remove(c.reportId());
      if (w == null || w.ord() < lastOrd) {
        throw HelperErrors.invalidMessage(taskId, "report " + c.reportId() + " does not wait in"
            + " aggregation job " + job.id() + (w == null ? "" : " at this position"));
      }
      lastOrd = w.ord();
      Object state;
      try {
        state = vdaf.decodeVerifyState(aggParam, w.prepState());
      } catch (DecodeException e) {
        throw new IllegalStateException("a stored prep state does not decode", e);
      }
      PingPong.Transition<Object, Object> t =
          pingPong.helperContinued(aggParam, new State.Continued<>(state), c.payload());
      if (t.state() instanceof State.Finished<Object, Object> f) {
        next.add(new Next(w, null, t.outbound(), f.outputShare(), null));
      } else if (t.state() instanceof State.Continued<Object, Object> more) {
        next.add(new Next(w, null, t.outbound(), null, more.prepState()));
      } else {
        next.add(new Next(w, PrepareError.VDAF_PREP_ERROR, null, null, null));
      }
    }

    // §4.5.1.4: output shares may not join a batch collected with this parameter meanwhile.
    List<byte[]> batches = new ArrayList<>();
    for (Next x : next) {
      batches.add(batchIdentifier(task, job.batchId(), x.report().clientTimestamp()));
    }
    Set<ByteBuffer> collected = tx.helperBatches().collectedAmong(taskId, batches, aggParam);
    BatchAccumulator acc = new BatchAccumulator();
    List<ReportAggregation> updates = new ArrayList<>();
    Map<Integer, byte[]> prepStates = new HashMap<>();
    List<JobResponses.Item> resps = new ArrayList<>();
    Map<String, Long> outcomes = new LinkedHashMap<>();
    boolean anyWaiting = false;
    for (int i = 0; i < next.size(); i++) {
      Next x = next.get(i);
      WaitingReport w = x.report();
      PrepareError e = x.error();
      if (e == null && x.outputShare() != null
          && collected.contains(ByteBuffer.wrap(batches.get(i)))) {
        e = PrepareError.BATCH_COLLECTED;
      }
      if (e != null) {
        updates.add(new ReportAggregation(w.ord(), w.reportId(), w.clientTimestamp(),
            ReportState.FAILED, e.code()));
        resps.add(new JobResponses.Item(w.reportId(), w.clientTimestamp(), e, null));
        outcomes.merge(HelperCounters.outcome(e), 1L, Long::sum);
      } else if (x.outputShare() != null) {
        updates.add(new ReportAggregation(w.ord(), w.reportId(), w.clientTimestamp(),
            ReportState.FINISHED, null));
        acc.add(batches.get(i), w.reportId(), w.clientTimestamp(), x.outputShare());
        // DAP-18 §4.5.4.2: FinishedWithOutbound continues with the outbound message, Finished
        // is "finish"; DAP-09 §4.5.2.2 answers "finished".
        resps.add(new JobResponses.Item(w.reportId(), w.clientTimestamp(), null,
            task.isDap18() ? x.outbound() : null));
        outcomes.merge(HelperCounters.outcome(null), 1L, Long::sum);
      } else {
        updates.add(new ReportAggregation(w.ord(), w.reportId(), w.clientTimestamp(),
            ReportState.WAITING, null));
        prepStates.put(w.ord(), vdaf.encodeVerifyState(x.prepState()));
        resps.add(new JobResponses.Item(w.reportId(), w.clientTimestamp(), null, x.outbound()));
        anyWaiting = true;
      }
    }
    for (WaitingReport dropped : byId.values()) {
      updates.add(new ReportAggregation(dropped.ord(), dropped.reportId(),
          dropped.clientTimestamp(), ReportState.FAILED, PrepareError.REPORT_DROPPED.code()));
    }
    tx.helperJobs().advance(taskId, job.id(), updates, prepStates);
    for (BatchAccumulator.Group g : acc.groups()) {
      BatchAccumulator.writeTo(tx, taskId, vdaf, aggParam, shards, g);
    }
    byte[] response = JobResponses.encode(task, resps);
    tx.helperJobs().stepped(taskId, job.id(), req.step().value(), anyWaiting
        ? HelperJobStore.State.IN_PROGRESS : HelperJobStore.State.FINISHED, hash, response);
    return new Stepped(response, outcomes);
  }

  /**
   * Handles {@code DELETE} of an aggregation job (§4.5.2.2): the job answers no further request;
   * its reports stay taken and its output shares stay in their batches. A leader deletes jobs it
   * finished (ours does, to free the helper's job state) as well as jobs it abandons, and DAP-09
   * gives the helper no way to tell the two apart, so a deletion never changes a batch.
   */
  public void delete(Task task, AggregationJobId jobId) {
    datastore.inTransaction("helper-delete-job", tx -> {
      if (!tx.helperJobs().markDeleted(task.id(), jobId)) {
        throw HelperErrors.unrecognizedJob(task.id(), jobId);
      }
      return null;
    });
  }

  private static InitRequest decodeInit(Task task, byte[] body) {
    AggregationJobInitReq<?> req;
    try {
      req = task.queryType() == Task.QueryKind.TIME_INTERVAL
          ? AggregationJobInitReq.decode(body, QueryType.TIME_INTERVAL)
          : AggregationJobInitReq.decode(body, QueryType.FIXED_SIZE);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(task.id(), "malformed AggregationJobInitReq: "
          + e.getMessage());
    }
    List<ReportInit> reports = new ArrayList<>(req.prepareInits().size());
    for (PrepareInit init : req.prepareInits()) {
      reports.add(ReportInit.of(task, init));
    }
    Optional<BatchId> batchId = req.partialBatchSelector() instanceof PartialBatchSelector.FixedSize f
        ? Optional.of(f.batchId()) : Optional.empty();
    return new InitRequest(req.aggregationParameter(), batchId, reports);
  }

  /**
   * DAP-18 §4.5.3.3: the request decodes; {@code verification_key_id} names the task's one
   * verify key (id 0 in this deployment); the aggregation job extensions are strictly
   * increasing ({@code invalidMessage}) and recognized ({@code unsupportedExtension}): the one
   * extension this helper knows is {@code leader_selected_batch_id} (§5.2.2), which a
   * leader-selected task's jobs must carry and a time-interval task's must not.
   */
  private static InitRequest decodeInit18(Task task, byte[] body) {
    TaskId taskId = task.id();
    io.pando.dap.messages.dap18.AggregationJobInitReq req;
    try {
      req = io.pando.dap.messages.dap18.AggregationJobInitReq.decode(body);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(taskId, "malformed AggregationJobInitReq: "
          + e.getMessage());
    }
    if (req.verificationKeyId() != VERIFICATION_KEY_ID) {
      throw HelperErrors.invalidMessage(taskId, "unknown verification_key_id "
          + req.verificationKeyId() + ": the task has one verify key, id " + VERIFICATION_KEY_ID);
    }
    if (!AggregationJobExtension.strictlyIncreasing(req.extensions())) {
      throw HelperErrors.invalidMessage(taskId,
          "aggregation job extensions are not in strictly increasing order");
    }
    for (AggregationJobExtension x : req.extensions()) {
      if (x.extensionType() != AggregationJobExtension.LEADER_SELECTED_BATCH_ID) {
        throw HelperErrors.of(DapProblemType.UNSUPPORTED_EXTENSION, taskId,
            "unsupported aggregation job extension " + x);
      }
    }
    Optional<BatchId> batchId;
    try {
      batchId = req.leaderSelectedBatchId();
    } catch (DecodeException e) {
      throw HelperErrors.invalidMessage(taskId, "leader_selected_batch_id is not a batch id: "
          + e.getMessage());
    }
    boolean leaderSelected = task.queryType() == Task.QueryKind.FIXED_SIZE;
    if (leaderSelected && batchId.isEmpty()) {
      throw HelperErrors.invalidMessage(taskId, "a leader_selected task's aggregation job needs"
          + " the leader_selected_batch_id extension");
    }
    if (!leaderSelected && batchId.isPresent()) {
      throw HelperErrors.invalidMessage(taskId, "the leader_selected_batch_id extension is for"
          + " leader_selected tasks; this task is time_interval");
    }
    List<ReportInit> reports = new ArrayList<>(req.verifyInits().size());
    for (VerifyInit init : req.verifyInits()) {
      try {
        reports.add(ReportInit.of(task, init));
      } catch (ArithmeticException e) {
        throw HelperErrors.invalidMessage(taskId, "report " + init.reportId()
            + ": time out of range");
      }
    }
    return new InitRequest(req.aggregationParameter(), batchId, reports);
  }

  /**
   * The batch a report joins: its time-precision bucket for time-interval tasks, the job's batch
   * id for fixed-size (leader-selected) tasks.
   */
  static byte[] batchIdentifier(Task task, Optional<BatchId> batchId, long time) {
    if (batchId.isPresent()) {
      return batchId.get().bytes();
    }
    long precision = task.timePrecision().seconds();
    return BatchAggregationStore.intervalIdentifier(Math.floorDiv(time, precision) * precision);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
