package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;

/**
 * The helper's answered aggregate share requests ({@code aggregate_share_jobs}), DAP-09 §4.6.3:
 * one per batch selector and aggregation parameter, with the report count and checksum the
 * helper computed and the encoded response, so that the same request again gets the same answer
 * without counting another query.
 */
public final class AggregateShareJobStore {
  /**
   * An answered request; a DAP-18 one (V98) also has the id of its aggregate share resource
   * (draft-ietf-ppm-dap-18 §4.6.3) and whether the leader deleted it.
   */
  public record ShareJob(long reportCount, byte[] checksum, byte[] response, byte[] shareId,
      boolean deleted) {
    /** A DAP-09 answer. */
    public ShareJob(long reportCount, byte[] checksum, byte[] response) {
      this(reportCount, checksum, response, null, false);
    }
  }

  private final Tx tx;

  AggregateShareJobStore(Tx tx) {
    this.tx = tx;
  }

  /** The answer given for this batch selector and aggregation parameter, if any. */
  public Optional<ShareJob> get(TaskId task, byte[] batchSelector, byte[] aggregationParam) {
    RowSet<Row> rows = tx.query("""
        SELECT report_count, checksum, response, share_id, deleted FROM aggregate_share_jobs
         WHERE task_id = $1 AND batch_selector = $2 AND aggregation_param = $3""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batchSelector), Tx.buf(aggregationParam)));
    return first(rows);
  }

  /** The DAP-18 answer with this aggregate share id, if any. */
  public Optional<ShareJob> byId(TaskId task, byte[] shareId) {
    return first(tx.query("""
        SELECT report_count, checksum, response, share_id, deleted FROM aggregate_share_jobs
         WHERE task_id = $1 AND share_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(shareId))));
  }

  /**
   * Marks the DAP-18 aggregate share deleted (its row stays: the batches' query counts are
   * elsewhere, and a repeat of its request must not be answered anew). False if there is none.
   */
  public boolean markDeleted(TaskId task, byte[] shareId) {
    return tx.query("""
        UPDATE aggregate_share_jobs SET deleted = TRUE, updated_by = $3
         WHERE task_id = $1 AND share_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(shareId), tx.name())).rowCount() > 0;
  }

  private static Optional<ShareJob> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new ShareJob(row.getLong("report_count"), Tx.bytes(row, "checksum"),
        Tx.bytes(row, "response"), Tx.bytes(row, "share_id"), row.getBoolean("deleted")));
  }

  /** How many requests with this batch selector were answered, whatever their parameters. */
  public long countForSelector(TaskId task, byte[] batchSelector) {
    return tx.query("""
        SELECT count(*) AS n FROM aggregate_share_jobs
         WHERE task_id = $1 AND batch_selector = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batchSelector))).iterator().next().getLong("n");
  }

  /**
   * Records an answer. Under the datastore's isolation, a concurrent transaction recording the
   * same request fails one of the two with a serialization error; the retry then finds it.
   */
  public void put(TaskId task, byte[] batchSelector, byte[] aggregationParam, ShareJob job) {
    tx.query("""
        INSERT INTO aggregate_share_jobs (task_id, batch_selector, aggregation_param,
            report_count, checksum, response, updated_by, share_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (task_id, batch_selector, aggregation_param) DO NOTHING""",
        Tuple.tuple(java.util.Arrays.asList(Tx.buf(task.bytes()), Tx.buf(batchSelector),
            Tx.buf(aggregationParam), job.reportCount(), Tx.buf(job.checksum()),
            Tx.buf(job.response()), tx.name(),
            job.shareId() == null ? null : Tx.buf(job.shareId()))));
  }
}
