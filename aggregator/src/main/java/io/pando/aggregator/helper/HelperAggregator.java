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
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.helper.ReportPreparer.Prepared;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregationJobContinueReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PrepareContinue;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
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
 */
@ApplicationScoped
public class HelperAggregator {
  private final Datastore datastore;
  private final ReportPreparer preparer;
  private final HelperCounters counters;
  private final Clock clock;
  private final int shards;
  private final int maxReportsPerJob;

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
    AggregationJobInitReq<?> req = decodeInit(task, body);
    if (req.aggregationParameter().length != 0) {
      throw HelperErrors.invalidMessage(taskId, "Prio3 takes an empty aggregation parameter");
    }
    List<PrepareInit> inits = req.prepareInits();
    if (inits.isEmpty()) {
      throw HelperErrors.invalidMessage(taskId, "the request holds no report");
    }
    if (inits.size() > maxReportsPerJob) {
      throw HelperErrors.invalidMessage(taskId, "the request holds " + inits.size()
          + " reports; this helper takes at most " + maxReportsPerJob + " per job"
          + " (pando.helper.max-reports-per-job)");
    }
    Set<ReportId> seen = new HashSet<>();
    for (PrepareInit init : inits) {
      if (!seen.add(init.reportId())) {
        throw HelperErrors.invalidMessage(taskId, "report " + init.reportId()
            + " appears twice in the request");
      }
    }

    // A retry is answered before any report is decrypted again.
    Optional<byte[]> earlier = datastore.inTransaction("helper-init-lookup",
        tx -> tx.helperJobs().get(taskId, jobId).map(job -> repeated(job, hash)));
    if (earlier.isPresent()) {
      return earlier.get();
    }

