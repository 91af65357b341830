package io.pando.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.Collection;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyInit;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The collector against a leader that speaks DAP-09 collection on loopback. */
class CollectorTest {
  private static final Prio3<Integer, List<Long>> VDAF = Prio3.histogram(3, 2);

  /** Both aggregators' shares of a real Prio3 run over the measurements. */
  private static AggregateShare[] shares(int... measurements) throws Exception {
    byte[] key = new byte[16];
    List<OutputShare> l = new ArrayList<>();
    List<OutputShare> h = new ArrayList<>();
    for (int m : measurements) {
      byte[] nonce = new byte[16];
      nonce[0] = (byte) m;
      nonce[1] = (byte) l.size();
      Sharded s = VDAF.shard(m, nonce);
      VerifyInit a = VDAF.verifyInit(key, 0, nonce, s.publicShare(), s.inputShares().get(0));
      VerifyInit b = VDAF.verifyInit(key, 1, nonce, s.publicShare(), s.inputShares().get(1));
      var msg = VDAF.verifierSharesToMessage(List.of(a.share(), b.share()));
      l.add(VDAF.verifyNext(a.state(), msg));
      h.add(VDAF.verifyNext(b.state(), msg));
    }
    return new AggregateShare[] {VDAF.aggregate(l), VDAF.aggregate(h)};
  }

  private static final class FakeLeader implements AutoCloseable {
    final HttpServer server;
    final AtomicInteger polls = new AtomicInteger();
    final AtomicReference<byte[]> collection = new AtomicReference<>();
    final AtomicReference<String> lastAuth = new AtomicReference<>();
    final AtomicReference<String> lastDapAuth = new AtomicReference<>();
    final AtomicReference<Query<?>> lastQuery = new AtomicReference<>();
    volatile int notReadyPolls = 2;
    volatile DapProblemType refuseWith;
    volatile boolean deleted;

