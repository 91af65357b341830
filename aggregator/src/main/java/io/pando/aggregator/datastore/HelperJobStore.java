package io.pando.aggregator.datastore;

import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The helper's aggregation jobs ({@code aggregation_jobs}) and their reports ({@code
 * report_aggregations}), DAP-09 §4.5.1. A job row keeps the hash of the request that created it
 * and the encoded response, so that a retried request gets the same answer; the report rows are
 * the helper's replay protection (unique per task and report id, §4.5.1.4).
 */
public final class HelperJobStore {
  /** A job's state as the helper records it. */
  public enum State {
    /** Every report reached a terminal state (the only outcome for one-round VDAFs). */
    FINISHED,
    /** Some report waits for a continuation request (multi-round VDAFs). */
    IN_PROGRESS,
    /** The leader deleted the job (§4.5.2.2); it answers no further request. */
    DELETED
  }

  /** A report's state in a job. */
  public enum ReportState {
    FINISHED,
    FAILED,
    /** Prepared up to the job's step; its prep state waits for the next request. */
    WAITING
  }

  /**
   * An aggregation job as stored, with the aggregation parameter of its initialization request
   * (empty for Prio3).
   */
  public record HelperJob(TaskId taskId, AggregationJobId id, State state, int step,
      byte[] lastRequestHash, byte[] lastResponse, byte[] aggregationParam,
      Optional<BatchId> batchId) {}

  /** A waiting report of a job with its opened prep state. */
  public record WaitingReport(int ord, ReportId reportId, long clientTimestamp,
      byte[] prepState) {}

  /**
   * One report of a job: its position in the request, id, client time, and the error code when
   * it failed.
   */
  public record ReportAggregation(int ord, ReportId reportId, long clientTimestamp,
      ReportState state, Integer errorCode) {}

  private static final byte[] NO_AGG_PARAM = new byte[0];

  private final Tx tx;

  HelperJobStore(Tx tx) {
    this.tx = tx;
  }

