package io.pando.aggregator.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.core.vdaf.DapVdaf;
import io.pando.core.vdaf.Prio3DapVdaf;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Shares at rest: the leader's decrypted input share and every batch aggregate share are stored
 * sealed with the datastore key, bound to their row; after a key rotation the {@link Resealer}
 * moves every sealed value under the new first key.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class SealedSharesTest {
  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject Crypter crypter;
  @Inject MeterRegistry meters;
  @Inject PandoConfig config;

  private final Prio3<Boolean, Long> count = Prio3.count();
  private final DapVdaf dap = new Prio3DapVdaf(count);

  @TestHTTPResource("/")
  URI self;

  @Test
  void theLeaderInputShareIsSealedToItsReport() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Sum", "bits", 8), "http://127.0.0.1:9/"));
    Prio3<Long, ?> vdaf = Prio3.sum(8);
    DapClient<Long> client = new DapClient<>(new DapTask<>(id, self, self, vdaf,
        Duration.ofSeconds(3600)));
    ReportId a = client.upload(17L);
    ReportId b = client.upload(18L);

    byte[] sealedA = sealed(id, a);
    byte[] sealedB = sealed(id, b);
    int plain = vdaf.inputShareLength(0);
    assertEquals(plain + 12 + 16, sealedA.length, "nonce, ciphertext, tag");
    byte[] opened = crypter.openLeaderInputShare(id, a, sealedA);
    assertEquals(plain, opened.length);
    vdaf.decodeInputShare(0, opened);
    // Bound to its row: another report's ciphertext does not open as this one's.
    assertThrows(IllegalStateException.class, () -> crypter.openLeaderInputShare(id, a, sealedB));
    assertThrows(IllegalStateException.class,
        () -> crypter.openLeaderInputShare(TaskId.random(), a, sealedA));
  }

  @Test
  void aggregateSharesAreSealedToTheirRow() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/"));
    byte[] batch = BatchAggregationStore.intervalIdentifier(7200);
    datastore.inTransaction("test-accumulate", tx -> {
      tx.batchAggregations().ensureShards(id, batch, 2, dap);
      tx.batchAggregations().accumulate(id, batch, 2, dap, share(5), 1, new byte[32], 7200,
          7200);
      tx.batchAggregations().accumulate(id, batch, 2, dap, share(7), 1, new byte[32], 7201,
          7201);
      return null;
    });
    List<Row> rows = batchRows(id);
    assertEquals(2, rows.size());
    long sum = 0;
    for (Row row : rows) {
      byte[] stored = Tx.bytes(row, "aggregate_share");
      int ord = row.getInteger("ord");
      if (stored == null) {
        assertFalse(row.getBoolean("aggregate_share_sealed"), "an empty shard holds NULL");
        continue;
      }
      assertTrue(row.getBoolean("aggregate_share_sealed"));
      assertEquals(8 + 12 + 16, stored.length, "one Field64 element, nonce and tag");
      sum += value(crypter.openAggregateShare(id, batch, ord, stored));
      assertThrows(IllegalStateException.class,
          () -> crypter.openAggregateShare(id, batch, ord + 1, stored));
      assertThrows(IllegalStateException.class,
          () -> crypter.openAggregateShare(id, BatchAggregationStore.intervalIdentifier(0), ord,
              stored));
    }
    assertEquals(12, sum);
    assertEquals(12, read(id, batch));

    // A row written before shares were sealed holds the encoded share in the clear.
    datastore.inTransaction("test-legacy", tx -> tx.query("""
        INSERT INTO batch_aggregations (task_id, batch_identifier, ord, aggregate_share,
            report_count, checksum, updated_by)
        VALUES ($1, $2, 9, $3, 1, $4, 'test')""",
        Tuple.of(Tx.buf(id.bytes()), Tx.buf(batch),
            Tx.buf(count.encodeAggregateShare(share(3))), Tx.buf(new byte[32]))));
    assertEquals(15, read(id, batch));
  }

  @Test
  void aRotatedDatastoreKeyReSealsEverySealedValue() throws Exception {
    String current = ConfigProvider.getConfig().getValue("pando.datastore-keys", String.class);
    String next = Crypter.generateKey();
    Crypter currentOnly = new Crypter(List.of(current));
    Crypter nextOnly = new Crypter(List.of(next));

    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/"));
    DapClient<Boolean> client = new DapClient<>(new DapTask<>(id, self, self, count,
        Duration.ofSeconds(3600)));
    ReportId report = client.upload(true);
    byte[] batch = BatchAggregationStore.intervalIdentifier(3600);
    datastore.inTransaction("test-accumulate", tx -> {
      tx.batchAggregations().ensureShards(id, batch, 1, dap);
      tx.batchAggregations().accumulate(id, batch, 1, dap, share(4), 1, new byte[32], 3600,
          3600);
      return null;
    });
    assertTrue(ours(id, report).size() >= 5, "verify key, token, input share, aggregate share"
        + " and the HPKE keys");
    assertOpenOnlyWith(currentOnly, nextOnly, id, report);

    Resealer forward = new Resealer(datastore, new Crypter(List.of(next, current)), meters,
        config);
    double before = resealed("batch_aggregations.aggregate_share");
    long moved = forward.sweep();
    assertTrue(moved >= 5, "at least our five values, got " + moved);
    assertTrue(resealed("batch_aggregations.aggregate_share") > before, "counted per column");
    assertOpenOnlyWith(nextOnly, currentOnly, id, report);
    assertEquals(0, forward.sweep(), "nothing is left under the older key");

    // And back, so that the rest of the suite's application (which knows only `current`) runs.
    Resealer back = new Resealer(datastore, new Crypter(List.of(current, next)), meters, config);
    assertEquals(moved, back.sweep());
    assertOpenOnlyWith(currentOnly, nextOnly, id, report);
    assertEquals(4, read(id, batch));
  }

  /** Each of the task's sealed values opens with {@code yes} and not with {@code no}. */
  private void assertOpenOnlyWith(Crypter yes, Crypter no, TaskId id, ReportId report) {
    for (Sealed v : ours(id, report)) {
      byte[] opened = yes.decrypt(v.table(), v.column(), v.aad(), v.value());
      assertTrue(opened.length > 0, v.table() + "." + v.column());
      assertThrows(IllegalStateException.class,
          () -> no.decrypt(v.table(), v.column(), v.aad(), v.value()),
          v.table() + "." + v.column());
    }
  }

  private record Sealed(String table, String column, byte[] aad, byte[] value) {}

  /** The task's sealed values, and every HPKE private key. */
  private List<Sealed> ours(TaskId id, ReportId report) {
    byte[] inputShare = sealed(id, report);
    return datastore.inTransaction("test-sealed", tx -> {
      List<Sealed> out = new ArrayList<>();
      Row t = tx.query("SELECT vdaf_verify_key, aggregator_auth_token FROM tasks"
          + " WHERE task_id = $1", Tuple.of(Tx.buf(id.bytes()))).iterator().next();
      out.add(new Sealed("tasks", "vdaf_verify_key", id.bytes(),
          Tx.bytes(t, "vdaf_verify_key")));
      out.add(new Sealed("tasks", "aggregator_auth_token", id.bytes(),
          Tx.bytes(t, "aggregator_auth_token")));
      out.add(new Sealed("client_reports", "leader_input_share",
          Crypter.reportRow(id, report), inputShare));
      for (Row r : tx.query("SELECT batch_identifier, ord, aggregate_share FROM"
          + " batch_aggregations WHERE task_id = $1 AND aggregate_share IS NOT NULL",
          Tuple.of(Tx.buf(id.bytes())))) {
        out.add(new Sealed("batch_aggregations", "aggregate_share",
            Crypter.batchRow(id, Tx.bytes(r, "batch_identifier"), r.getInteger("ord")),
            Tx.bytes(r, "aggregate_share")));
      }
      for (Row r : tx.query("SELECT config_id, private_key FROM hpke_keys")) {
        out.add(new Sealed("hpke_keys", "private_key",
            new byte[] {r.getShort("config_id").byteValue()}, Tx.bytes(r, "private_key")));
      }
      return out;
    });
  }

  private double resealed(String column) {
    var c = meters.find("pando_datastore_resealed_total").tag("column", column).counter();
    return c == null ? 0 : c.count();
  }

  private List<Row> batchRows(TaskId id) {
    return datastore.inTransaction("test-rows", tx -> {
      List<Row> out = new ArrayList<>();
      tx.query("SELECT ord, aggregate_share, aggregate_share_sealed FROM batch_aggregations"
          + " WHERE task_id = $1 ORDER BY ord", Tuple.of(Tx.buf(id.bytes()))).forEach(out::add);
      return out;
    });
  }

  private long read(TaskId id, byte[] batch) {
    AggregateShare s = (AggregateShare) datastore.inTransaction("test-read",
        tx -> tx.batchAggregations().read(id, List.of(batch), dap)).share();
    return value(count.encodeAggregateShare(s));
  }

  /** A Prio3Count aggregate share holding {@code n}: one Field64 element, little-endian. */
  private AggregateShare share(long n) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (n >>> (8 * i));
    }
    try {
      return count.decodeAggregateShare(b);
    } catch (io.pando.codec.DecodeException e) {
      throw new AssertionError(e);
    }
  }

  private static long value(byte[] encoded) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (encoded[i] & 0xff);
    }
    return v;
  }

  private byte[] sealed(TaskId task, ReportId report) {
    Row row = datastore.inTransaction("test-read", tx -> tx.query("""
        SELECT leader_input_share, leader_input_share_sealed FROM client_reports
         WHERE task_id = $1 AND report_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(report.bytes()))).iterator().next());
    assertTrue(row.getBoolean("leader_input_share_sealed"));
    return Tx.bytes(row, "leader_input_share");
  }
}
