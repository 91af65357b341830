package io.pando.aggregator.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leader's decrypted input share is stored sealed with the datastore key, bound to its
 * report: it opens for its own row only, and what it opens to is the VDAF's leader input share.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class SealedSharesTest {
  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject Crypter crypter;

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

  private byte[] sealed(TaskId task, ReportId report) {
    Row row = datastore.inTransaction("test-read", tx -> tx.query("""
        SELECT leader_input_share, leader_input_share_sealed FROM client_reports
         WHERE task_id = $1 AND report_id = $2""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(report.bytes()))).iterator().next());
    assertTrue(row.getBoolean("leader_input_share_sealed"));
    return Tx.bytes(row, "leader_input_share");
  }
}
