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
import java.util.HashSet;
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
    FAILED
  }

  /** An aggregation job as stored. */
  public record HelperJob(TaskId taskId, AggregationJobId id, State state, int step,
      byte[] lastRequestHash, byte[] lastResponse) {}

  /**
   * One report of a job: its position in the request, id, client time, and the error code when
   * it failed.
   */
  public record ReportAggregation(int ord, ReportId reportId, long clientTimestamp,
      ReportState state, Integer errorCode) {}

  private final Tx tx;

  HelperJobStore(Tx tx) {
    this.tx = tx;
  }

  /** The job, if the task has one with this id. */
  public Optional<HelperJob> get(TaskId task, AggregationJobId id) {
    RowSet<Row> rows = tx.query("""
        SELECT state, step, last_request_hash, last_response FROM aggregation_jobs
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(id.bytes())));
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new HelperJob(task, id, State.valueOf(row.getString("state")),
        row.getInteger("step"), Tx.bytes(row, "last_request_hash"),
        Tx.bytes(row, "last_response")));
  }

  /**
   * Creates a job. Returns false if the task already has a job with this id; under the
   * datastore's isolation, a job created by a concurrent transaction fails this one with a
   * serialization error instead, and the retry sees it.
   */
  public boolean insert(TaskId task, AggregationJobId id, Optional<BatchId> batchId,
      long minClientTimestamp, long maxClientTimestamp, State state, byte[] requestHash) {
    return tx.query("""
        INSERT INTO aggregation_jobs (task_id, aggregation_job_id, batch_id,
            min_client_timestamp, max_client_timestamp, state, step, last_request_hash,
            updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)
        ON CONFLICT (task_id, aggregation_job_id) DO NOTHING""",
        Tuple.tuple(Arrays.asList(Tx.buf(task.bytes()), Tx.buf(id.bytes()),
            batchId.map(b -> Tx.buf(b.bytes())).orElse(null), minClientTimestamp,
            maxClientTimestamp, state.name(), Tx.buf(requestHash), tx.name()))).rowCount() == 1;
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
    Set<ReportId> inserted = new HashSet<>();
    if (reports.isEmpty()) {
      return inserted;
    }
    Integer[] ords = new Integer[reports.size()];
    List<byte[]> ids = new ArrayList<>(reports.size());
    Long[] times = new Long[reports.size()];
    String[] states = new String[reports.size()];
    Integer[] errors = new Integer[reports.size()];
    for (int i = 0; i < reports.size(); i++) {
      ReportAggregation r = reports.get(i);
      ords[i] = r.ord();
      ids.add(r.reportId().bytes());
      times[i] = r.clientTimestamp();
      states[i] = r.state().name();
      errors[i] = r.errorCode();
    }
    for (Row row : tx.query("""
        INSERT INTO report_aggregations (task_id, aggregation_job_id, ord, report_id,
            client_timestamp, state, error_code, updated_by)
        SELECT $1, $2, o, r, t, s, e::smallint, $8
          FROM unnest($3::int4[], $4::bytea[], $5::int8[], $6::text[], $7::int4[])
               AS u(o, r, t, s, e)
        ON CONFLICT (task_id, report_id) DO NOTHING
        RETURNING report_id""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(job.bytes()), ords, Tx.bufs(ids), times,
            states, errors, tx.name())))) {
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

  /** Whether any aggregation job of the task named this batch (fixed-size tasks). */
  public boolean batchIdUsed(TaskId task, BatchId batchId) {
    return tx.query("""
        SELECT 1 FROM aggregation_jobs WHERE task_id = $1 AND batch_id = $2 LIMIT 1""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batchId.bytes()))).size() > 0;
  }
}
