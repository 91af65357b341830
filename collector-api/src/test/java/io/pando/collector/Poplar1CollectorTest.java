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
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.poplar1.Poplar1VerifyStep;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The Poplar1 collector against a loopback leader that prepares real Poplar1 reports at each
 * collection's aggregation parameter and seals both aggregate shares bound to it.
 */
class Poplar1CollectorTest {
  private static final Poplar1 VDAF = new Poplar1(4);
  private static final Interval INTERVAL = Interval.of(1_700_000_000L, 3600);
  private static final List<Long> MEASUREMENTS =
      List.of(0b0110L, 0b0110L, 0b0110L, 0b0111L, 0b1000L, 0b1000L, 0b0001L);

  /** Both aggregators' aggregate shares of a two-round Poplar1 preparation of MEASUREMENTS. */
  private static byte[][] shares(Poplar1AggParam param) throws Exception {
    byte[] key = new byte[16];
    List<Poplar1OutputShare> l = new ArrayList<>();
    List<Poplar1OutputShare> h = new ArrayList<>();
    for (long m : MEASUREMENTS) {
      byte[] nonce = new byte[16];
      nonce[0] = (byte) l.size();
      Poplar1Sharded s = VDAF.shard(BigInteger.valueOf(m), nonce);
      var a = VDAF.verifyInit(key, 0, param, nonce, s.publicShare(), s.inputShares().get(0));
      var b = VDAF.verifyInit(key, 1, param, nonce, s.publicShare(), s.inputShares().get(1));
      var m1 = VDAF.verifierSharesToMessage(param, List.of(a.share(), b.share()));
      var a2 = (Poplar1VerifyStep.Continue) VDAF.verifyNext(a.state(), m1);
      var b2 = (Poplar1VerifyStep.Continue) VDAF.verifyNext(b.state(), m1);
      var m2 = VDAF.verifierSharesToMessage(param, List.of(a2.share(), b2.share()));
      l.add(((Poplar1VerifyStep.Finish) VDAF.verifyNext(a2.state(), m2)).outputShare());
      h.add(((Poplar1VerifyStep.Finish) VDAF.verifyNext(b2.state(), m2)).outputShare());
    }
    return new byte[][] {VDAF.encodeAggregateShare(VDAF.aggregate(param, l)),
        VDAF.encodeAggregateShare(VDAF.aggregate(param, h))};
  }

  /** A leader answering each job at once with the shares of the job's parameter. */
  private static final class FakeLeader implements AutoCloseable {
    final HttpServer server;
    final List<Poplar1AggParam> params = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> collections = new java.util.concurrent.ConcurrentHashMap<>();
    /** When set, the shares are sealed with an empty aggregation parameter in the AAD. */
    volatile boolean wrongAad;

