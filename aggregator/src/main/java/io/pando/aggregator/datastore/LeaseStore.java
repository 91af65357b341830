package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Leases on the leader's jobs ({@code aggregation_jobs}, {@code collection_jobs}). PostgreSQL is
 * the truth about who drives a job: a driver acquires one job with {@code FOR UPDATE SKIP
 * LOCKED}, which sets {@code lease_expiry}, a fresh random {@code lease_token} and increments
 * {@code lease_attempts}; every later write of that driver names the token (fencing), so a driver
 * whose lease was taken over cannot commit. Times are the database's clock, shared by all
 * replicas.
 */
public final class LeaseStore {
  /** The tables holding leased jobs, with the states in which a job may be leased. */
  public enum JobTable {
    AGGREGATION("aggregation_jobs", "aggregation_job_id", "j.state = 'IN_PROGRESS'"),
    COLLECTION("collection_jobs", "collection_job_id", "j.state IN ('START', 'COLLECTABLE')");

    final String table;
    final String idColumn;
    final String leasable;

    JobTable(String table, String idColumn, String leasable) {
      this.table = table;
      this.idColumn = idColumn;
      this.leasable = leasable;
    }
  }

  /** A job of a leader task: the task and the 16-byte job id. */
  public record JobKey(TaskId taskId, byte[] jobId) {
    public JobKey {
      jobId = jobId.clone();
    }

    @Override
    public byte[] jobId() {
      return jobId.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof JobKey k && taskId.equals(k.taskId) && Arrays.equals(jobId, k.jobId);
    }

    @Override
    public int hashCode() {
      return taskId.hashCode() * 31 + Arrays.hashCode(jobId);
    }

    @Override
    public String toString() {
      return taskId + "/" + java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString(jobId);
    }
  }

  /** The outcome of an acquisition attempt. */
  public sealed interface Acquisition {
    /** The lease is ours until {@code expiry}; {@code attempts} counts this acquisition. */
    record Acquired(byte[] token, int attempts, Instant expiry) implements Acquisition {}

    /** Another driver holds the job, it waits for a retry, or it is no longer leasable. */
    record Unavailable() implements Acquisition {}
  }

  private final Tx tx;

  LeaseStore(Tx tx) {
    this.tx = tx;
  }

  /** The SQL for one table: {table}, {id} and {leasable} are filled in from the enum. */
  private static String sql(JobTable t, String template) {
    return template.replace("{table}", t.table).replace("{id}", t.idColumn)
        .replace("{leasable}", t.leasable);
  }

