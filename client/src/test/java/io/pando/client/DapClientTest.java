package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.HpkePublicKey;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.Prio3PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyState;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The client's behaviour over real HTTP to {@link FakeAggregators}, run once per transport by the
 * subclasses: both transports must give the same results and the same errors.
 */
abstract class DapClientTest {
  static final Duration PRECISION = Duration.ofSeconds(3600);

  /** The transport under test, with the default timeouts. */
  abstract HttpTransport transport();

  /** The transport under test with the given connect and response timeout. */
  abstract HttpTransport transport(java.time.Duration timeout);

  <M> DapClient<M> client(DapTask<M> task) {
    return new DapClient<>(task, transport());
  }

  /** Prepares every received report through both aggregators and unshards the total. */
  private static <R> R aggregate(Prio3<?, R> vdaf, FakeAggregators aggs) {
    PingPong<VerifyState, OutputShare> pp = Prio3PingPong.of(vdaf);
    byte[] verifyKey = new byte[vdaf.verifyKeySize()];
    List<OutputShare> leader = new ArrayList<>();
    List<OutputShare> helper = new ArrayList<>();
    for (FakeAggregators.Received r : aggs.received) {
      assertTrue(r.leader().extensions().isEmpty());
      byte[] nonce = r.report().metadata().reportId().bytes();
      var l = pp.leaderInit(verifyKey, new byte[0], nonce, r.report().publicShare(),
          r.leader().payload());
      var h = pp.helperInit(verifyKey, new byte[0], nonce, r.report().publicShare(),
          r.helper().payload(), l.outbound());
      var done = pp.leaderContinued(new byte[0], l.state(), h.outbound());
      leader.add(((State.Finished<VerifyState, OutputShare>) done.state()).outputShare());
      helper.add(((State.Finished<VerifyState, OutputShare>) h.state()).outputShare());
    }
    List<AggregateShare> shares = List.of(vdaf.aggregate(leader), vdaf.aggregate(helper));
    return vdaf.unshard(shares, aggs.received.size());
  }

