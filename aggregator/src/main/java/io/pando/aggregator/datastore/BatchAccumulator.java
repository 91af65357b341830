package io.pando.aggregator.datastore;

import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.core.vdaf.DapVdaf;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output shares of one aggregation job, grouped by batch, and their one way into {@code
 * batch_aggregations}, used by both roles (DAP-09 §4.5.2, §4.6.3: each aggregator adds the output
 * shares of a batch's reports, their count and the XOR of SHA-256 of their report ids).
 *
 * <p>Concurrency, the one scheme for both roles: a batch's aggregate is spread over {@code
 * shards} rows ({@code ord 0 .. shards-1}). {@link #writeTo} first creates the missing shard rows
 * ({@code INSERT ... ON CONFLICT DO NOTHING}), then locks one shard chosen at random ({@code
 * SELECT ... FOR UPDATE}) and adds the job's sum to it, in the job's own transaction. Two jobs
 * thus serialize only when they pick the same shard; a race on creating a row, or on a row
 * created after the transaction's snapshot, is a serialization failure, and {@link
 * Datastore#inTransaction} runs the whole transaction again.
 */
public final class BatchAccumulator {
  /** One batch's part of the job. */
  public static final class Group {
    private final byte[] batchIdentifier;
    private final List<Object> shares = new ArrayList<>();
    private final List<ReportId> reports = new ArrayList<>();
    private final byte[] checksum = new byte[32];
    private long minClientTimestamp = Long.MAX_VALUE;
    private long maxClientTimestamp = Long.MIN_VALUE;

    private Group(byte[] batchIdentifier) {
      this.batchIdentifier = batchIdentifier.clone();
    }

    public byte[] batchIdentifier() {
      return batchIdentifier.clone();
    }

    /** The reports added to this batch, in the order they were added. */
    public List<ReportId> reports() {
      return List.copyOf(reports);
    }

    public int size() {
      return shares.size();
    }
  }

  private static final byte[] NO_AGG_PARAM = new byte[0];

  private final Map<ByteBuffer, Group> groups = new LinkedHashMap<>();

  /** Adds a report's output share to its batch. */
  public void add(byte[] batchIdentifier, ReportId reportId, long clientTimestamp,
      Object share) {
    Group g = groups.computeIfAbsent(ByteBuffer.wrap(batchIdentifier.clone()),
        k -> new Group(batchIdentifier));
    g.shares.add(share);
    g.reports.add(reportId);
    byte[] h = sha256(reportId.bytes());
    for (int i = 0; i < 32; i++) {
      g.checksum[i] ^= h[i];
    }
    g.minClientTimestamp = Math.min(g.minClientTimestamp, clientTimestamp);
    g.maxClientTimestamp = Math.max(g.maxClientTimestamp, clientTimestamp);
  }

  /** The batches, in the order their first report was added. */
  public List<Group> groups() {
    return List.copyOf(groups.values());
  }

  public boolean isEmpty() {
    return groups.isEmpty();
  }

  /** Adds one batch's sum to its batch aggregation (see the class comment for the locking). */
  public static void writeTo(Tx tx, TaskId task, DapVdaf vdaf, int shards, Group g) {
    BatchAggregationStore batches = tx.batchAggregations();
    batches.ensureShards(task, g.batchIdentifier, shards, vdaf);
    batches.accumulate(task, g.batchIdentifier, shards, vdaf, vdaf.aggregate(NO_AGG_PARAM, g.shares),
        g.shares.size(), g.checksum, g.minClientTimestamp, g.maxClientTimestamp);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
