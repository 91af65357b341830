package io.pando.aggregator.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.AtOnce;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What several replicas over one database need from each one's caches: a task created, changed
 * or deleted elsewhere (another replica's TaskService, or SQL by hand) is seen here within
 * seconds although this replica had cached the old answer for 30 s, also after the change feed's
 * connection was cut; and HPKE keys created at once by several callers never collide.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class ReplicaCoherenceTest {
  /** Far below the 30 s a cached answer lives: only a notification can explain seeing it. */
  static final long SECONDS = 5;

  @Inject TaskService tasks;
  @Inject Crypter crypter;
  @Inject ObjectMapper json;
  @Inject Datastore datastore;
  @Inject ChangeFeed feed;
  @Inject HpkeKeys keys;

  @Test
  void tasksChangedOnAnotherReplicaAreSeenHere() throws Exception {
    Waits.until("the change feed listens", 30, feed::listening);
    TaskService otherReplica = new TaskService(crypter, json);
    TaskId id = TaskId.random();
    assertTrue(tasks.get(id).isEmpty(), "unknown, and now cached as unknown");

    otherReplica.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/"));
    Waits.until("the new task is seen", SECONDS, () -> tasks.get(id).isPresent());
    assertEquals(1L, tasks.get(id).orElseThrow().minBatchSize());

    sql("UPDATE tasks SET min_batch_size = 77 WHERE task_id = $1", id);
    Waits.until("the changed task is seen", SECONDS,
        () -> tasks.get(id).orElseThrow().minBatchSize() == 77L);

    assertTrue(otherReplica.delete(id));
    Waits.until("the deleted task is gone", SECONDS, () -> tasks.get(id).isEmpty());
  }

  @Test
  void theFeedComesBackAfterItsConnectionIsCut() throws Exception {
    Waits.until("the change feed listens", 30, feed::listening);
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/"));
    assertEquals(1L, tasks.get(id).orElseThrow().minBatchSize());
    int pid = feed.backendPid().orElseThrow();

    datastore.inTransaction("test-cut", tx -> tx.query(
        "SELECT pg_terminate_backend($1)", Tuple.of(pid)));
    Waits.until("the feed notices", SECONDS, () -> !feed.listening()
        || feed.backendPid().map(p -> p != pid).orElse(false));
    Waits.until("the feed is back on a new connection", 30, () -> feed.listening()
        && feed.backendPid().map(p -> p != pid).orElse(false));

    sql("UPDATE tasks SET min_batch_size = 5 WHERE task_id = $1", id);
    Waits.until("a change after the reconnection is seen", SECONDS,
        () -> tasks.get(id).orElseThrow().minBatchSize() == 5L);
  }

  @Test
  void replicasCreatingTheFirstKeyAtOnceMakeOne() throws Exception {
    List<Integer> active = new ArrayList<>();
    keys.all().stream().filter(k -> k.state() == HpkeKeys.State.ACTIVE)
        .forEach(k -> active.add(k.keypair().config().id().value()));
    active.forEach(id -> keys.setState(id, HpkeKeys.State.EXPIRED));
    try {
      List<Optional<HpkeKeys.Key>> made = AtOnce.copies(8,
          () -> keys.ensureActiveKey(HpkeSuite.X25519_SHA256_AES128GCM));
      assertEquals(1, made.stream().filter(Optional::isPresent).count(), "one caller made it");
      keys.reload();
      List<HpkeKeys.Key> nowActive = keys.all().stream()
          .filter(k -> k.state() == HpkeKeys.State.ACTIVE).toList();
      assertEquals(1, nowActive.size());
      keys.delete(nowActive.get(0).keypair().config().id().value());
    } finally {
      active.forEach(id -> keys.setState(id, HpkeKeys.State.ACTIVE));
    }
  }

  @Test
  void keysCreatedAtOnceGetDistinctConfigIds() throws Exception {
    List<HpkeKeys.Key> made = AtOnce.copies(6,
        () -> keys.generate(HpkeSuite.X25519_SHA256_AES128GCM, HpkeKeys.State.PENDING));
    Set<Integer> ids = new HashSet<>();
    made.forEach(k -> ids.add(k.keypair().config().id().value()));
    assertEquals(6, ids.size(), "distinct config ids: " + ids);
    ids.forEach(id -> assertTrue(keys.delete(id)));
  }

  private void sql(String statement, TaskId id) {
    datastore.inTransaction("test-sql", tx -> tx.query(statement, Tuple.of(Tx.buf(id.bytes()))));
  }
}