  /** The job, if the task has one with this id. */
  public Optional<HelperJob> get(TaskId task, AggregationJobId id) {
    RowSet<Row> rows = tx.query("""
        SELECT state, step, last_request_hash, last_response, aggregation_param, batch_id
          FROM aggregation_jobs
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(id.bytes())));
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new HelperJob(task, id, State.valueOf(row.getString("state")),
        row.getInteger("step"), Tx.bytes(row, "last_request_hash"),
        Tx.bytes(row, "last_response"), Tx.bytes(row, "aggregation_param"),
        Optional.ofNullable(Tx.bytes(row, "batch_id")).map(BatchId::of)));
  }

  /**
   * Creates a job. Returns false if the task already has a job with this id; under the
   * datastore's isolation, a job created by a concurrent transaction fails this one with a
   * serialization error instead, and the retry sees it.
   */
  public boolean insert(TaskId task, AggregationJobId id, Optional<BatchId> batchId,
      long minClientTimestamp, long maxClientTimestamp, State state, byte[] requestHash) {
    return insert(task, id, batchId, NO_AGG_PARAM, minClientTimestamp, maxClientTimestamp,
        state, requestHash);
  }

  /** {@link #insert} of a job with an aggregation parameter. */
  public boolean insert(TaskId task, AggregationJobId id, Optional<BatchId> batchId,
      byte[] aggParam, long minClientTimestamp, long maxClientTimestamp, State state,
      byte[] requestHash) {
    return tx.query("""
        INSERT INTO aggregation_jobs (task_id, aggregation_job_id, batch_id,
            min_client_timestamp, max_client_timestamp, state, step, last_request_hash,
            updated_by, aggregation_param)
        VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)
        ON CONFLICT (task_id, aggregation_job_id) DO NOTHING""",
        Tuple.tuple(Arrays.asList(Tx.buf(task.bytes()), Tx.buf(id.bytes()),
            batchId.map(b -> Tx.buf(b.bytes())).orElse(null), minClientTimestamp,
            maxClientTimestamp, state.name(), Tx.buf(requestHash), tx.name(),
            Tx.buf(aggParam)))).rowCount() == 1;
  }

  /**
   * Records a continuation the job answered (§4.5.2.2): its step, state, the request's hash and
   * the encoded response, for a retry of the same request.
   */
  public void stepped(TaskId task, AggregationJobId id, int step, State state,
      byte[] requestHash, byte[] response) {
    tx.query("""
        UPDATE aggregation_jobs SET step = $3, state = $4, last_request_hash = $5,
               last_response = $6, updated_at = now(), updated_by = $7
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(id.bytes()), step, state.name(),
            Tx.buf(requestHash), Tx.buf(response), tx.name())));
  }

  /** Records the encoded response to the request that created the job. */
  public void setResponse(TaskId task, AggregationJobId id, byte[] response) {
    tx.query("""
        UPDATE aggregation_jobs SET last_response = $3, updated_at = now(), updated_by = $4
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(id.bytes()), Tx.buf(response), tx.name()));
  }

  /** Marks the job deleted; false if there is no such job. */
  public boolean markDeleted(TaskId task, AggregationJobId id) {
    return tx.query("""
        UPDATE aggregation_jobs SET state = 'DELETED', updated_at = now(), updated_by = $3
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(id.bytes()), tx.name())).rowCount() == 1;
  }

  /**
   * Records the job's reports. A report whose id the task already has in any job is left out:
   * the returned set holds the ids that were recorded, every other one is a replay. Under the
   * datastore's isolation, a concurrent transaction recording the same id fails one of the two
   * with a serialization error; the retry then sees the id as taken.
   */
  public Set<ReportId> insertReportAggregations(TaskId task, AggregationJobId job,
      List<ReportAggregation> reports) {
    return insertReportAggregations(task, job, NO_AGG_PARAM, reports, Map.of());
  }

  /**
   * {@link #insertReportAggregations} under an aggregation parameter: a report id is a replay
   * only if the task already has it with this parameter (§4.5.1.4). {@code prepStates} holds the
   * encoded prep state of each {@link ReportState#WAITING} report by ord, sealed here.
   */
  public Set<ReportId> insertReportAggregations(TaskId task, AggregationJobId job,
      byte[] aggParam, List<ReportAggregation> reports, Map<Integer, byte[]> prepStates) {
    Set<ReportId> inserted = new HashSet<>();
    if (reports.isEmpty()) {
      return inserted;
    }
    Integer[] ords = new Integer[reports.size()];
    List<byte[]> ids = new ArrayList<>(reports.size());
    Long[] times = new Long[reports.size()];
    String[] states = new String[reports.size()];
    Integer[] errors = new Integer[reports.size()];
    List<byte[]> sealed = new ArrayList<>(reports.size());
    for (int i = 0; i < reports.size(); i++) {
      ReportAggregation r = reports.get(i);
      ords[i] = r.ord();
      ids.add(r.reportId().bytes());
      times[i] = r.clientTimestamp();
      states[i] = r.state().name();
      errors[i] = r.errorCode();
      byte[] state = prepStates.get(r.ord());
      sealed.add(state == null ? null : tx.crypter.encrypt("report_aggregations", "prep_state",
          Crypter.reportAggregationRow(task, job, r.ord()), state));
    }
    for (Row row : tx.query("""
        INSERT INTO report_aggregations (task_id, aggregation_job_id, ord, report_id,
            client_timestamp, state, error_code, updated_by, aggregation_param_hash,
            prep_state)
        SELECT $1, $2, o, r, t, s, e::smallint, $8, $9, p
          FROM unnest($3::int4[], $4::bytea[], $5::int8[], $6::text[], $7::int4[],
                      $10::bytea[])
               AS u(o, r, t, s, e, p)
        ON CONFLICT (task_id, report_id, aggregation_param_hash) DO NOTHING
        RETURNING report_id""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(job.bytes()), ords, Tx.bufs(ids), times,
            states, errors, tx.name(), Tx.buf(BatchAggregationStore.paramKey(aggParam)),
            Tx.bufs(sealed))))) {
      inserted.add(ReportId.of(Tx.bytes(row, "report_id")));
    }
    return inserted;
  }

  /** The job's recorded reports in request order. */
  public List<ReportAggregation> reportAggregations(TaskId task, AggregationJobId job) {
    List<ReportAggregation> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT ord, report_id, client_timestamp, state, error_code FROM report_aggregations
         WHERE task_id = $1 AND aggregation_job_id = $2 ORDER BY ord""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(job.bytes())))) {
      Short error = row.getShort("error_code");
      out.add(new ReportAggregation(row.getInteger("ord"),
          ReportId.of(Tx.bytes(row, "report_id")), row.getLong("client_timestamp"),
          ReportState.valueOf(row.getString("state")),
          error == null ? null : error.intValue()));
    }
    return out;
  }

  /** The job's waiting reports in request order, their prep states opened. */
  public List<WaitingReport> waitingReports(TaskId task, AggregationJobId job) {
    List<WaitingReport> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT ord, report_id, client_timestamp, prep_state FROM report_aggregations
         WHERE task_id = $1 AND aggregation_job_id = $2 AND state = 'WAITING' ORDER BY ord""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(job.bytes())))) {
      int ord = row.getInteger("ord");
      out.add(new WaitingReport(ord, ReportId.of(Tx.bytes(row, "report_id")),
          row.getLong("client_timestamp"), tx.crypter.decrypt("report_aggregations",
              "prep_state", Crypter.reportAggregationRow(task, job, ord),
              Tx.bytes(row, "prep_state"))));
    }
    return out;
  }

  /**
   * Moves waiting reports on: each to its new state, with its new encoded prep state when it
   * waits again (sealed here) and its error code when it failed.
   */
  public void advance(TaskId task, AggregationJobId job, List<ReportAggregation> reports,
      Map<Integer, byte[]> prepStates) {
    for (ReportAggregation r : reports) {
      byte[] state = prepStates.get(r.ord());
      tx.query("""
          UPDATE report_aggregations SET state = $4, error_code = $5::smallint, prep_state = $6,
                 updated_by = $7
           WHERE task_id = $1 AND aggregation_job_id = $2 AND ord = $3""",
          Tuple.tuple(Arrays.asList(Tx.buf(task.bytes()), Tx.buf(job.bytes()), r.ord(),
              r.state().name(), r.errorCode(), state == null ? null
                  : Tx.buf(tx.crypter.encrypt("report_aggregations", "prep_state",
                      Crypter.reportAggregationRow(task, job, r.ord()), state)), tx.name())));
    }
  }

  /**
   * The aggregation parameters each of {@code reports} was already aggregated with in the task's
   * earlier jobs (the is_valid check of §4.5.1.4).
   */
  public Map<ReportId, List<byte[]>> earlierParams(TaskId task, List<ReportId> reports) {
    Map<ReportId, List<byte[]>> out = new HashMap<>();
    if (reports.isEmpty()) {
      return out;
    }
    List<byte[]> ids = new ArrayList<>(reports.size());
    for (ReportId r : reports) {
      ids.add(r.bytes());
    }
    for (Row row : tx.query("""
        SELECT ra.report_id, j.aggregation_param
          FROM report_aggregations ra
          JOIN aggregation_jobs j
            ON j.task_id = ra.task_id AND j.aggregation_job_id = ra.aggregation_job_id
         WHERE ra.task_id = $1 AND ra.report_id = ANY($2)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids)))) {
      out.computeIfAbsent(ReportId.of(Tx.bytes(row, "report_id")), k -> new ArrayList<>())
          .add(Tx.bytes(row, "aggregation_param"));
    }
    return out;
  }

  /** Whether any aggregation job of the task named this batch (fixed-size tasks). */
  public boolean batchIdUsed(TaskId task, BatchId batchId) {
    return tx.query("""
        SELECT 1 FROM aggregation_jobs WHERE task_id = $1 AND batch_id = $2 LIMIT 1""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batchId.bytes()))).size() > 0;
  }
}
