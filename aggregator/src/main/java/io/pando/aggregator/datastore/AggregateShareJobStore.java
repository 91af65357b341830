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
  /** An answered request. */
  public record ShareJob(long reportCount, byte[] checksum, byte[] response) {}

  private final Tx tx;

  AggregateShareJobStore(Tx tx) {
    this.tx = tx;
  }

  /** The answer given for this batch selector and aggregation parameter, if any. */
  public Optional<ShareJob> get(TaskId task, byte[] batchSelector, byte[] aggregationParam) {
    RowSet<Row> rows = tx.query("""
        SELECT report_count, checksum, response FROM aggregate_share_jobs
         WHERE task_id = $1 AND batch_selector = $2 AND aggregation_param = $3""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batchSelector), Tx.buf(aggregationParam)));
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new ShareJob(row.getLong("report_count"), Tx.bytes(row, "checksum"),
        Tx.bytes(row, "response")));
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
            report_count, checksum, response, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (task_id, batch_selector, aggregation_param) DO NOTHING""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(batchSelector),
            Tx.buf(aggregationParam), job.reportCount(), Tx.buf(job.checksum()),
            Tx.buf(job.response()), tx.name())));
  }
}