    FakeLeader() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", ex -> {
        try (ex) {
          lastAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
          lastDapAuth.set(ex.getRequestHeaders().getFirst("DAP-Auth-Token"));
          switch (ex.getRequestMethod()) {
            case "PUT" -> {
              if (refuseWith != null) {
                byte[] b = ProblemDocument.of(refuseWith, "no", null).toJson()
                    .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", MediaTypes.PROBLEM_JSON);
                ex.sendResponseHeaders(400, b.length);
                ex.getResponseBody().write(b);
                return;
              }
              lastQuery.set(CollectionReq.decode(ex.getRequestBody().readAllBytes()).query());
              ex.sendResponseHeaders(201, -1);
            }
            case "POST" -> {
              if (polls.incrementAndGet() <= notReadyPolls) {
                ex.getResponseHeaders().add("Retry-After", "0");
                ex.sendResponseHeaders(202, -1);
                return;
              }
              byte[] b = collection.get();
              ex.getResponseHeaders().add("Content-Type", MediaTypes.COLLECTION);
              ex.sendResponseHeaders(200, b.length);
              ex.getResponseBody().write(b);
            }
            case "DELETE" -> {
              deleted = true;
              ex.sendResponseHeaders(204, -1);
            }
            default -> ex.sendResponseHeaders(405, -1);
          }
        } catch (Exception e) {
          ex.sendResponseHeaders(500, -1);
        }
      });
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/base");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static <Q extends io.pando.dap.messages.QueryType> byte[] sealedCollection(TaskId task,
      HpkeKeypair collector, PartialBatchSelector<Q> partial, BatchSelector<Q> selector,
      Interval interval, long count, AggregateShare[] s) throws Exception {
    byte[] aad = new AggregateShareAad<>(task, new byte[0], selector).encode();
    var sealer = Hpke.sealer(collector.config());
    return new Collection<>(partial, count, interval,
        sealer.seal(ApplicationInfo.aggregateShare(Role.LEADER), VDAF.encodeAggregateShare(s[0]),
            aad),
        sealer.seal(ApplicationInfo.aggregateShare(Role.HELPER), VDAF.encodeAggregateShare(s[1]),
            aad)).encode();
  }

  @Test
  void timeIntervalCollectionPollsUntilReadyAndUnshards() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(7), HpkeSuite.X25519_SHA256_AES128GCM);
    Interval interval = Interval.of(1_700_000_000L, 3600);
    try (FakeLeader leader = new FakeLeader()) {
      leader.collection.set(sealedCollection(task, key, PartialBatchSelector.timeInterval(),
          BatchSelector.timeInterval(interval), interval, 4, shares(0, 2, 2, 1)));
      Collector<List<Long>> c = new Collector<>(task, leader.uri(), "tok", key, VDAF);
      List<Integer> waits = new ArrayList<>();
      CollectionResult<List<Long>> r = c.collect(Query.timeInterval(interval),
          Duration.ofSeconds(10), (id, polls, next) -> waits.add(polls));
      assertEquals(List.of(1L, 1L, 2L), r.aggregate());
      assertEquals(4, r.reportCount());
      assertEquals(interval, r.interval());
      assertTrue(r.batchId().isEmpty());
      assertEquals(List.of(1, 2), waits);
      assertEquals("Bearer tok", leader.lastAuth.get());
      assertEquals(Query.timeInterval(interval), leader.lastQuery.get());
    }
  }

  @Test
  void aNoisedTasksAggregateIsReadAsSignedIntegers() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(8), HpkeSuite.X25519_SHA256_AES128GCM);
    Interval interval = Interval.of(1_700_000_000L, 3600);
    AggregateShare[] s = shares(0, 2, 2);
    // The helper's noise takes bucket 1 (true count 0) to -2, bucket 2 (true 2) to 3.
    s[1] = VDAF.addToAggregateShare(s[1], i -> java.math.BigInteger.valueOf(new int[] {0, -2,
        1}[i]));
    DpStrategy strategy = DpStrategy.of("pure_dp_discrete_laplace", "1/2");
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = 0;
      leader.collection.set(sealedCollection(task, key, PartialBatchSelector.timeInterval(),
          BatchSelector.timeInterval(interval), interval, 3, s));
      Collector<List<Long>> plain = new Collector<>(task, leader.uri(), "tok", key, VDAF);
      // Read without the strategy, the negative count does not fit a count.
      assertThrows(CollectorException.class,
          () -> plain.collect(Query.timeInterval(interval), Duration.ofSeconds(10), null));
      leader.polls.set(0);
      CollectionResult<List<Long>> r = plain.withDpStrategy(strategy).collect(
          Query.timeInterval(interval), Duration.ofSeconds(10), null);
      assertEquals(List.of(1L, -2L, 3L), r.aggregate());
      assertEquals(java.util.Optional.of(strategy), r.dpStrategy());
    }
  }

  @Test
  void theTokenCanGoInTheDapAuthTokenHeader() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(7), HpkeSuite.X25519_SHA256_AES128GCM);
    Interval interval = Interval.of(1_700_000_000L, 3600);
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = 0;
      leader.collection.set(sealedCollection(task, key, PartialBatchSelector.timeInterval(),
          BatchSelector.timeInterval(interval), interval, 1, shares(1)));
      Collector<List<Long>> c = new Collector<>(task, leader.uri(), "tok",
          Collector.AuthHeader.DAP_AUTH_TOKEN, key, VDAF,
          java.net.http.HttpClient.newHttpClient());
      assertEquals(List.of(0L, 1L, 0L), c.collect(Query.timeInterval(interval),
          Duration.ofSeconds(5), null).aggregate());
      assertEquals("tok", leader.lastDapAuth.get());
      assertEquals(null, leader.lastAuth.get());
    }
  }

  @Test
  void timeIntervalSharesAreBoundToTheQueryIntervalNotTheReportsInterval() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(7), HpkeSuite.X25519_SHA256_AES128GCM);
    Interval query = Interval.of(1_700_000_000L - 7200, 3 * 3600);
    Interval reports = Interval.of(1_700_000_000L - 3600, 3600);
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = 0;
      // §4.6.4: the AAD names the query's batch interval; the Collection names the smaller one.
      leader.collection.set(sealedCollection(task, key, PartialBatchSelector.timeInterval(),
          BatchSelector.timeInterval(query), reports, 2, shares(2, 2)));
      Collector<List<Long>> c = new Collector<>(task, leader.uri(), "tok", key, VDAF);
      CollectionResult<List<Long>> r = c.collect(Query.timeInterval(query), Duration.ofSeconds(5),
          null);
      assertEquals(List.of(0L, 0L, 2L), r.aggregate());
      assertEquals(reports, r.interval());

      // A job started elsewhere: poll with its query.
      var id = c.start(Query.timeInterval(query));
      Collector<List<Long>> other = new Collector<>(task, leader.uri(), "tok", key, VDAF);
      var ready = (Collector.Poll.Ready<List<Long>>) other.poll(id, Query.timeInterval(query));
      assertEquals(2, ready.result().reportCount());
      // Without the query the collection's own interval is assumed, which does not decrypt here.
      assertThrows(CollectorException.class, () -> other.poll(id));
    }
  }

  @Test
  void fixedSizeCollectionUsesTheBatchIdInTheAad() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(7), HpkeSuite.P256_SHA256_AES128GCM);
    BatchId batch = BatchId.random();
    Interval interval = Interval.of(1_700_000_000L, 60);
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = 0;
      leader.collection.set(sealedCollection(task, key, PartialBatchSelector.fixedSize(batch),
          BatchSelector.fixedSize(batch), interval, 2, shares(1, 1)));
      Collector<List<Long>> c = new Collector<>(task, leader.uri(), "tok", key, VDAF);
      CollectionResult<List<Long>> r = c.collect(Query.currentBatch(), Duration.ofSeconds(5),
          null);
      assertEquals(List.of(0L, 2L, 0L), r.aggregate());
      assertEquals(batch, r.batchId().orElseThrow());

      // The same shares under another batch id do not decrypt.
      leader.collection.set(sealedCollection(task, key, PartialBatchSelector.fixedSize(batch),
          BatchSelector.fixedSize(BatchId.random()), interval, 2, shares(1, 1)));
      var id = c.start(Query.byBatchId(batch));
      CollectorException e = assertThrows(CollectorException.class, () -> c.poll(id));
      assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
      c.delete(id);
      assertTrue(leader.deleted);
    }
  }

  @Test
  void refusalsCarryTheProblemType() throws Exception {
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(7), HpkeSuite.X25519_SHA256_AES128GCM);
    try (FakeLeader leader = new FakeLeader()) {
      leader.refuseWith = DapProblemType.INVALID_BATCH_SIZE;
      Collector<List<Long>> c = new Collector<>(TaskId.random(), leader.uri(), "tok", key, VDAF);
      CollectorException e = assertThrows(CollectorException.class,
          () -> c.start(Query.timeInterval(Interval.of(0, 3600))));
      assertEquals(DapProblemType.INVALID_BATCH_SIZE, e.problemType().orElseThrow());
      assertEquals(400, e.status());
    }
  }
}