  @Test
  void uploadsReportsTheAggregatorsCanDecryptAndPrepare() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      Prio3<Integer, List<Long>> vdaf = Prio3.histogram(5, 2);
      DapClient<Integer> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), vdaf, PRECISION));
      List<ReportId> ids = new ArrayList<>();
      for (int m : new int[] {0, 4, 4, 2, 1, 4}) {
        ids.add(client.upload(m, Instant.ofEpochSecond(1_700_003_599L)));
      }
      assertEquals(List.of(1L, 1L, 1L, 0L, 3L), aggregate(vdaf, aggs));
      assertEquals(6, aggs.received.size());
      assertEquals(1, aggs.leaderConfigFetches.get(), "configs are cached");
      for (int i = 0; i < ids.size(); i++) {
        var r = aggs.received.get(i);
        assertEquals(ids.get(i), r.report().metadata().reportId());
        assertEquals(1_700_002_800L, r.report().metadata().time().seconds(), "rounded down");
        assertEquals(MediaTypes.REPORT, r.contentType());
      }
    }
  }

  /** Decodes, opens and prepares every received Poplar1 report at {@code param} in two rounds. */
  private static List<Long> poplar1Counts(io.pando.vdaf.poplar1.Poplar1 vdaf,
      io.pando.vdaf.poplar1.Poplar1AggParam param, FakeAggregators aggs) throws Exception {
    byte[] verifyKey = new byte[vdaf.verifyKeySize()];
    List<io.pando.vdaf.poplar1.Poplar1OutputShare> leader = new ArrayList<>();
    List<io.pando.vdaf.poplar1.Poplar1OutputShare> helper = new ArrayList<>();
    for (FakeAggregators.Received r : aggs.received) {
      byte[] nonce = r.report().metadata().reportId().bytes();
      var pub = vdaf.decodePublicShare(r.report().publicShare());
      var l = vdaf.verifyInit(verifyKey, 0, param, nonce, pub,
          vdaf.decodeInputShare(r.leader().payload()));
      var h = vdaf.verifyInit(verifyKey, 1, param, nonce, pub,
          vdaf.decodeInputShare(r.helper().payload()));
      var m1 = vdaf.verifierSharesToMessage(param, List.of(l.share(), h.share()));
      var l2 = (io.pando.vdaf.poplar1.Poplar1VerifyStep.Continue) vdaf.verifyNext(l.state(), m1);
      var h2 = (io.pando.vdaf.poplar1.Poplar1VerifyStep.Continue) vdaf.verifyNext(h.state(), m1);
      var m2 = vdaf.verifierSharesToMessage(param, List.of(l2.share(), h2.share()));
      leader.add(((io.pando.vdaf.poplar1.Poplar1VerifyStep.Finish) vdaf.verifyNext(l2.state(), m2))
          .outputShare());
      helper.add(((io.pando.vdaf.poplar1.Poplar1VerifyStep.Finish) vdaf.verifyNext(h2.state(), m2))
          .outputShare());
    }
    return vdaf.unshard(param, List.of(vdaf.aggregate(param, leader),
        vdaf.aggregate(param, helper)), aggs.received.size());
  }

  @Test
  void uploadsPoplar1BitStringsTheAggregatorsCanPrepare() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      Poplar1Task task = new Poplar1Task(taskId, aggs.leader(), aggs.helper(), 4, PRECISION);
      DapClient<String> client = DapClient.poplar1(task, transport(), java.time.Clock.systemUTC());
      assertEquals(taskId, client.taskId());
      for (String m : new String[] {"0110", "0111", "1000", "0110"}) {
        client.upload(m, Instant.ofEpochSecond(1_700_003_599L));
      }
      assertEquals(4, aggs.received.size());
      assertTrue(aggs.received.get(0).leader().extensions().isEmpty());
      // Level 1 (two-bit prefixes 00, 01, 10, 11) and level 3 (whole measurements).
      assertEquals(List.of(0L, 3L, 1L, 0L), poplar1Counts(task.vdaf(),
          io.pando.vdaf.poplar1.Poplar1AggParam.of(1, 0, 1, 2, 3), aggs));
      assertEquals(List.of(2L, 1L, 1L), poplar1Counts(task.vdaf(),
          io.pando.vdaf.poplar1.Poplar1AggParam.of(3, 0b0110, 0b0111, 0b1000), aggs));

      // A measurement of the wrong length or alphabet is refused before anything is sent.
      int fetches = aggs.leaderConfigFetches.get();
      for (String bad : new String[] {"011", "01101", "01a0", ""}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> client.upload(bad));
        assertTrue(e.getMessage().contains("Poplar1 bit string"), e.getMessage());
      }
      assertEquals(4, aggs.received.size());
      assertEquals(fetches, aggs.leaderConfigFetches.get());
      assertThrows(IllegalStateException.class, client::task);
    }
  }

  @Test
  void pinnedConfigKeysRequireAValidSignatureBeforeAnythingIsSealed() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      java.security.KeyPair signing = g.generateKeyPair();
      DapTask<Boolean> unpinned =
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION);
      DapTask<Boolean> pinned = unpinned.withConfigKeys(signing.getPublic(), null);

      // Not signed at all: the pinned client refuses, the unpinned one uploads.
      DapClientException e = assertThrows(DapClientException.class,
          () -> client(pinned).upload(true));
      assertTrue(e.getMessage().contains("not signed ("), e.getMessage());
      client(unpinned).upload(true);
      assertEquals(1, aggs.received.size());

      // Signed by the pinned key: uploads; the unpinned client ignores the header.
      aggs.leaderSigningKey = signing.getPrivate();
      client(pinned).upload(true);
      client(unpinned).upload(false);
      assertEquals(3, aggs.received.size());

      // Signed by another key, or the body changed after signing: refused, nothing sent.
      aggs.leaderSigningKey = g.generateKeyPair().getPrivate();
      e = assertThrows(DapClientException.class, () -> client(pinned).upload(true));
      assertTrue(e.getMessage().contains("not signed by the pinned key"), e.getMessage());
      aggs.leaderSigningKey = signing.getPrivate();
      aggs.leaderTamperedBody = HpkeConfigList.of(io.pando.core.hpke.HpkeKeypair.generate(
          HpkeConfigId.of(9), io.pando.core.hpke.HpkeSuite.X25519_SHA256_AES128GCM).config())
          .encode();
      assertThrows(DapClientException.class, () -> client(pinned).upload(true));
      assertEquals(3, aggs.received.size());
      assertEquals(3, aggs.count("PUT", "/reports"), "no upload after a refused config");
    }
  }

  @Test
  void countAndSumUploads() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> count = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      for (boolean m : new boolean[] {true, true, false, true}) {
        count.upload(m);
      }
      assertEquals(3L, aggregate(Prio3.count(), aggs));
    }
  }

  @Test
  void outdatedConfigRefetchesOnceAndRetries() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      client.upload(true);
      aggs.rotateLeaderKey();
      client.upload(true);
      assertEquals(2, aggs.leaderConfigFetches.get());
      assertEquals(2, aggs.received.size());
      assertEquals(2L, aggregate(Prio3.count(), aggs));
    }
  }

  @Test
  void rejectionsCarryTheProblemType() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      aggs.rejectNextWith = DapProblemType.REPORT_TOO_EARLY;
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertEquals(400, e.status());
      assertEquals(DapProblemType.REPORT_TOO_EARLY, e.problemType().orElseThrow());
      assertTrue(e.getMessage().contains("reportTooEarly"), e.getMessage());
      assertEquals(taskId.toBase64Url(), e.problem().orElseThrow().taskId());

      DapClient<Boolean> wrongTask = client(new DapTask<>(TaskId.random(),
          aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      e = assertThrows(DapClientException.class, () -> wrongTask.upload(true));
      assertEquals(DapProblemType.UNRECOGNIZED_TASK, e.problemType().orElseThrow());
    }
  }

  @Test
  void unsupportedOrMalformedConfigsAreClearErrors() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      aggs.leaderConfigOverride = HpkeConfigList.of(new HpkeConfig(HpkeConfigId.of(9),
          HpkeKemId.X448_HKDF_SHA512, HpkeKdfId.HKDF_SHA512, HpkeAeadId.AES_256_GCM,
          HpkePublicKey.of(new byte[56]))).encode();
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertTrue(e.getMessage().contains("no supported HPKE config"), e.getMessage());
      aggs.leaderConfigOverride = new byte[] {0, 1};
      e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertTrue(e.getMessage().contains("malformed HPKE config list"), e.getMessage());
      assertEquals(0, aggs.received.size());
    }
  }

  @Test
  void aRefusedConnectionIsAnErrorWithoutStatus() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    URI nobody = URI.create("http://127.0.0.1:" + port + "/");
    DapClient<Boolean> client = client(new DapTask<>(TaskId.random(), nobody, nobody,
        Prio3.count(), PRECISION));
    DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
    assertEquals(0, e.status());
    assertTrue(e.problem().isEmpty());
    assertInstanceOf(IOException.class, e.getCause());
    assertTrue(e.getMessage().startsWith("HPKE config from " + nobody + "hpke_config?task_id="),
        e.getMessage());
  }

  @Test
  void aServerThatNeverAnswersTimesOutAsAnErrorWithoutStatus() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    silent.setExecutor(Executors.newCachedThreadPool());
    silent.createContext("/", ex -> {
      try (ex) {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    silent.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + silent.getAddress().getPort() + "/");
      DapClient<Boolean> client = new DapClient<>(new DapTask<>(TaskId.random(), uri, uri,
          Prio3.count(), PRECISION), transport(java.time.Duration.ofMillis(300)));
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertEquals(0, e.status());
      assertInstanceOf(IOException.class, e.getCause());
    } finally {
      release.countDown();
      silent.stop(0);
    }
  }

  @Test
  void uploadIsOnePutOfTheEncodedReportWithTheReportMediaType() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      Report report = client.prepareReport(true, Instant.ofEpochSecond(1_700_000_000L));
      client.put(report);
      assertEquals(1, aggs.received.size());
      assertArrayEquals(report.encode(), aggs.received.get(0).body());
      var put = aggs.seen.stream().filter(x -> x.method().equals("PUT")).toList();
      assertEquals(1, put.size());
      assertEquals("/leader/tasks/" + taskId.toBase64Url() + "/reports", put.get(0).path());
      assertEquals(MediaTypes.REPORT, put.get(0).contentType());
      assertEquals(report.encode().length, put.get(0).bodyLength());
    }
  }

  @Test
  void configsAreOneGetPerAggregatorWithTheTaskIdAndTheConfigListMediaType() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      client.upload(true);
      client.upload(false);
      var gets = aggs.seen.stream().filter(x -> x.method().equals("GET")).toList();
      assertEquals(List.of("/leader/hpke_config", "/helper/hpke_config"),
          gets.stream().map(FakeAggregators.Seen::path).toList());
      for (var g : gets) {
        assertEquals("task_id=" + taskId.toBase64Url(), g.query());
        assertEquals(MediaTypes.HPKE_CONFIG_LIST, g.accept());
        assertEquals(0, g.bodyLength());
      }
      client.refreshConfigs();
      client.upload(true);
      assertEquals(4, aggs.count("GET", "/hpke_config"));
      assertEquals(3, aggs.received.size());
    }
  }

  @Test
  void outdatedConfigIsRetriedOnlyOnce() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      aggs.alwaysOutdated = true;
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertEquals(DapProblemType.OUTDATED_CONFIG, e.problemType().orElseThrow());
      assertEquals(400, e.status());
      assertEquals(2, aggs.count("PUT", "/reports"));
      assertEquals(2, aggs.leaderConfigFetches.get());
    }
  }

  @Test
  void anErrorWithoutAProblemDocumentCarriesOnlyTheStatus() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      aggs.plainErrorNext = 503;
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertEquals(503, e.status());
      assertTrue(e.problem().isEmpty());
      assertTrue(e.getMessage().endsWith("/reports: HTTP 503"), e.getMessage());
      assertEquals(1, aggs.count("PUT", "/reports"), "no retry");
    }
  }

  @Test
  void anUnknownPathIsA404WithoutProblem() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      URI elsewhere = aggs.leader().resolve("../nowhere/");
      DapClient<Boolean> client = client(
          new DapTask<>(taskId, elsewhere, aggs.helper(), Prio3.count(), PRECISION));
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertEquals(404, e.status());
      assertTrue(e.problem().isEmpty());
    }
  }

  // The transport itself: what DapClient relies on.

  @Test
  void transportReturnsNon2xxAndRedirectsAsResponsesWithHeadersAndBody() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        byte[] in = ex.getRequestBody().readAllBytes();
        switch (ex.getRequestURI().getPath()) {
          case "/echo" -> {
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.getResponseHeaders().add("X-Method", ex.getRequestMethod());
            ex.getResponseHeaders().add("X-Test", ex.getRequestHeaders().getFirst("X-Test"));
            ex.sendResponseHeaders(200, in.length);
            ex.getResponseBody().write(in);
          }
          case "/moved" -> {
            ex.getResponseHeaders().add("Location", "/echo");
            ex.sendResponseHeaders(302, -1);
          }
          case "/teapot" -> {
            byte[] msg = "short and stout".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Retry-After", "7");
            ex.sendResponseHeaders(418, msg.length);
            ex.getResponseBody().write(msg);
          }
          default -> ex.sendResponseHeaders(201, -1);
        }
      }
    });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      HttpTransport t = transport();
      byte[] body = {0, 1, 2, (byte) 0xff};
      var r = t.send(new HttpTransport.Request("PUT", URI.create(base + "/echo"),
          Map.of("X-Test", "yes", "Content-Type", "application/octet-stream"), body));
      assertEquals(200, r.status());
      assertArrayEquals(body, r.body());
      assertEquals("PUT", r.header("x-method").orElseThrow());
      assertEquals("yes", r.header("X-TEST").orElseThrow());
      assertEquals("application/octet-stream", r.header("Content-Type").orElseThrow());

      r = t.send(new HttpTransport.Request("GET", URI.create(base + "/moved"), Map.of(),
          new byte[0]));
      assertEquals(302, r.status(), "redirects are not followed");
      assertEquals("/echo", r.header("location").orElseThrow());

      r = t.send(new HttpTransport.Request("GET", URI.create(base + "/teapot"), Map.of(),
          new byte[0]));
      assertEquals(418, r.status());
      assertEquals("7", r.header("Retry-After").orElseThrow());
      assertEquals("short and stout", new String(r.body(), StandardCharsets.UTF_8));

      r = t.send(new HttpTransport.Request("PUT", URI.create(base + "/created"), Map.of(),
          new byte[0]));
      assertEquals(201, r.status());
      assertEquals(0, r.body().length);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void invalidMeasurementsAreRefusedBeforeAnythingIsSent() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Integer> client = client(new DapTask<>(taskId, aggs.leader(),
          aggs.helper(), Prio3.histogram(3, 2), PRECISION));
      assertThrows(IllegalArgumentException.class, () -> client.upload(3));
      assertEquals(0, aggs.received.size());
    }
  }
}