  private static Tuple key(JobKey job) {
    return Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()));
  }

  /**
   * Tries to lease one job of a leader task: skipped when another transaction has it locked, when
   * its lease has not expired, or when it is not in a leasable state.
   */
  public Acquisition tryAcquire(JobTable t, JobKey job, Duration leaseDuration, byte[] token,
      String holder) {
    RowSet<Row> rows = tx.query(sql(t, """
        SELECT j.lease_attempts FROM {table} j
          JOIN tasks ts ON ts.task_id = j.task_id AND ts.role = 'LEADER'
         WHERE j.task_id = $1 AND j.{id} = $2 AND {leasable} AND j.lease_expiry <= now()
           FOR UPDATE OF j SKIP LOCKED"""), key(job));
    if (rows.size() == 0) {
      return new Acquisition.Unavailable();
    }
    Row row = tx.query(sql(t, """
        UPDATE {table}
           SET lease_expiry = now() + $3::bigint * interval '1 millisecond', lease_token = $4,
               lease_attempts = lease_attempts + 1, updated_by = $5, lease_holder = $6
         WHERE task_id = $1 AND {id} = $2
        RETURNING lease_attempts, lease_expiry"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), leaseDuration.toMillis(),
            Tx.buf(token), tx.name(), holder)).iterator().next();
    return new Acquisition.Acquired(token.clone(), row.getInteger(0),
        row.getOffsetDateTime(1).toInstant());
  }

  /**
   * Whether the lease named by {@code token} still holds the job (nobody else acquired it since),
   * locking the row until the transaction ends. Every write that completes a leased step starts
   * with this check.
   */
  public boolean holds(JobTable t, JobKey job, byte[] token) {
    return tx.query(sql(t, """
        SELECT 1 FROM {table} j
         WHERE j.task_id = $1 AND j.{id} = $2 AND j.lease_token = $3 AND {leasable}
           FOR UPDATE"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), Tx.buf(token))).size() > 0;
  }

  /**
   * {@link #holds}, for the transaction that completes a step: if the lease still holds the job,
   * counts the commit ({@code step_commits}) and records its holder and token ({@code
   * committed_by}, {@code committed_token}), so that the database shows which lease committed
   * each step and that no step was committed twice.
   */
  public boolean commitStep(JobTable t, JobKey job, byte[] token, String holder) {
    return tx.query(sql(t, """
        UPDATE {table} j
           SET step_commits = step_commits + 1, committed_by = $4, committed_token = $3
         WHERE j.task_id = $1 AND j.{id} = $2 AND j.lease_token = $3 AND {leasable}"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), Tx.buf(token), holder))
        .rowCount() > 0;
  }

  /**
   * Gives a lease back after a transient failure: the job may be acquired again after {@code
   * delay} (zero: at once) and is no longer parked; {@code error} says why (admin API). Only the
   * holder of {@code token} can release; false if the lease had been taken over.
   */
  public boolean release(JobTable t, JobKey job, byte[] token, Duration delay, String error) {
    return tx.query(sql(t, """
        UPDATE {table}
           SET lease_expiry = now() + $4::bigint * interval '1 millisecond', lease_token = NULL,
               last_error = $6, parked_reason = NULL, parked_at = NULL, updated_by = $5
         WHERE task_id = $1 AND {id} = $2 AND lease_token = $3"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), Tx.buf(token),
            delay.toMillis(), tx.name(), error)).rowCount() > 0;
  }

  /**
   * Parks a job whose peer refused it for a reason an operator must fix: like {@link #release},
   * and the job is listed as parked with {@code reason} until a later attempt gets further.
   */
  public boolean park(JobTable t, JobKey job, byte[] token, Duration delay, String reason) {
    return tx.query(sql(t, """
        UPDATE {table}
           SET lease_expiry = now() + $4::bigint * interval '1 millisecond', lease_token = NULL,
               last_error = $6, parked_reason = $6, parked_at = COALESCE(parked_at, now()),
               updated_by = $5
         WHERE task_id = $1 AND {id} = $2 AND lease_token = $3"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), Tx.buf(token),
            delay.toMillis(), tx.name(), reason)).rowCount() > 0;
  }

  /**
   * Makes a leasable job due at once (admin "retry"): its lease or backoff ends now and the
   * sweeper announces it on its next pass. False if the job is not leasable or is leased.
   */
  public boolean resume(JobTable t, JobKey job) {
    return tx.query(sql(t, """
        UPDATE {table} j SET lease_expiry = now(), announced_at = NULL, updated_by = $3
         WHERE j.task_id = $1 AND j.{id} = $2 AND {leasable} AND j.lease_token IS NULL"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), tx.name()))
        .rowCount() > 0;
  }

  /** A parked job (admin API). */
  public record ParkedJob(JobKey job, String state, String reason, Instant since,
      Instant nextAttempt, int attempts) {}

  /** The parked jobs of leader tasks, oldest first, at most {@code limit}. */
  public List<ParkedJob> parked(JobTable t, int limit) {
    RowSet<Row> rows = tx.query(sql(t, """
        SELECT j.task_id, j.{id}, j.state, j.parked_reason, j.parked_at, j.lease_expiry,
               j.lease_attempts
          FROM {table} j
         WHERE j.parked_reason IS NOT NULL AND {leasable}
         ORDER BY j.parked_at
         LIMIT $1"""), Tuple.of((long) limit));
    List<ParkedJob> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(new ParkedJob(new JobKey(TaskId.of(Tx.bytes(row, "task_id")),
          Tx.bytes(row, t.idColumn)), row.getString("state"), row.getString("parked_reason"),
          row.getOffsetDateTime("parked_at").toInstant(),
          row.getOffsetDateTime("lease_expiry").toInstant(), row.getInteger("lease_attempts")));
    }
    return out;
  }

  /** How many jobs are parked (the {@code pando_jobs_parked} gauge). */
  public long countParked(JobTable t) {
    return tx.query(sql(t, """
        SELECT count(*) FROM {table} j WHERE j.parked_reason IS NOT NULL AND {leasable}"""))
        .iterator().next().getLong(0);
  }

  /**
   * Gives a lease back without using up an attempt: like {@link #release}, and the acquisition
   * that took the lease no longer counts towards the job's attempts. For jobs that wait for other
   * work rather than fail.
   */
  public boolean postpone(JobTable t, JobKey job, byte[] token, Duration delay) {
    return tx.query(sql(t, """
        UPDATE {table}
           SET lease_expiry = now() + $4::bigint * interval '1 millisecond', lease_token = NULL,
               lease_attempts = GREATEST(lease_attempts - 1, 0), parked_reason = NULL,
               parked_at = NULL, updated_by = $5
         WHERE task_id = $1 AND {id} = $2 AND lease_token = $3"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), Tx.buf(token),
            delay.toMillis(), tx.name())).rowCount() > 0;
  }

  /** Ends a job's leasing for good: sets its terminal state and clears the lease. */
  public void close(JobTable t, JobKey job, String state) {
    tx.query(sql(t, """
        UPDATE {table} SET state = $3, lease_token = NULL, lease_expiry = '-infinity',
               updated_by = $4
         WHERE task_id = $1 AND {id} = $2"""),
        Tuple.of(Tx.buf(job.taskId().bytes()), Tx.buf(job.jobId()), state, tx.name()));
  }

  /**
   * A due job claimed by a sweeper; {@code unanswered}: it was already announced since it
   * became due, and nobody took it up within the quiet interval (the bus did not deliver).
   */
  public record Claimed(JobKey job, boolean unanswered) {}

  /**
   * Leasable jobs of leader tasks that need announcing: their lease has expired (or was never
   * taken) and they were not announced within {@code quiet}. Marks them announced now, skipping
   * rows another transaction holds, so concurrent sweepers split the work.
   */
  public List<Claimed> claimAnnouncements(JobTable t, Duration quiet, int limit) {
    RowSet<Row> rows = tx.query(sql(t, """
        WITH due AS (
          SELECT j.task_id, j.{id} AS id,
                 (j.announced_at IS NOT NULL AND j.announced_at >= j.lease_expiry) AS unanswered
            FROM {table} j
            JOIN tasks ts ON ts.task_id = j.task_id AND ts.role = 'LEADER'
           WHERE {leasable} AND j.lease_expiry <= now()
             AND (j.announced_at IS NULL
                  OR j.announced_at <= now() - $1::bigint * interval '1 millisecond')
           ORDER BY j.lease_expiry
           LIMIT $2
             FOR UPDATE OF j SKIP LOCKED)
        UPDATE {table} a SET announced_at = now() FROM due
         WHERE a.task_id = due.task_id AND a.{id} = due.id
        RETURNING a.task_id, a.{id}, due.unanswered"""),
        Tuple.of(quiet.toMillis(), (long) limit));
    List<Claimed> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(new Claimed(new JobKey(TaskId.of(Tx.bytes(row, "task_id")),
          Tx.bytes(row, t.idColumn)), row.getBoolean("unanswered")));
    }
    return out;
  }

  /** The lease columns of a job (tests, admin). */
  public record LeaseState(String state, int attempts, Optional<byte[]> token, Instant expiry,
      Optional<String> lastError, Optional<String> parkedReason) {}

  /** The job's state and lease, if the job exists. */
  public Optional<LeaseState> state(JobTable t, JobKey job) {
    RowSet<Row> rows = tx.query(sql(t, """
        SELECT state, lease_attempts, lease_token, last_error, parked_reason,
               CASE WHEN lease_expiry = '-infinity' THEN NULL ELSE lease_expiry END AS expiry
          FROM {table} WHERE task_id = $1 AND {id} = $2"""), key(job));
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new LeaseState(row.getString("state"), row.getInteger("lease_attempts"),
        Optional.ofNullable(Tx.bytes(row, "lease_token")),
        row.getOffsetDateTime("expiry") == null ? Instant.EPOCH
            : row.getOffsetDateTime("expiry").toInstant(),
        Optional.ofNullable(row.getString("last_error")),
        Optional.ofNullable(row.getString("parked_reason"))));
  }
}
