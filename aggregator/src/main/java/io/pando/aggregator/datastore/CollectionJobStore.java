package io.pando.aggregator.datastore;

import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The leader's collection jobs ({@code collection_jobs}, DAP-09 §4.6): created by the
 * collector's {@code PUT}, driven under a lease ({@link LeaseStore}) through START, COLLECTABLE
 * and FINISHED or FAILED, read by the collector's {@code POST}. A fixed-size job's batch id is
 * {@code batch_identifier}; a time-interval job's query interval is {@code [batch_start,
 * batch_end)}, in seconds for both drafts. {@code query} holds a DAP-09 job's encoded {@code
 * Query} and a DAP-18 job's whole encoded {@code CollectionJobReq} (draft-ietf-ppm-dap-18
 * §4.6.1), which its aggregate share request and AAD repeat.
 */
public final class CollectionJobStore {
  /** Job states. */
  public static final String START = "START";
  public static final String COLLECTABLE = "COLLECTABLE";
  public static final String FINISHED = "FINISHED";
  public static final String FAILED = "FAILED";
  public static final String ABANDONED = "ABANDONED";
  public static final String DELETED = "DELETED";

  private final Tx tx;

  CollectionJobStore(Tx tx) {
    this.tx = tx;
  }

  /**
   * A stored job. Nullable: {@code batchIdentifier} (time-interval jobs, and current-batch jobs
   * before they pick a batch), {@code batchStart}/{@code batchEnd} (fixed-size jobs), the
   * results (until recorded or finished) and the problem (unless FAILED).
   */
  public record Job(byte[] jobId, String state, byte[] query, byte[] batchIdentifier,
      Long batchStart, Long batchEnd, boolean recorded, Long reportCount, Long intervalStart,
      Long intervalDuration, byte[] checksum, byte[] leaderEncryptedShare,
      byte[] helperEncryptedShare, Integer problemStatus, String problemType,
      String problemDetail) {}

