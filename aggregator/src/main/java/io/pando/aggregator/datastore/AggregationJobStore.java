package io.pando.aggregator.datastore;

import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leader's side of aggregation jobs (DAP-09 §4.5): {@code aggregation_jobs} and their {@code
 * report_aggregations} as the job creator writes them and the job driver reads and completes
 * them, and the fixed-size {@code outstanding_batches} the creator fills. Leases are in {@link
 * LeaseStore}.
 */
public final class AggregationJobStore {
  /** Report aggregation states. */
  public static final String START = "START";
  public static final String FINISHED = "FINISHED";
  public static final String FAILED = "FAILED";

  /** Aggregation job states. */
  public static final String JOB_IN_PROGRESS = "IN_PROGRESS";
  public static final String JOB_FINISHED = "FINISHED";
  public static final String JOB_ABANDONED = "ABANDONED";

  private final Tx tx;

  AggregationJobStore(Tx tx) {
    this.tx = tx;
  }

  /** A new job: its id, its batch (fixed-size tasks) and the span of its reports' times. */
  public record NewJob(byte[] jobId, Optional<BatchId> batchId, long minClientTimestamp,
      long maxClientTimestamp, String state) {}

  /** A report's place in a job; {@code errorCode} is the PrepareError code when FAILED. */
  public record NewReportAggregation(int ord, ReportId reportId, long clientTimestamp,
      String state, Integer errorCode) {}