    List<Prepared> prepared =
        preparer.prepareAll(task, inits, clock.instant().getEpochSecond());
    Written written = datastore.inTransaction("helper-aggregate-init",
        tx -> write(tx, task, jobId, req.partialBatchSelector(), hash, prepared));
    written.outcomes().forEach((outcome, n) -> counters.record(taskId, outcome, n));
    return written.response();
  }

  /** The stored answer to a repeated initialization, or why there is none. */
  private static byte[] repeated(HelperJob job, byte[] hash) {
    if (job.state() == HelperJobStore.State.DELETED) {
      throw HelperErrors.gone(job.id());
    }
    if (job.step() == 0 && job.lastResponse() != null
        && MessageDigest.isEqual(job.lastRequestHash(), hash)) {
      return job.lastResponse();
    }
    throw HelperErrors.conflict(job.id());
  }

  private Written write(Tx tx, Task task, AggregationJobId jobId,
      PartialBatchSelector<?> selector, byte[] hash, List<Prepared> prepared) {
    TaskId taskId = task.id();
    HelperJobStore jobs = tx.helperJobs();
    Optional<HelperJob> existing = jobs.get(taskId, jobId);
    if (existing.isPresent()) {
      return new Written(repeated(existing.get(), hash), Map.of());
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Prepared p : prepared) {
      min = Math.min(min, p.clientTimestamp());
      max = Math.max(max, p.clientTimestamp());
    }
    Optional<BatchId> batchId = selector instanceof PartialBatchSelector.FixedSize f
        ? Optional.of(f.batchId()) : Optional.empty();
    if (!jobs.insert(taskId, jobId, batchId, min, max, HelperJobStore.State.FINISHED, hash)) {
      throw new IllegalStateException("aggregation job " + jobId + " appeared concurrently");
    }

    int n = prepared.size();
    PrepareError[] outcome = new PrepareError[n];
    byte[][] batchOf = new byte[n][];
    List<byte[]> candidateBatches = new ArrayList<>();
    for (Prepared p : prepared) {
      outcome[p.ord()] = p.error();
      batchOf[p.ord()] = batchIdentifier(task, selector, p.clientTimestamp());
      if (p.finished()) {
        candidateBatches.add(batchOf[p.ord()]);
      }
    }

    // §4.5.1.4: no report may join a batch that was collected.
    Set<ByteBuffer> collected = tx.helperBatches().collectedAmong(taskId, candidateBatches);
    for (Prepared p : prepared) {
      if (p.finished() && collected.contains(ByteBuffer.wrap(batchOf[p.ord()]))) {
        outcome[p.ord()] = PrepareError.BATCH_COLLECTED;
      }
    }

    // §4.5.1.4: replay protection. Every report id the helper saw is taken, except that of a
    // report rejected as too early, which the leader may send again later (§4.5.1.1).
    List<ReportAggregation> rows = new ArrayList<>(n);
    for (Prepared p : prepared) {
      PrepareError e = outcome[p.ord()];
      if (e == PrepareError.REPORT_TOO_EARLY) {
        continue;
      }
      rows.add(new ReportAggregation(p.ord(), p.reportId(), p.clientTimestamp(),
          e == null ? ReportState.FINISHED : ReportState.FAILED, e == null ? null : e.code()));
    }
    Set<ReportId> recorded = jobs.insertReportAggregations(taskId, jobId, rows);
    for (ReportAggregation row : rows) {
      if (!recorded.contains(row.reportId())) {
        outcome[row.ord()] = PrepareError.REPORT_REPLAYED;
      }
    }

    accumulate(tx, task, prepared, outcome, batchOf);

    List<PrepareResp> resps = new ArrayList<>(n);
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Prepared p : prepared) {
      PrepareError e = outcome[p.ord()];
      resps.add(new PrepareResp(p.reportId(), e == null
          ? PrepareStepResult.continueWith(p.outbound()) : PrepareStepResult.reject(e)));
      outcomes.merge(HelperCounters.outcome(e), 1L, Long::sum);
    }
    byte[] response = new AggregationJobResp(resps).encode();
    jobs.setResponse(taskId, jobId, response);
    return new Written(response, outcomes);
  }

  /** Adds the finished reports' output shares to their batches (§4.5.2, §4.6.3). */
  private void accumulate(Tx tx, Task task, List<Prepared> prepared, PrepareError[] outcome,
      byte[][] batchOf) {
    BatchAccumulator acc = new BatchAccumulator();
    for (Prepared p : prepared) {
      if (outcome[p.ord()] == null) {
        acc.add(batchOf[p.ord()], p.reportId(), p.clientTimestamp(), p.outputShare());
      }
    }
    DapVdaf vdaf = task.dapVdaf();
    for (BatchAccumulator.Group g : acc.groups()) {
      BatchAccumulator.writeTo(tx, task.id(), vdaf, shards, g);
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
    AggregationJobContinueReq req;
    try {
      req = AggregationJobContinueReq.decode(body);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(taskId, "malformed AggregationJobContinueReq: "
          + e.getMessage());
    }
    return datastore.inTransaction("helper-aggregate-continue", tx -> {
      HelperJob job = tx.helperJobs().get(taskId, jobId)
          .orElseThrow(() -> HelperErrors.unrecognizedJob(taskId, jobId));
      if (job.state() == HelperJobStore.State.DELETED) {
        throw HelperErrors.gone(jobId);
      }
      Set<ReportId> seen = new HashSet<>();
      for (PrepareContinue c : req.prepareContinues()) {
        if (!seen.add(c.reportId())) {
          throw HelperErrors.invalidMessage(taskId, "report " + c.reportId()
              + " appears twice in the request");
        }
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
      return new AggregationJobResp(List.of()).encode();
    });
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

  private static AggregationJobInitReq<?> decodeInit(Task task, byte[] body) {
    try {
      return task.queryType() == Task.QueryKind.TIME_INTERVAL
          ? AggregationJobInitReq.decode(body, QueryType.TIME_INTERVAL)
          : AggregationJobInitReq.decode(body, QueryType.FIXED_SIZE);
    } catch (DecodeException | IllegalArgumentException e) {
      throw HelperErrors.invalidMessage(task.id(), "malformed AggregationJobInitReq: "
          + e.getMessage());
    }
  }

  /**
   * The batch a report joins: its time-precision bucket for time-interval tasks, the job's batch
   * id for fixed-size tasks.
   */
  static byte[] batchIdentifier(Task task, PartialBatchSelector<?> selector, long time) {
    if (selector instanceof PartialBatchSelector.FixedSize f) {
      return f.batchId().bytes();
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
