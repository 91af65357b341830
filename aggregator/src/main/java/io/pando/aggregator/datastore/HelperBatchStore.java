package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.pando.core.vdaf.DapVdaf;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The helper's set-based view of {@code batch_aggregations} (DAP-09 §4.5.1.4, §4.6.3): which
 * batches are collected, their shard rows, their merged contents, and marking many batches
 * collected in one statement. Writes of output shares go through {@link
 * BatchAggregationStore#accumulate}.
 *
 * <p>Why every shard row of a batch is created before the first output share joins it: an
 * aggregation job then only ever updates existing rows, and marking a batch collected updates (or
 * creates) every row of it. Under the datastore's REPEATABLE READ isolation, a job and an
 * aggregate share request that touch the same batch concurrently therefore always write a common
 * row, and one of them fails with a serialization error and is retried; no output share can join
 * a batch whose aggregate share was computed without it.
 */
public final class HelperBatchStore {
  private static final byte[] NO_AGG_PARAM = new byte[0];

  private final Tx tx;

  HelperBatchStore(Tx tx) {
    this.tx = tx;
  }

  /** Merged contents of a set of batches. */
  public record Contents(Object share, long reportCount, byte[] checksum) {}

  /** The batches among {@code ids} that are collected. */
  public Set<ByteBuffer> collectedAmong(TaskId task, List<byte[]> ids) {
    Set<ByteBuffer> out = new HashSet<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (Row row : tx.query("""
        SELECT DISTINCT batch_identifier FROM batch_aggregations
         WHERE task_id = $1 AND batch_identifier = ANY($2) AND collected""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids)))) {
      out.add(ByteBuffer.wrap(Tx.bytes(row, "batch_identifier")));
    }
    return out;
  }

  /** Every shard of the batches merged; batches without rows contribute nothing. */
  public Contents read(TaskId task, List<byte[]> ids, DapVdaf vdaf) {
    Object sum = vdaf.emptyAggregateShare(NO_AGG_PARAM);
    long count = 0;
    byte[] checksum = new byte[32];
    if (ids.isEmpty()) {
      return new Contents(sum, 0, checksum);
    }
    BatchAggregationStore batches = tx.batchAggregations();
    for (Row row : tx.query("""
        SELECT batch_identifier, ord, aggregate_share, aggregate_share_sealed, report_count,
               checksum
          FROM batch_aggregations
         WHERE task_id = $1 AND batch_identifier = ANY($2)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids)))) {
      sum = vdaf.merge(sum, batches.share(task, Tx.bytes(row, "batch_identifier"),
          row.getInteger("ord"), vdaf, row));
      count += row.getLong("report_count");
      checksum = BatchAggregationStore.xor(checksum, Tx.bytes(row, "checksum"));
    }
    return new Contents(sum, count, checksum);
  }

  /** The number of reports aggregated into each of the batches that has any. */
  public Map<ByteBuffer, Long> reportCounts(TaskId task, List<byte[]> ids) {
    Map<ByteBuffer, Long> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (Row row : tx.query("""
        SELECT batch_identifier, sum(report_count) AS n FROM batch_aggregations
         WHERE task_id = $1 AND batch_identifier = ANY($2)
         GROUP BY batch_identifier HAVING sum(report_count) > 0""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids)))) {
      out.put(ByteBuffer.wrap(Tx.bytes(row, "batch_identifier")), row.getLong("n"));
    }
    return out;
  }

  /**
   * Marks the batches collected: every existing row, and a new empty row 0 for every batch that
   * has none, so that no report can join any of them any more (§4.5.1.4).
   */
  public void markCollected(TaskId task, List<byte[]> ids) {
    if (ids.isEmpty()) {
      return;
    }
    tx.query("""
        INSERT INTO batch_aggregations (task_id, batch_identifier, ord, aggregate_share,
            report_count, checksum, collected, updated_by)
        SELECT $1, b, 0, NULL, 0, $3, TRUE, $4 FROM unnest($2::bytea[]) AS b
        ON CONFLICT (task_id, batch_identifier, ord) DO NOTHING""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.bufs(ids), Tx.buf(new byte[32]),
            tx.name())));
    tx.query("""
        UPDATE batch_aggregations SET collected = TRUE, updated_by = $3
         WHERE task_id = $1 AND batch_identifier = ANY($2)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids), tx.name()));
  }
}
