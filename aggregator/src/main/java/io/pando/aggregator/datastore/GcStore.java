package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes what no longer serves a purpose, a bounded slice per call, so that each deletion is a
 * short transaction that never holds many locks. Only ended work is deleted: a report that is
 * not yet aggregated, a job in progress and an uncollected batch are always kept.
 */
public final class GcStore {
  private final Tx tx;

  GcStore(Tx tx) {
    this.tx = tx;
  }

  /** A task with a report expiry age, and its cutoff (client timestamps before it are old). */
  public record Expiring(TaskId task, String role, long cutoff) {}

  /** The tasks whose reports expire, with the cutoff at {@code now} (seconds). */
  public List<Expiring> expiringTasks(long now) {
    List<Expiring> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT task_id, role, report_expiry_age FROM tasks
         WHERE report_expiry_age IS NOT NULL""")) {
      out.add(new Expiring(TaskId.of(Tx.bytes(row, "task_id")), row.getString("role"),
          now - row.getLong("report_expiry_age")));
    }
    return out;
  }

  /** How many rows of each kind one call deleted. */
  public record Deleted(long jobs, long reportAggregations, long reports) {}

  /**
   * Deletes up to {@code limit} ended aggregation jobs of the task whose reports are all older
   * than {@code cutoff}, with their report aggregations and (leader) their reports. Report ids
   * older than the report expiry age are refused at upload (leader) and at preparation (helper),
   * so their replay protection is no longer needed (DAP-09 §4.4.2, §4.5.1.4).
   */
  public Deleted expiredAggregationJobs(TaskId task, long cutoff, int limit) {
    List<byte[]> jobs = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT aggregation_job_id FROM aggregation_jobs
         WHERE task_id = $1 AND state <> 'IN_PROGRESS' AND max_client_timestamp < $2
         LIMIT $3
           FOR UPDATE SKIP LOCKED""", Tuple.of(Tx.buf(task.bytes()), cutoff, (long) limit))) {
      jobs.add(Tx.bytes(row, "aggregation_job_id"));
    }
    if (jobs.isEmpty()) {
      return new Deleted(0, 0, 0);
    }
    Tuple key = Tuple.of(Tx.buf(task.bytes()), Tx.bufs(jobs));
    // Leader: the reports of the jobs; ended reports were scrubbed, an unended one is kept.
    long reports = tx.query("""
        DELETE FROM client_reports cr USING report_aggregations ra
         WHERE ra.task_id = $1 AND ra.aggregation_job_id = ANY($2)
           AND ra.state IN ('FINISHED', 'FAILED')
           AND cr.task_id = ra.task_id AND cr.report_id = ra.report_id""", key).rowCount();
    long ras = tx.query("""
        DELETE FROM report_aggregations
         WHERE task_id = $1 AND aggregation_job_id = ANY($2)""", key).rowCount();
    long deleted = tx.query("""
        DELETE FROM aggregation_jobs
         WHERE task_id = $1 AND aggregation_job_id = ANY($2)""", key).rowCount();
    return new Deleted(deleted, ras, reports);
  }

  /**
   * Deletes up to {@code limit} batches of the task that were collected and whose reports are
   * all older than {@code cutoff}: every shard row of each. Their query counts are kept.
   */
  public long expiredCollectedBatches(TaskId task, long cutoff, int limit) {
    return tx.query("""
        WITH old AS (
          SELECT batch_identifier FROM batch_aggregations
           WHERE task_id = $1
           GROUP BY batch_identifier
          HAVING bool_or(collected) AND max(max_client_timestamp) < $2
           LIMIT $3)
        DELETE FROM batch_aggregations b USING old
         WHERE b.task_id = $1 AND b.batch_identifier = old.batch_identifier""",
        Tuple.of(Tx.buf(task.bytes()), cutoff, (long) limit)).rowCount();
  }

  /**
   * Deletes up to {@code limit} collection jobs that ended (finished, failed, abandoned or
   * deleted by the collector) more than {@code retentionSeconds} ago.
   */
  public long endedCollectionJobs(long retentionSeconds, int limit) {
    return tx.query("""
        DELETE FROM collection_jobs c USING (
          SELECT task_id, collection_job_id FROM collection_jobs
           WHERE state IN ('FINISHED', 'FAILED', 'ABANDONED', 'DELETED')
             AND updated_at < now() - $1::bigint * interval '1 second'
           LIMIT $2
             FOR UPDATE SKIP LOCKED) old
         WHERE c.task_id = old.task_id AND c.collection_job_id = old.collection_job_id""",
        Tuple.of(retentionSeconds, (long) limit)).rowCount();
  }

  /**
   * Deletes up to {@code limit} tasks that expired more than {@code retentionSeconds} before
   * {@code now} (seconds), with everything stored for them.
   */
  public long expiredTasks(long now, long retentionSeconds, int limit) {
    return tx.query("""
        DELETE FROM tasks t USING (
          SELECT task_id FROM tasks
           WHERE task_expiration IS NOT NULL AND task_expiration + $2 < $1
           LIMIT $3) old
         WHERE t.task_id = old.task_id""",
        Tuple.of(now, retentionSeconds, (long) limit)).rowCount();
  }
}
