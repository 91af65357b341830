package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each batch has been queried ({@code batch_queries}), for {@code
 * max_batch_query_count} (DAP-09 §4.6.5). A batch is a time-precision bucket for time-interval
 * tasks and a batch id for fixed-size tasks.
 */
public final class BatchQueryStore {
  private final Tx tx;

  BatchQueryStore(Tx tx) {
    this.tx = tx;
  }

  /** The query counts of those of the batches that have been queried. */
  public Map<ByteBuffer, Long> counts(TaskId task, List<byte[]> ids) {
    Map<ByteBuffer, Long> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (Row row : tx.query("""
        SELECT batch_identifier, query_count FROM batch_queries
         WHERE task_id = $1 AND batch_identifier = ANY($2)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids)))) {
      out.put(ByteBuffer.wrap(Tx.bytes(row, "batch_identifier")), row.getLong("query_count"));
    }
    return out;
  }

  /** Counts one more query of each of the batches. */
  public void increment(TaskId task, List<byte[]> ids) {
    if (ids.isEmpty()) {
      return;
    }
    tx.query("""
        INSERT INTO batch_queries (task_id, batch_identifier, query_count, updated_by)
        SELECT $1, b, 1, $3 FROM unnest($2::bytea[]) AS b
        ON CONFLICT (task_id, batch_identifier)
        DO UPDATE SET query_count = batch_queries.query_count + 1, updated_by = $3""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids), tx.name()));
  }

  /**
   * Gives back one query of each of the batches: a recorded query whose helper share could not
   * be had does not use up the batches' query budget.
   */
  public void release(TaskId task, List<byte[]> ids) {
    if (ids.isEmpty()) {
      return;
    }
    tx.query("""
        UPDATE batch_queries SET query_count = GREATEST(query_count - 1, 0), updated_by = $3
         WHERE task_id = $1 AND batch_identifier = ANY($2)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids), tx.name()));
  }
}