  /** Writes a job and its report aggregations; the job counts as announced now. */
  public void insert(TaskId task, NewJob job, List<NewReportAggregation> reports) {
    tx.query("""
        INSERT INTO aggregation_jobs (task_id, aggregation_job_id, batch_id, min_client_timestamp,
            max_client_timestamp, state, announced_at, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, now(), $7)""",
        Tuple.tuple(Arrays.asList(Tx.buf(task.bytes()), Tx.buf(job.jobId()),
            Tx.buf(job.batchId().map(BatchId::bytes).orElse(null)),
            job.minClientTimestamp(), job.maxClientTimestamp(), job.state(), tx.name())));
    List<Integer> ords = new ArrayList<>();
    List<byte[]> ids = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    List<String> states = new ArrayList<>();
    List<Short> errors = new ArrayList<>();
    for (NewReportAggregation r : reports) {
      ords.add(r.ord());
      ids.add(r.reportId().bytes());
      times.add(r.clientTimestamp());
      states.add(r.state());
      errors.add(r.errorCode() == null ? null : r.errorCode().shortValue());
    }
    tx.query("""
        INSERT INTO report_aggregations (task_id, aggregation_job_id, ord, report_id,
            client_timestamp, state, error_code, updated_by)
        SELECT $1, $2, o, r, ts, s, e, $8
          FROM unnest($3::int4[], $4::bytea[], $5::int8[], $6::text[], $7::int2[])
            AS u(o, r, ts, s, e)""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(job.jobId()),
            ords.toArray(new Integer[0]), Tx.bufs(ids), times.toArray(new Long[0]),
            states.toArray(new String[0]), errors.toArray(new Short[0]), tx.name())));
  }

  /** A report waiting in a job, with what the leader needs to prepare it. */
  public record PendingReport(int ord, ReportId reportId, long clientTimestamp,
      byte[] publicShare, byte[] leaderInputShare, byte[] helperEncryptedInputShare,
      boolean leaderInputShareSealed) {
    /** Whether the report's payload is still stored (it is scrubbed once aggregated). */
    public boolean hasPayload() {
      return publicShare != null && leaderInputShare != null && helperEncryptedInputShare != null;
    }
  }

  /** A job as the driver sees it: its batch (fixed-size tasks) and its reports still to do. */
  public record LeaderJob(String state, Optional<BatchId> batchId, List<PendingReport> reports) {}

  /**
   * A job's START report aggregations in request order, each with its report's shares.
   *
   * <p>Each report is looked up by the whole primary key of {@code client_reports}. A plain join
   * lets the planner, when the statistics do not know the task yet (a new task that receives a
   * backlog before the next ANALYZE), estimate one row on each side and scan all of the task's
   * reports once per report aggregation: seconds to minutes per job instead of milliseconds. The
   * {@code OFFSET 0} keeps the lateral subquery from being flattened into such a join.
   */
  static final String PENDING_REPORTS = """
      SELECT ra.ord, ra.report_id, ra.client_timestamp, cr.public_share, cr.leader_input_share,
             cr.helper_encrypted_input_share, cr.leader_input_share_sealed
        FROM report_aggregations ra
        LEFT JOIN LATERAL (
              SELECT public_share, leader_input_share, helper_encrypted_input_share,
                     leader_input_share_sealed
                FROM client_reports
               WHERE task_id = ra.task_id AND report_id = ra.report_id
              OFFSET 0) cr ON TRUE
       WHERE ra.task_id = $1 AND ra.aggregation_job_id = $2 AND ra.state = 'START'
       ORDER BY ra.ord""";

  /** The job and its START report aggregations in request order, if the job exists. */
  public Optional<LeaderJob> load(TaskId task, byte[] jobId) {
    Tuple key = Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId));
    RowSet<Row> jobs = tx.query("""
        SELECT state, batch_id FROM aggregation_jobs
         WHERE task_id = $1 AND aggregation_job_id = $2""", key);
    if (jobs.size() == 0) {
      return Optional.empty();
    }
    Row job = jobs.iterator().next();
    byte[] batch = Tx.bytes(job, "batch_id");
    List<PendingReport> reports = new ArrayList<>();
    for (Row row : tx.query(PENDING_REPORTS, key)) {
      reports.add(new PendingReport(row.getInteger("ord"),
          ReportId.of(Tx.bytes(row, "report_id")), row.getLong("client_timestamp"),
          Tx.bytes(row, "public_share"), Tx.bytes(row, "leader_input_share"),
          Tx.bytes(row, "helper_encrypted_input_share"),
          Boolean.TRUE.equals(row.getBoolean("leader_input_share_sealed"))));
    }
    return Optional.of(new LeaderJob(job.getString("state"),
        Optional.ofNullable(batch).map(BatchId::of), reports));
  }

  /** A report of a two-round job waiting for the continuation, with its opened state. */
  public record WaitingReport(int ord, ReportId reportId, long clientTimestamp,
      byte[] prepState) {}

  /**
   * Moves reports of a job to WAITING with their encoded leader states (sealed here, as the
   * helper's prep states are) and the job to step 1: the init exchange is done.
   */
  public void waitForContinuation(TaskId task, byte[] jobId, Map<Integer, byte[]> states) {
    io.pando.dap.messages.AggregationJobId id = io.pando.dap.messages.AggregationJobId.of(jobId);
    for (Map.Entry<Integer, byte[]> e : states.entrySet()) {
      tx.query("""
          UPDATE report_aggregations SET state = 'WAITING', prep_state = $4, updated_by = $5
           WHERE task_id = $1 AND aggregation_job_id = $2 AND ord = $3""",
          Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(jobId), e.getKey(),
              Tx.buf(tx.crypter.encrypt("report_aggregations", "prep_state",
                  Crypter.reportAggregationRow(task, id, e.getKey()), e.getValue())),
              tx.name())));
    }
    tx.query("""
        UPDATE aggregation_jobs SET step = 1, updated_at = now(), updated_by = $3
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), tx.name()));
  }

  /** The job's WAITING reports in request order, their states opened. */
  public List<WaitingReport> waiting(TaskId task, byte[] jobId) {
    io.pando.dap.messages.AggregationJobId id = io.pando.dap.messages.AggregationJobId.of(jobId);
    List<WaitingReport> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT ord, report_id, client_timestamp, prep_state FROM report_aggregations
         WHERE task_id = $1 AND aggregation_job_id = $2 AND state = 'WAITING' ORDER BY ord""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId)))) {
      int ord = row.getInteger("ord");
      out.add(new WaitingReport(ord, ReportId.of(Tx.bytes(row, "report_id")),
          row.getLong("client_timestamp"), tx.crypter.decrypt("report_aggregations",
              "prep_state", Crypter.reportAggregationRow(task, id, ord),
              Tx.bytes(row, "prep_state"))));
    }
    return out;
  }

  /** A report aggregation's end: FINISHED, or FAILED with a PrepareError code. */
  public record Completion(int ord, String state, Integer errorCode) {}

  /** Writes the end state of report aggregations of one job. */
  public void complete(TaskId task, byte[] jobId, List<Completion> completions) {
    if (completions.isEmpty()) {
      return;
    }
    List<Integer> ords = new ArrayList<>();
    List<String> states = new ArrayList<>();
    List<Short> errors = new ArrayList<>();
    for (Completion c : completions) {
      ords.add(c.ord());
      states.add(c.state());
      errors.add(c.errorCode() == null ? null : c.errorCode().shortValue());
    }
    tx.query("""
        UPDATE report_aggregations ra SET state = u.s, error_code = u.e, updated_by = $6
          FROM unnest($3::int4[], $4::text[], $5::int2[]) AS u(o, s, e)
         WHERE ra.task_id = $1 AND ra.aggregation_job_id = $2 AND ra.ord = u.o""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(jobId), ords.toArray(new Integer[0]),
            states.toArray(new String[0]), errors.toArray(new Short[0]), tx.name())));
  }

  /** A report of a job that was just failed. */
  public record FailedReport(ReportId reportId, long clientTimestamp) {}

  /** Fails every unfinished report aggregation of a job with {@code errorCode}. */
  public List<FailedReport> failUnfinished(TaskId task, byte[] jobId, int errorCode) {
    List<FailedReport> out = new ArrayList<>();
    for (Row row : tx.query("""
        UPDATE report_aggregations SET state = 'FAILED', error_code = $3, updated_by = $4
         WHERE task_id = $1 AND aggregation_job_id = $2 AND state IN ('START', 'WAITING')
        RETURNING report_id, client_timestamp""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), (short) errorCode, tx.name()))) {
      out.add(new FailedReport(ReportId.of(Tx.bytes(row, "report_id")),
          row.getLong("client_timestamp")));
    }
    return out;
  }

  /** The batch of a job (fixed-size tasks), if any. */
  public Optional<BatchId> batchOf(TaskId task, byte[] jobId) {
    RowSet<Row> rows = tx.query("""
        SELECT batch_id FROM aggregation_jobs WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId)));
    if (rows.size() == 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(Tx.bytes(rows.iterator().next(), "batch_id")).map(BatchId::of);
  }

  /**
   * {@link #insert} of a job under an aggregation parameter (migration V95): the job keeps the
   * parameter, its report aggregations its key.
   */
  public void insert(TaskId task, NewJob job, byte[] aggParam,
      List<NewReportAggregation> reports) {
    insert(task, job, reports);
    tx.query("""
        UPDATE aggregation_jobs SET aggregation_param = $3
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(job.jobId()), Tx.buf(aggParam)));
    tx.query("""
        UPDATE report_aggregations SET aggregation_param_hash = $3
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(job.jobId()),
            Tx.buf(BatchAggregationStore.paramKey(aggParam))));
  }

  /** Whether the task has a job under {@code aggParam} whose reports' times meet the interval. */
  public boolean anyWithParam(TaskId task, byte[] aggParam, long start, long end) {
    return tx.query("""
        SELECT 1 FROM aggregation_jobs
         WHERE task_id = $1 AND aggregation_param = $4
           AND min_client_timestamp < $3 AND max_client_timestamp >= $2
         LIMIT 1""", Tuple.of(Tx.buf(task.bytes()), start, end, Tx.buf(aggParam))).size() > 0;
  }

  /** A job's aggregation parameter (empty for Prio3). */
  public byte[] aggregationParam(TaskId task, byte[] jobId) {
    RowSet<Row> rows = tx.query("""
        SELECT aggregation_param FROM aggregation_jobs
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId)));
    return rows.size() == 0 ? new byte[0]
        : Tx.bytes(rows.iterator().next(), "aggregation_param");
  }

  /**
   * Keeps the helper's resource of a DAP-18 job (the Location of its answer to the init POST,
   * DAP-18 §4.5.3, migration V99), where the continuation and the DELETE go.
   */
  public void helperLocation(TaskId task, byte[] jobId, String location) {
    tx.query("""
        UPDATE aggregation_jobs SET helper_location = $3, updated_by = $4
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), location, tx.name()));
  }

  /** The helper's resource of a DAP-18 job, once its init POST was answered. */
  public Optional<String> helperLocation(TaskId task, byte[] jobId) {
    RowSet<Row> rows = tx.query("""
        SELECT helper_location FROM aggregation_jobs
         WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId)));
    return rows.size() == 0 ? Optional.empty()
        : Optional.ofNullable(rows.iterator().next().getString("helper_location"));
  }

  /**
   * Whether an unfinished job of the task may hold reports with times in {@code [start, end)}
   * (its span of client times intersects it): a time-interval collection waits for it.
   */
  public boolean inProgressOverlapping(TaskId task, long start, long end) {
    return tx.query("""
        SELECT 1 FROM aggregation_jobs
         WHERE task_id = $1 AND state = 'IN_PROGRESS'
           AND min_client_timestamp < $3 AND max_client_timestamp >= $2
         LIMIT 1""", Tuple.of(Tx.buf(task.bytes()), start, end)).size() > 0;
  }

  /** Whether an unfinished job of the task belongs to the fixed-size batch. */
  public boolean inProgressInBatch(TaskId task, BatchId batch) {
    return tx.query("""
        SELECT 1 FROM aggregation_jobs
         WHERE task_id = $1 AND state = 'IN_PROGRESS' AND batch_id = $2
         LIMIT 1""", Tuple.of(Tx.buf(task.bytes()), Tx.buf(batch.bytes()))).size() > 0;
  }

  // ---- fixed-size batches ------------------------------------------------------------------

  /** A fixed-size batch still taking reports: assigned (upper bound) and aggregated counts. */
  public record OutstandingBatch(BatchId batchId, long assigned, long aggregated, boolean filled) {}

  /** The task's unfilled batches, locked until the transaction ends, fullest first. */
  public List<OutstandingBatch> lockUnfilledBatches(TaskId task) {
    List<OutstandingBatch> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT batch_id, report_count, aggregated_count, filled FROM outstanding_batches
         WHERE task_id = $1 AND NOT filled
         ORDER BY report_count DESC, created_at
           FOR UPDATE""", Tuple.of(Tx.buf(task.bytes())))) {
      out.add(batch(row));
    }
    return out;
  }

  private static OutstandingBatch batch(Row row) {
    return new OutstandingBatch(BatchId.of(Tx.bytes(row, "batch_id")),
        row.getLong("report_count"), row.getLong("aggregated_count"), row.getBoolean("filled"));
  }

  /** Creates a batch with {@code assigned} reports assigned. */
  public void insertBatch(TaskId task, BatchId batch, long assigned) {
    tx.query("""
        INSERT INTO outstanding_batches (task_id, batch_id, report_count, updated_by)
        VALUES ($1, $2, $3, $4)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batch.bytes()), assigned, tx.name()));
  }

  /** Adds to a batch's assigned reports. */
  public void assign(TaskId task, BatchId batch, long delta) {
    tx.query("""
        UPDATE outstanding_batches SET report_count = report_count + $3, updated_by = $4
         WHERE task_id = $1 AND batch_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batch.bytes()), delta, tx.name()));
  }

  /**
   * Records finished jobs' outcome in their batch: {@code aggregated} reports now count towards
   * its size, {@code failed} no longer hold a place in it. The batch is filled once {@code
   * minBatchSize} reports are aggregated.
   */
  public void batchProgress(TaskId task, BatchId batch, long aggregated, long failed,
      long minBatchSize) {
    tx.query("""
        UPDATE outstanding_batches
           SET aggregated_count = aggregated_count + $3,
               report_count = GREATEST(report_count - $4, 0),
               filled = filled OR aggregated_count + $3 >= $5,
               updated_by = $6
         WHERE task_id = $1 AND batch_id = $2""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(batch.bytes()), aggregated, failed,
            minBatchSize, tx.name())));
  }

  /** Marks a batch filled: it takes no more reports. */
  public void markFilled(TaskId task, BatchId batch) {
    tx.query("""
        UPDATE outstanding_batches SET filled = TRUE, updated_by = $3
         WHERE task_id = $1 AND batch_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batch.bytes()), tx.name()));
  }

  /** Every batch of the task (tests, admin). */
  public List<OutstandingBatch> batches(TaskId task) {
    List<OutstandingBatch> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT batch_id, report_count, aggregated_count, filled FROM outstanding_batches
         WHERE task_id = $1 ORDER BY created_at""", Tuple.of(Tx.buf(task.bytes())))) {
      out.add(batch(row));
    }
    return out;
  }

  // ---- inspection --------------------------------------------------------------------------

  /** One job's summary (tests, admin). */
  public record JobSummary(byte[] jobId, String state, Optional<BatchId> batchId, int attempts,
      int reports) {}

  /** The task's jobs, oldest first. */
  public List<JobSummary> jobs(TaskId task) {
    List<JobSummary> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT j.aggregation_job_id, j.state, j.batch_id, j.lease_attempts,
               (SELECT count(*) FROM report_aggregations ra
                 WHERE ra.task_id = j.task_id AND ra.aggregation_job_id = j.aggregation_job_id)
                 AS reports
          FROM aggregation_jobs j WHERE j.task_id = $1 ORDER BY j.created_at""",
        Tuple.of(Tx.buf(task.bytes())))) {
      out.add(new JobSummary(Tx.bytes(row, "aggregation_job_id"), row.getString("state"),
          Optional.ofNullable(Tx.bytes(row, "batch_id")).map(BatchId::of),
          row.getInteger("lease_attempts"), row.getLong("reports").intValue()));
    }
    return out;
  }

  /** A report aggregation as stored (tests, admin). */
  public record ReportAggregationRow(byte[] jobId, int ord, ReportId reportId, String state,
      Integer errorCode, Optional<BatchId> batchId) {}

  /** Every report aggregation of the task. */
  public List<ReportAggregationRow> reportAggregations(TaskId task) {
    List<ReportAggregationRow> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT ra.aggregation_job_id, ra.ord, ra.report_id, ra.state, ra.error_code, j.batch_id
          FROM report_aggregations ra
          JOIN aggregation_jobs j
            ON j.task_id = ra.task_id AND j.aggregation_job_id = ra.aggregation_job_id
         WHERE ra.task_id = $1 ORDER BY j.created_at, ra.ord""",
        Tuple.of(Tx.buf(task.bytes())))) {
      Short err = row.getShort("error_code");
      out.add(new ReportAggregationRow(Tx.bytes(row, "aggregation_job_id"),
          row.getInteger("ord"), ReportId.of(Tx.bytes(row, "report_id")),
          row.getString("state"), err == null ? null : err.intValue(),
          Optional.ofNullable(Tx.bytes(row, "batch_id")).map(BatchId::of)));
    }
    return out;
  }

  /** Report aggregations of the task by state (FAILED split by error code). */
  public Map<String, Long> countByState(TaskId task) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Row row : tx.query("""
        SELECT state, error_code, count(*) AS n FROM report_aggregations WHERE task_id = $1
         GROUP BY state, error_code ORDER BY state, error_code""",
        Tuple.of(Tx.buf(task.bytes())))) {
      Short err = row.getShort("error_code");
      out.put(err == null ? row.getString("state") : row.getString("state") + "/" + err,
          row.getLong("n"));
    }
    return out;
  }
}