    FakeLeader(TaskId task, HpkeKeypair collector) throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", ex -> {
        try (ex) {
          String path = ex.getRequestURI().getPath();
          if (ex.getRequestMethod().equals("PUT")) {
            CollectionReq<?> req = CollectionReq.decode(ex.getRequestBody().readAllBytes());
            Poplar1AggParam param = VDAF.decodeAggParam(req.aggregationParameter());
            params.add(param);
            byte[][] s = shares(param);
            byte[] aad = new AggregateShareAad<>(task,
                wrongAad ? new byte[0] : req.aggregationParameter(),
                BatchSelector.timeInterval(INTERVAL)).encode();
            var sealer = Hpke.sealer(collector.config());
            collections.put(path, new Collection<>(PartialBatchSelector.timeInterval(),
                MEASUREMENTS.size(), INTERVAL,
                sealer.seal(ApplicationInfo.aggregateShare(Role.LEADER), s[0], aad),
                sealer.seal(ApplicationInfo.aggregateShare(Role.HELPER), s[1], aad)).encode());
            ex.sendResponseHeaders(201, -1);
          } else {
            byte[] b = collections.get(path);
            ex.getResponseHeaders().add("Content-Type", MediaTypes.COLLECTION);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
          }
        } catch (Exception e) {
          ex.sendResponseHeaders(500, -1);
        }
      });
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static HpkeKeypair key() throws Exception {
    return HpkeKeypair.generate(HpkeConfigId.of(3), HpkeSuite.X25519_SHA256_AES128GCM);
  }

  @Test
  void collectsPrefixCountsAtALevelWithItsAggregationParameter() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = key();
    try (FakeLeader leader = new FakeLeader(task, key)) {
      Poplar1Collector c = new Poplar1Collector(task, leader.uri(), "tok", key, 4);
      // Given out of order and with a repeat: sent once each, sorted (draft-08 §8.2).
      CollectionResult<PrefixCounts> r = c.collect(Query.timeInterval(INTERVAL), 1,
          List.of("10", "01", "00", "01"), Duration.ofSeconds(10), null);
      assertEquals(Poplar1AggParam.of(1, 0, 1, 2), leader.params.get(0));
      Map<String, Long> expected = new LinkedHashMap<>();
      expected.put("00", 1L);
      expected.put("01", 4L);
      expected.put("10", 2L);
      assertEquals(new PrefixCounts(1, expected), r.aggregate());
      assertEquals(List.of("00", "01", "10"), List.copyOf(r.aggregate().counts().keySet()));
      assertEquals(0L, r.aggregate().count("11"));
      assertEquals(MEASUREMENTS.size(), r.reportCount());
      assertEquals(INTERVAL, r.interval());

      // Shares bound to another parameter do not open.
      leader.wrongAad = true;
      assertThrows(CollectorException.class, () -> c.collect(Query.timeInterval(INTERVAL), 2,
          List.of("011"), Duration.ofSeconds(10), null));
    }
  }

  @Test
  void aJobStartedWithADecodedParameterIsPolledToTheCountsInItsPrefixOrder() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = key();
    try (FakeLeader leader = new FakeLeader(task, key)) {
      Poplar1Collector c = new Poplar1Collector(task, leader.uri(), "tok", key, 4);
      Poplar1AggParam param = c.decodeAggregationParameter(
          VDAF.encodeAggParam(Poplar1AggParam.of(2, 0b000, 0b011, 0b100)));
      assertEquals(Poplar1AggParam.of(2, 0, 3, 4), param);
      Query<?> q = Query.timeInterval(INTERVAL);
      io.pando.dap.messages.CollectionJobId id = c.start(q, param);
      assertEquals(List.of(param), leader.params);
      Collector.Poll<List<Long>> poll = c.collector().poll(id);
      CollectionResult<List<Long>> r = ((Collector.Poll.Ready<List<Long>>) poll).result();
      assertEquals(List.of(1L, 4L, 2L), r.aggregate());
      assertEquals(MEASUREMENTS.size(), r.reportCount());
      assertThrows(io.pando.codec.DecodeException.class, () -> c.decodeAggregationParameter(
          VDAF.encodeAggParam(Poplar1AggParam.of(4, 0))));
    }
  }

  @Test
  void badPrefixesAreRefusedBeforeAnythingIsSent() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = key();
    try (FakeLeader leader = new FakeLeader(task, key)) {
      Poplar1Collector c = new Poplar1Collector(task, leader.uri(), "tok", key, 4);
      Query<?> q = Query.timeInterval(INTERVAL);
      for (var bad : List.<Runnable>of(
          () -> c.aggregationParameter(1, List.of("0")),
          () -> c.aggregationParameter(1, List.of("0x")),
          () -> c.aggregationParameter(4, List.of("00000")),
          () -> c.aggregationParameter(-1, List.of("0")))) {
        assertThrows(IllegalArgumentException.class, bad::run);
      }
      assertThrows(IllegalArgumentException.class,
          () -> c.collect(q, 0, List.of("01"), Duration.ofSeconds(1), null));
      assertTrue(leader.params.isEmpty());
    }
  }

  @Test
  void heavyHittersWalkTheLevelsWithTheChildrenOfPrefixesAtTheThreshold() throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair key = key();
    try (FakeLeader leader = new FakeLeader(task, key)) {
      Poplar1Collector c = new Poplar1Collector(task, leader.uri(), "tok", key, 4);
      Poplar1Collector.HeavyHitters hh = c.heavyHitters(Query.timeInterval(INTERVAL), 2,
          Duration.ofSeconds(10), null);
      // Level 0: 0 → 5, 1 → 2; level 1: 00 → 1, 01 → 4, 10 → 2, 11 → 0; level 2: 010 → 0,
      // 011 → 4, 100 → 2, 101 → 0; level 3: 0110 → 3, 0111 → 1, 1000 → 2, 1001 → 0.
      assertEquals(List.of(Poplar1AggParam.of(0, 0, 1), Poplar1AggParam.of(1, 0, 1, 2, 3),
          Poplar1AggParam.of(2, 2, 3, 4, 5), Poplar1AggParam.of(3, 6, 7, 8, 9)), leader.params);
      assertEquals(4, hh.levels().size());
      assertEquals(4L, hh.levels().get(2).aggregate().count("011"));
      Map<String, Long> expected = new LinkedHashMap<>();
      expected.put("0110", 3L);
      expected.put("1000", 2L);
      assertEquals(expected, hh.heavyHitters());

      // A threshold no prefix reaches stops after level 0, with no heavy hitters.
      leader.params.clear();
      Poplar1Collector.HeavyHitters none = c.heavyHitters(Query.timeInterval(INTERVAL), 8,
          Duration.ofSeconds(10), null);
      assertEquals(1, leader.params.size());
      assertEquals(1, none.levels().size());
      assertTrue(none.heavyHitters().isEmpty());
    }
  }
}
