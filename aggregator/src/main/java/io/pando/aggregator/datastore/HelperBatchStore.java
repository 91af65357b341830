package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
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
  private final Tx tx;

  HelperBatchStore(Tx tx) {
    this.tx = tx;
  }

  /** Merged contents of a set of batches. */
  public record Contents(AggregateShare share, long reportCount, byte[] checksum) {}

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
  public Contents read(TaskId task, List<byte[]> ids, Prio3<?, ?> vdaf) {
    AggregateShare sum = vdaf.emptyAggregateShare();
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

  /** What one job added to one batch ({@code helper_job_contributions}, migration V80). */
  public record Contribution(byte[] batchIdentifier, int ord, AggregateShare share,
      long reportCount, byte[] checksum) {}

  /** Records what a job added to a batch, in the transaction that added it. */
  public void recordContribution(TaskId task, byte[] jobId, Contribution c, Prio3<?, ?> vdaf) {
    byte[] aad = Crypter.contributionRow(task, jobId, c.batchIdentifier());
    tx.query("""
        INSERT INTO helper_job_contributions (task_id, aggregation_job_id, batch_identifier,
            ord, aggregate_share, report_count, checksum)
        VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(jobId), Tx.buf(c.batchIdentifier()),
            c.ord(),
            Tx.buf(tx.crypter.encrypt("helper_job_contributions", "aggregate_share", aad,
                vdaf.encodeAggregateShare(c.share()))),
            c.reportCount(), Tx.buf(c.checksum()))));
  }

  /**
   * Takes a deleted job's contributions back out of its batches that are not collected (their
   * rows then hold what the leader, which drops the job, holds too) and forgets them; returns
   * how many reports were taken back. A collected batch keeps them: its aggregate share has been
   * answered.
   */
  public long takeBack(TaskId task, byte[] jobId, Prio3<?, ?> vdaf) {
    long reports = 0;
    BatchAggregationStore batches = tx.batchAggregations();
    for (Row row : tx.query("""
        SELECT batch_identifier, ord, aggregate_share, report_count, checksum
          FROM helper_job_contributions
         WHERE task_id = $1 AND aggregation_job_id = $2
           FOR UPDATE""", Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId)))) {
      byte[] batch = Tx.bytes(row, "batch_identifier");
      if (batches.isCollected(task, batch)) {
        continue;
      }
      byte[] encoded = tx.crypter.decrypt("helper_job_contributions", "aggregate_share",
          Crypter.contributionRow(task, jobId, batch), Tx.bytes(row, "aggregate_share"));
      AggregateShare share;
      try {
        share = vdaf.decodeAggregateShare(encoded);
      } catch (io.pando.codec.DecodeException e) {
        throw new IllegalStateException("stored contribution does not decode", e);
      }
      long count = row.getLong("report_count");
      // From the shard row it went to; the XOR checksum is its own inverse; the timestamps
      // stay (they only widen a bound).
      batches.accumulateAt(task, batch, row.getInteger("ord"), vdaf,
          vdaf.unmerge(vdaf.emptyAggregateShare(), share), -count,
          Tx.bytes(row, "checksum"), Long.MAX_VALUE, Long.MIN_VALUE);
      reports += count;
    }
    tx.query("""
        DELETE FROM helper_job_contributions WHERE task_id = $1 AND aggregation_job_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId)));
    return reports;
  }
}
