package io.pando.aggregator.datastore;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;

/**
 * One open transaction. Hands out the typed stores; each store holds the SQL of one table group.
 * Only code in this package runs SQL.
 */
public final class Tx {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final SqlConnection conn;
  private final String name;
  final Crypter crypter;

  Tx(SqlConnection conn, String name, Crypter crypter) {
    this.conn = conn;
    this.name = name;
    this.crypter = crypter;
  }

  /** The transaction's name, written to every row it touches ({@code updated_by}). */
  public String name() {
    return name;
  }

  /** A bytea parameter (the PostgreSQL client binds Buffers, not byte arrays). */
  static io.vertx.core.buffer.Buffer buf(byte[] b) {
    return b == null ? null : io.vertx.core.buffer.Buffer.buffer(b);
  }

  /** A bytea[] parameter. */
  static io.vertx.core.buffer.Buffer[] bufs(List<byte[]> list) {
    io.vertx.core.buffer.Buffer[] out = new io.vertx.core.buffer.Buffer[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = buf(list.get(i));
    }
    return out;
  }

  /** A bytea column. */
  static byte[] bytes(Row row, String column) {
    io.vertx.mutiny.core.buffer.Buffer b = row.getBuffer(column);
    return b == null ? null : b.getBytes();
  }

  RowSet<Row> query(String sql, Tuple args) {
    return conn.preparedQuery(sql).execute(args).await().atMost(TIMEOUT);
  }

  RowSet<Row> query(String sql) {
    return conn.query(sql).execute().await().atMost(TIMEOUT);
  }

  RowSet<Row> batch(String sql, List<Tuple> args) {
    return conn.preparedQuery(sql).executeBatch(args).await().atMost(TIMEOUT);
  }

  public ReportStore reports() {
    return new ReportStore(this);
  }

  public BatchAggregationStore batchAggregations() {
    return new BatchAggregationStore(this);
  }

  public TaskprovPeerStore taskprovPeers() {
    return new TaskprovPeerStore(this);
  }

  public CounterStore counters() {
    return new CounterStore(this);
  }

  public HelperJobStore helperJobs() { return new HelperJobStore(this); }
  public HelperBatchStore helperBatches() { return new HelperBatchStore(this); }
  public DeferredRequestStore deferredRequests() { return new DeferredRequestStore(this); }
  public BatchQueryStore batchQueries() { return new BatchQueryStore(this); }
  public AggregateShareJobStore aggregateShareJobs() { return new AggregateShareJobStore(this); }
  public LeaseStore leases() {
    return new LeaseStore(this);
  }

  public AggregationJobStore aggregationJobs() {
    return new AggregationJobStore(this);
  }

  public GcStore gc() {
    return new GcStore(this);
  }

  public CollectionJobStore collectionJobs() {
    return new CollectionJobStore(this);
  }
}
