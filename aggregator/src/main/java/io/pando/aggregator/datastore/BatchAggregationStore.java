package io.pando.aggregator.datastore;

import io.pando.codec.DecodeException;
import io.pando.dap.messages.TaskId;
import io.pando.core.vdaf.DapVdaf;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sums of output shares per batch ({@code batch_aggregations}), both roles. A batch's sum is
 * spread over {@code shards} rows (ord) so that concurrent aggregation jobs rarely write the same
 * row; reads merge the shards.
 *
 * <p>A batch identifier is the 8-byte big-endian start of the time-precision bucket for
 * time-interval tasks ({@link #intervalIdentifier}) and the 32-byte batch id for fixed-size tasks.
 *
 * <p>Aggregate shares are sealed with the datastore key ({@link Crypter#sealAggregateShare},
 * migration V70); a row holding no reports yet holds NULL, read as the empty aggregate share.
 */
public final class BatchAggregationStore {
  private static final byte[] NO_AGG_PARAM = new byte[0];

  /**
   * The shard number of a batch's guard row: never written by {@link #accumulate} (whose shards
   * are {@code 0 .. shards-1}), holding no reports, and written both by the leader's job creator
   * when it puts reports of the batch into a job ({@link #guard}) and by collection when it marks
   * the batch collected ({@link #markCollected}). Two such transactions running at once thus
   * write a common row, and one of them fails with a serialization error and runs again, seeing
   * the other: a job cannot be created for reports of a batch whose collection did not see it.
   */
  public static final int GUARD_ORD = -1;

  private final Tx tx;

  BatchAggregationStore(Tx tx) {
    this.tx = tx;
  }

  /** The identifier of the time-precision bucket starting at {@code start} (seconds). */
  public static byte[] intervalIdentifier(long start) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (start >>> (56 - 8 * i));
    }
    return b;
  }

  /** The start of the bucket a {@link #intervalIdentifier} names. */
  public static long intervalStart(byte[] identifier) {
    long v = 0;
    for (byte x : identifier) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
  }

  /** What a batch (or a set of batches) holds so far. */
  public record BatchAggregate(Object share, long reportCount, byte[] checksum,
      long minClientTimestamp, long maxClientTimestamp, boolean anyCollected) {}

  /**
   * Creates the shard rows {@code 0 .. shards-1} of a batch that are missing, each holding the
   * empty aggregate share, no reports and a zero checksum ({@link BatchAccumulator}).
   */
  public void ensureShards(TaskId task, byte[] batchIdentifier, int shards, DapVdaf vdaf) {
    tx.query("""
        INSERT INTO batch_aggregations (task_id, batch_identifier, ord, aggregate_share,
            report_count, checksum, updated_by)
        SELECT $1, $2, g, NULL, 0, $3, $4 FROM generate_series(0, $5 - 1) AS g
        ON CONFLICT (task_id, batch_identifier, ord) DO NOTHING""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(batchIdentifier),
            Tx.buf(new byte[32]), tx.name(), shards)));
  }

  /**
   * Adds output shares to a batch: {@code delta} is their sum, {@code checksum} the XOR of
   * SHA-256 of their report ids (DAP-09 §4.5.2). Writes one random shard row, which {@link
   * #ensureShards} created.
   */
  public void accumulate(TaskId task, byte[] batchIdentifier, int shards, DapVdaf vdaf,
      Object delta, long reportCount, byte[] checksum, long minClientTimestamp,
      long maxClientTimestamp) {
    int ord = ThreadLocalRandom.current().nextInt(shards);
    RowSet<Row> rows = tx.query("""
        SELECT aggregate_share, aggregate_share_sealed, report_count, checksum,
               min_client_timestamp, max_client_timestamp
          FROM batch_aggregations
         WHERE task_id = $1 AND batch_identifier = $2 AND ord = $3
           FOR UPDATE""", Tuple.of(Tx.buf(task.bytes()), Tx.buf(batchIdentifier), ord));
    if (rows.size() == 0) {
      throw new IllegalStateException("batch aggregation shard " + ord + " is missing");
    }
    Row row = rows.iterator().next();
    Object merged = vdaf.merge(share(task, batchIdentifier, ord, vdaf, row), delta);
    byte[] sealed = tx.crypter.sealAggregateShare(task, batchIdentifier, ord,
        vdaf.encodeAggregateShare(merged));
    tx.query("""
        UPDATE batch_aggregations
           SET aggregate_share = $4, aggregate_share_sealed = TRUE,
               report_count = report_count + $5, checksum = $6,
               min_client_timestamp = LEAST(min_client_timestamp, $7),
               max_client_timestamp = GREATEST(max_client_timestamp, $8),
               updated_by = $9
         WHERE task_id = $1 AND batch_identifier = $2 AND ord = $3""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(batchIdentifier), ord,
            Tx.buf(sealed), reportCount,
            Tx.buf(xor(Tx.bytes(row, "checksum"), checksum)), minClientTimestamp,
            maxClientTimestamp, tx.name())));
  }

  /** Whether any of the batches has been collected (no report may join it any more). */
  public boolean isCollected(TaskId task, byte[] batchIdentifier) {
    return tx.query("""
        SELECT 1 FROM batch_aggregations
         WHERE task_id = $1 AND batch_identifier = $2 AND collected LIMIT 1""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(batchIdentifier))).size() > 0;
  }

  /**
   * Merges every shard of the given batches. Empty batches contribute nothing; with no rows at all
   * the result is an empty aggregate share with count 0.
   */
  public BatchAggregate read(TaskId task, List<byte[]> batchIdentifiers, DapVdaf vdaf) {
    Object sum = vdaf.emptyAggregateShare(NO_AGG_PARAM);
    long count = 0;
    byte[] checksum = new byte[32];
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean collected = false;
    List<byte[]> ids = new ArrayList<>(batchIdentifiers);
    for (Row row : tx.query("""
        SELECT batch_identifier, ord, aggregate_share, aggregate_share_sealed, report_count,
               checksum, min_client_timestamp, max_client_timestamp, collected
          FROM batch_aggregations
         WHERE task_id = $1 AND batch_identifier = ANY($2)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(ids)))) {
      sum = vdaf.merge(sum, share(task, Tx.bytes(row, "batch_identifier"),
          row.getInteger("ord"), vdaf, row));
      count += row.getLong("report_count");
      checksum = xor(checksum, Tx.bytes(row, "checksum"));
      Long rowMin = row.getLong("min_client_timestamp");
      Long rowMax = row.getLong("max_client_timestamp");
      if (rowMin != null) {
        min = Math.min(min, rowMin);
      }
      if (rowMax != null) {
        max = Math.max(max, rowMax);
      }
      collected |= row.getBoolean("collected");
    }
    boolean none = count == 0 || min == Long.MAX_VALUE;
    return new BatchAggregate(sum, count, checksum, none ? 0 : min, none ? 0 : max, collected);
  }

  /**
   * Marks batches collected: every row, and the guard row ({@link #GUARD_ORD}), created if
   * missing, so that no report can join the batches any more and no job creation can race this.
   */
  public void markCollected(TaskId task, List<byte[]> batchIdentifiers, DapVdaf vdaf) {
    if (batchIdentifiers.isEmpty()) {
      return;
    }
    tx.query("""
        INSERT INTO batch_aggregations (task_id, batch_identifier, ord, aggregate_share,
            report_count, checksum, collected, updated_by)
        SELECT $1, b, $3, NULL, 0, $4, TRUE, $5 FROM unnest($2::bytea[]) AS b
        ON CONFLICT (task_id, batch_identifier, ord) DO NOTHING""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.bufs(batchIdentifiers), GUARD_ORD,
            Tx.buf(new byte[32]), tx.name())));
    tx.query("""
        UPDATE batch_aggregations SET collected = TRUE, updated_by = $3
         WHERE task_id = $1 AND batch_identifier = ANY($2)""",
        Tuple.of(Tx.buf(task.bytes()), Tx.bufs(batchIdentifiers), tx.name()));
  }

  /**
   * Writes the batch's guard row ({@link #GUARD_ORD}), creating it if missing: called by the
   * leader's job creator for each batch it puts reports of into a job, in the transaction that
   * creates the job, after checking that the batch is not collected.
   */
  public void guard(TaskId task, byte[] batchIdentifier, DapVdaf vdaf) {
    tx.query("""
        INSERT INTO batch_aggregations (task_id, batch_identifier, ord, aggregate_share,
            report_count, checksum, updated_by)
        VALUES ($1, $2, $3, NULL, 0, $4, $5)
        ON CONFLICT (task_id, batch_identifier, ord) DO UPDATE SET updated_by = $5""",
        Tuple.tuple(List.of(Tx.buf(task.bytes()), Tx.buf(batchIdentifier), GUARD_ORD,
            Tx.buf(new byte[32]), tx.name())));
  }

  /**
   * Whether any time-precision bucket starting in {@code [start, end)} holds reports (time-interval
   * tasks, whose batch identifiers are the 8-byte big-endian bucket starts and so sort by time).
   */
  public boolean anyReportsBetween(TaskId task, long start, long end) {
    return tx.query("""
        SELECT 1 FROM batch_aggregations
         WHERE task_id = $1 AND batch_identifier >= $2 AND batch_identifier < $3
           AND report_count > 0
         LIMIT 1""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(intervalIdentifier(start)),
            Tx.buf(intervalIdentifier(end)))).size() > 0;
  }

  /** A batch's report count and whether it is collected, without its aggregate (console). */
  public record BatchSummary(byte[] batchIdentifier, long reportCount, boolean collected,
      Long minClientTimestamp, Long maxClientTimestamp) {}

  /**
   * The task's batches with their shards merged: report counts and collected flags only, newest
   * reports first, at most {@code limit}. Reads no aggregate share.
   */
  public List<BatchSummary> summaries(TaskId task, int limit) {
    List<BatchSummary> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT batch_identifier, sum(report_count) AS reports, bool_or(collected) AS collected,
               min(min_client_timestamp) AS min_ts, max(max_client_timestamp) AS max_ts
          FROM batch_aggregations WHERE task_id = $1
         GROUP BY batch_identifier
         ORDER BY max(max_client_timestamp) DESC NULLS LAST, batch_identifier DESC
         LIMIT $2""", Tuple.of(Tx.buf(task.bytes()), (long) limit))) {
      out.add(new BatchSummary(Tx.bytes(row, "batch_identifier"), row.getLong("reports"),
          row.getBoolean("collected"), row.getLong("min_ts"), row.getLong("max_ts")));
    }
    return out;
  }

  /**
   * The aggregate share a row holds: NULL is the empty share, a sealed one is opened (its AAD
   * names the row), one written before migration V70 is in the clear.
   */
  Object share(TaskId task, byte[] batchIdentifier, int ord, DapVdaf vdaf, Row row) {
    byte[] stored = Tx.bytes(row, "aggregate_share");
    if (stored == null) {
      return vdaf.emptyAggregateShare(NO_AGG_PARAM);
    }
    byte[] encoded = row.getBoolean("aggregate_share_sealed")
        ? tx.crypter.openAggregateShare(task, batchIdentifier, ord, stored)
        : stored;
    try {
      return vdaf.decodeAggregateShare(NO_AGG_PARAM, encoded);
    } catch (DecodeException e) {
      throw new IllegalStateException("stored aggregate share does not decode", e);
    }
  }

  /** XOR of two 32-byte checksums. */
  public static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }
}