  private static Tuple key(TaskId task, byte[] jobId) {
    return Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId));
  }

  /** The job, if it exists. */
  public Optional<Job> get(TaskId task, byte[] jobId) {
    RowSet<Row> rows = tx.query("""
        SELECT collection_job_id, state, query, batch_identifier, batch_start, batch_end,
               recorded, report_count, interval_start, interval_duration, checksum,
               leader_encrypted_share, helper_encrypted_share, problem_status, problem_type,
               problem_detail
          FROM collection_jobs WHERE task_id = $1 AND collection_job_id = $2""",
        key(task, jobId));
    if (rows.size() == 0) {
      return Optional.empty();
    }
    return Optional.of(job(rows.iterator().next()));
  }

  private static Job job(Row row) {
    return new Job(Tx.bytes(row, "collection_job_id"), row.getString("state"),
        Tx.bytes(row, "query"), Tx.bytes(row, "batch_identifier"), row.getLong("batch_start"),
        row.getLong("batch_end"), row.getBoolean("recorded"), row.getLong("report_count"),
        row.getLong("interval_start"), row.getLong("interval_duration"),
        Tx.bytes(row, "checksum"), Tx.bytes(row, "leader_encrypted_share"),
        Tx.bytes(row, "helper_encrypted_share"), row.getInteger("problem_status"),
        row.getString("problem_type"), row.getString("problem_detail"));
  }

  /**
   * Creates a job in state START, announced now. False if a job with this id exists already
   * (a concurrent transaction creating it makes this one fail with a serialization error under
   * the datastore's isolation; its retry then finds the job).
   */
  public boolean insert(TaskId task, byte[] jobId, byte[] query, Long batchStart, Long batchEnd,
      byte[] batchIdentifier) {
    return tx.query("""
        INSERT INTO collection_jobs (task_id, collection_job_id, query, batch_identifier,
            batch_start, batch_end, state, announced_at, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, 'START', now(), $7)
        ON CONFLICT (task_id, collection_job_id) DO NOTHING""",
        Tuple.tuple(Arrays.asList(Tx.buf(task.bytes()), Tx.buf(jobId), Tx.buf(query),
            Tx.buf(batchIdentifier), batchStart, batchEnd, tx.name()))).rowCount() > 0;
  }

  /** Marks the job DELETED and ends its lease; false if it does not exist. */
  public boolean delete(TaskId task, byte[] jobId) {
    return tx.query("""
        UPDATE collection_jobs
           SET state = 'DELETED', lease_token = NULL, lease_expiry = '-infinity',
               updated_at = now(), updated_by = $3
         WHERE task_id = $1 AND collection_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), tx.name())).rowCount() > 0;
  }

  /** Sets the batch a current-batch job collects. */
  public void setBatch(TaskId task, byte[] jobId, BatchId batch) {
    tx.query("""
        UPDATE collection_jobs SET batch_identifier = $3, updated_at = now(), updated_by = $4
         WHERE task_id = $1 AND collection_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), Tx.buf(batch.bytes()), tx.name()));
  }

  /** What recording a query stores: the batch's contents and the leader's sealed share. */
  public record Recorded(long reportCount, byte[] checksum, long intervalStart,
      long intervalDuration, byte[] leaderEncryptedShare) {}

  /** The query was recorded: the job becomes COLLECTABLE with the leader's results. */
  public void record(TaskId task, byte[] jobId, Recorded r) {
    tx.query("""
        UPDATE collection_jobs
           SET state = 'COLLECTABLE', recorded = TRUE, report_count = $3, checksum = $4,
               interval_start = $5, interval_duration = $6, leader_encrypted_share = $7,
               updated_at = now(), updated_by = $8
         WHERE task_id = $1 AND collection_job_id = $2""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(jobId), r.reportCount(),
            Tx.buf(r.checksum()), r.intervalStart(), r.intervalDuration(),
            Tx.buf(r.leaderEncryptedShare()), tx.name())));
  }

  /** The helper's share arrived: FINISHED, lease ended. */
  public void finish(TaskId task, byte[] jobId, byte[] helperEncryptedShare) {
    tx.query("""
        UPDATE collection_jobs
           SET state = 'FINISHED', helper_encrypted_share = $3, lease_token = NULL,
               lease_expiry = '-infinity', updated_at = now(), updated_by = $4
         WHERE task_id = $1 AND collection_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), Tx.buf(helperEncryptedShare), tx.name()));
  }

  /** The job failed with a problem served to the collector: FAILED, lease ended. */
  public void fail(TaskId task, byte[] jobId, int status, String type, String detail) {
    tx.query("""
        UPDATE collection_jobs
           SET state = 'FAILED', problem_status = $3, problem_type = $4, problem_detail = $5,
               lease_token = NULL, lease_expiry = '-infinity', updated_at = now(),
               updated_by = $6
         WHERE task_id = $1 AND collection_job_id = $2""",
        Tuple.tuple(Arrays.asList(Tx.buf(task.bytes()), Tx.buf(jobId), status, type, detail,
            tx.name())));
  }

  /**
   * Forgets a job's recorded query (its reservation is released): it no longer counts as a
   * query of its interval for the overlap check, nor claims its fixed-size batch.
   */
  public void unrecord(TaskId task, byte[] jobId) {
    tx.query("""
        UPDATE collection_jobs SET recorded = FALSE, updated_by = $3
         WHERE task_id = $1 AND collection_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), tx.name()));
  }

  /**
   * Whether a finished collection of the task returned this batch id (DAP-09 §4.6.6.1, the
   * boundary check of a {@code by_batch_id} query); a later DELETE does not undo that.
   */
  public boolean batchReturned(TaskId task, BatchId batch) {
    return tx.query("""
        SELECT 1 FROM collection_jobs
         WHERE task_id = $1 AND batch_identifier = $2 AND helper_encrypted_share IS NOT NULL
         LIMIT 1""", Tuple.of(Tx.buf(task.bytes()), Tx.buf(batch.bytes()))).size() > 0;
  }

  /**
   * Picks the oldest filled fixed-size batch that no collection job is associated with
   * (§4.1.2: "a batch that has not yet been associated with a collection job") and writes its
   * row, so that a concurrent pick of the same batch fails with a serialization error and is
   * retried (the retry then sees this job's claim, once {@link #setBatch} has committed). A job
   * deleted before it recorded its query gives its batch back.
   */
  public Optional<BatchId> pickFilledBatch(TaskId task) {
    RowSet<Row> rows = tx.query("""
        SELECT ob.batch_id FROM outstanding_batches ob
         WHERE ob.task_id = $1 AND ob.filled
           AND NOT EXISTS (SELECT 1 FROM collection_jobs cj
                            WHERE cj.task_id = ob.task_id AND cj.batch_identifier = ob.batch_id
                              AND (cj.recorded OR cj.state <> 'DELETED'))
         ORDER BY ob.created_at, ob.batch_id
         LIMIT 1
           FOR UPDATE OF ob""", Tuple.of(Tx.buf(task.bytes())));
    if (rows.size() == 0) {
      return Optional.empty();
    }
    byte[] id = Tx.bytes(rows.iterator().next(), "batch_id");
    tx.query("""
        UPDATE outstanding_batches SET updated_by = $3 WHERE task_id = $1 AND batch_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(id), tx.name()));
    return Optional.of(BatchId.of(id));
  }

  /**
   * {@link #insert} of a job with the collector's aggregation parameter (migration V96).
   */
  public boolean insert(TaskId task, byte[] jobId, byte[] query, byte[] aggParam,
      Long batchStart, Long batchEnd, byte[] batchIdentifier) {
    return tx.query("""
        INSERT INTO collection_jobs (task_id, collection_job_id, query, batch_identifier,
            batch_start, batch_end, state, announced_at, updated_by, aggregation_param)
        VALUES ($1, $2, $3, $4, $5, $6, 'START', now(), $7, $8)
        ON CONFLICT (task_id, collection_job_id) DO NOTHING""",
        Tuple.tuple(Arrays.asList(Tx.buf(task.bytes()), Tx.buf(jobId), Tx.buf(query),
            Tx.buf(batchIdentifier), batchStart, batchEnd, tx.name(), Tx.buf(aggParam))))
        .rowCount() > 0;
  }

  /** The job's aggregation parameter, if the job exists. */
  public Optional<byte[]> aggregationParam(TaskId task, byte[] jobId) {
    RowSet<Row> rows = tx.query("""
        SELECT aggregation_param FROM collection_jobs
         WHERE task_id = $1 AND collection_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId)));
    return rows.size() == 0 ? Optional.empty()
        : Optional.of(Tx.bytes(rows.iterator().next(), "aggregation_param"));
  }

  /**
   * The aggregation parameters of the task's other jobs for the batch interval {@code [start,
   * end)} that count: recorded, or not deleted (DAP-09 §4.6.6, repeated collection).
   */
  public List<byte[]> aggregationParamsOfInterval(TaskId task, byte[] jobId, long start,
      long end) {
    List<byte[]> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT aggregation_param FROM collection_jobs
         WHERE task_id = $1 AND collection_job_id <> $2 AND batch_start = $3 AND batch_end = $4
           AND (recorded OR state NOT IN ('DELETED', 'FAILED', 'ABANDONED'))
         ORDER BY created_at""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), start, end))) {
      out.add(Tx.bytes(row, "aggregation_param"));
    }
    return out;
  }

  /** A recorded time-interval query: its batch interval {@code [start, end)}. */
  public record QueriedInterval(long start, long end) {}

  /**
   * The recorded queries of other jobs of the task whose batch interval intersects {@code
   * [start, end)} without being equal to it.
   */
  public List<QueriedInterval> otherIntervalsOverlapping(TaskId task, byte[] jobId, long start,
      long end) {
    List<QueriedInterval> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT DISTINCT batch_start, batch_end FROM collection_jobs
         WHERE task_id = $1 AND recorded AND collection_job_id <> $2
           AND batch_start < $4 AND batch_end > $3
           AND NOT (batch_start = $3 AND batch_end = $4)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId), start, end))) {
      out.add(new QueriedInterval(row.getLong("batch_start"), row.getLong("batch_end")));
    }
    return out;
  }

  /** A job as listed for tests and the admin API. */
  public record Summary(byte[] jobId, String state, int attempts, boolean recorded,
      Long reportCount) {}

  /** Every job of the task, oldest first. */
  public List<Summary> list(TaskId task) {
    List<Summary> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT collection_job_id, state, lease_attempts, recorded, report_count
          FROM collection_jobs WHERE task_id = $1 ORDER BY created_at, collection_job_id""",
        Tuple.of(Tx.buf(task.bytes())))) {
      out.add(new Summary(Tx.bytes(row, "collection_job_id"), row.getString("state"),
          row.getInteger("lease_attempts"), row.getBoolean("recorded"),
          row.getLong("report_count")));
    }
    return out;
  }
}
