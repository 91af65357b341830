package io.pando.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSealer;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregateShareAad;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.CollectionJobResp;
import io.pando.dap.messages.dap18.Interval;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.Query;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.dap18.VdafConfig;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.poplar1.Poplar1VerifyStep;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import io.pando.vdaf.prio3.VerifierMessage;
import io.pando.vdaf.prio3.VerifyInit;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DAP-18 collector (draft-ietf-ppm-dap-18 §4.6) against a loopback leader that answers as
 * ours does: 201 with Location and an empty body, polls answered empty with Retry-After until the
 * job is done, then a CollectionJobResp whose two aggregate shares the real VDAF made from known
 * measurements (with the context "dap-18" || task_id) and the real HPKE sealed with the DAP-18
 * info and the AggregateShareAad of the task configuration and the received request.
 */
class Dap18CollectorTest {
  static final TaskId TASK = TaskId.random();
  static final long PRECISION = 600;
  static final long START = 1_765_000_200L; // a multiple of 600

  HttpServer server;
  HpkeKeypair collectorKey;
  TaskConfiguration config;
  final List<CollectionJobReq> requests = new CopyOnWriteArrayList<>();
  final List<String> seen = new CopyOnWriteArrayList<>();
  final AtomicInteger polls = new AtomicInteger();
  /** How many GETs answer "not ready" before the result. */
  volatile int notReadyPolls = 2;
  /** When set, the POST answers with the finished job and a full-URL Location. */
  volatile boolean synchronous;
  /** When set, GET answers this problem. */
  volatile DapProblemType failWith;
  /** Makes the two encoded aggregate shares of a request. */
  volatile ShareMaker shares;
  volatile long reportCount;

  interface ShareMaker {
    byte[][] make(CollectionJobReq req) throws Exception;
  }

  @BeforeEach
  void start() throws Exception {
    collectorKey = HpkeKeypair.generate(HpkeConfigId.of(3), HpkeSuite.X25519_SHA256_AES128GCM);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/leader/dap-18/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  TaskConfiguration configuration(BatchMode mode, VdafConfig vdaf) {
    String leader = "http://127.0.0.1:" + server.getAddress().getPort() + "/leader/dap-18/";
    config = TaskConfiguration.of(new byte[] {9}, leader, "https://helper.example/dap-18/",
        TimePrecision.ofSeconds(PRECISION), 1, mode, vdaf, List.of());
    return config;
  }

  private String jobsPath() {
    return "/leader/dap-18/tasks/" + TASK.toBase64Url() + "/collection_jobs";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      seen.add(method + " " + path);
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!"Bearer secret-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        problem(ex, DapProblemType.UNAUTHORIZED_REQUEST);
        return;
      }
      if (path.equals(jobsPath()) && method.equals("POST")) {
        if (!MediaTypes.is(ex.getRequestHeaders().getFirst("Content-Type"),
            MediaTypes.Message.COLLECTION_JOB_REQ)) {
          ex.sendResponseHeaders(415, -1);
          return;
        }
        requests.add(CollectionJobReq.decode(body));
        CollectionJobId id = CollectionJobId.random();
        if (synchronous) {
          ex.getResponseHeaders().add("Location", "http://127.0.0.1:"
              + server.getAddress().getPort() + jobsPath() + "/" + id.toBase64Url());
          byte[] out = finished(requests.get(requests.size() - 1));
          ex.getResponseHeaders().add("Content-Type", MediaTypes.COLLECTION_JOB_RESP);
          ex.sendResponseHeaders(201, out.length);
          ex.getResponseBody().write(out);
          return;
        }
        ex.getResponseHeaders().add("Location", jobsPath() + "/" + id.toBase64Url());
        ex.getResponseHeaders().add("Retry-After", "0");
        ex.sendResponseHeaders(201, -1);
        return;
      }
      if (path.startsWith(jobsPath() + "/") && method.equals("GET")) {
        if (failWith != null) {
          problem(ex, failWith);
          return;
        }
        if (polls.incrementAndGet() <= notReadyPolls) {
          ex.getResponseHeaders().add("Retry-After", "0");
          ex.sendResponseHeaders(200, -1);
          return;
        }
        byte[] out = finished(requests.get(requests.size() - 1));
        ex.getResponseHeaders().add("Content-Type", MediaTypes.COLLECTION_JOB_RESP);
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
        return;
      }
      if (path.startsWith(jobsPath() + "/") && method.equals("DELETE")) {
        ex.sendResponseHeaders(204, -1);
        return;
      }
      ex.sendResponseHeaders(404, -1);
    } catch (Exception e) {
      byte[] msg = e.toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, msg.length);
      ex.getResponseBody().write(msg);
    }
  }

  /** The finished job of {@code req}: the real VDAF's shares, sealed to the collector. */
  private byte[] finished(CollectionJobReq req) throws Exception {
    byte[][] s = shares.make(req);
    byte[] aad = new AggregateShareAad(TASK, config, req).encode();
    HpkeSealer sealer = Hpke.sealer(collectorKey.config());
    Interval interval = req.query().batchMode() == BatchMode.TIME_INTERVAL
        ? req.query().batchInterval() : Interval.of(START / PRECISION, 1);
    return new CollectionJobResp(reportCount, interval,
        sealer.seal(ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.LEADER), s[0], aad),
        sealer.seal(ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER), s[1], aad))
        .encode();
  }

  private void problem(HttpExchange ex, DapProblemType type) throws IOException {
    byte[] b = ProblemDocument.of(type, "the batch is too small", TASK.toBase64Url()).toJson()
        .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/problem+json");
    ex.sendResponseHeaders(type.httpStatus(), b.length);
    ex.getResponseBody().write(b);
  }

  /** Both aggregators' Prio3 aggregate shares of {@code measurements}, DAP-18 context. */
  static <M> byte[][] prio3Shares(Prio3<M, ?> vdaf, List<M> measurements) throws Exception {
    byte[] ctx = DapVersion.DAP_18.vdafContext(TASK);
    byte[] key = new byte[vdaf.verifyKeySize()];
    new SecureRandom().nextBytes(key);
    List<OutputShare> l = new ArrayList<>();
    List<OutputShare> h = new ArrayList<>();
    for (M m : measurements) {
      byte[] nonce = new byte[16];
      new SecureRandom().nextBytes(nonce);
      Sharded s = vdaf.shard(ctx, m, nonce);
      VerifyInit a = vdaf.verifyInit(key, ctx, 0, nonce, s.publicShare(), s.inputShares().get(0));
      VerifyInit b = vdaf.verifyInit(key, ctx, 1, nonce, s.publicShare(), s.inputShares().get(1));
      VerifierMessage msg = vdaf.verifierSharesToMessage(ctx, List.of(a.share(), b.share()));
      l.add(vdaf.verifyNext(a.state(), msg));
      h.add(vdaf.verifyNext(b.state(), msg));
    }
    return new byte[][] {vdaf.encodeAggregateShare(vdaf.aggregate(l)),
        vdaf.encodeAggregateShare(vdaf.aggregate(h))};
  }

  HttpClient http() {
    return HttpClient.newHttpClient();
  }

  @Test
  void timeIntervalCollectionPollsTheEmptyBodiesAndUnshardsTheExactAggregate()
      throws Exception {
    TaskConfiguration c = configuration(BatchMode.TIME_INTERVAL,
        new VdafConfig.Prio3Histogram(4, 2));
    Prio3<Integer, List<Long>> vdaf = Prio3.Draft20.histogram(4, 2);
    List<Integer> measurements = List.of(0, 3, 3, 1, 3, 2);
    shares = req -> prio3Shares(vdaf, measurements);
    reportCount = measurements.size();
    Collector<List<Long>> collector = Collector.dap18(TASK, c, "secret-token",
        Collector.AuthHeader.BEARER, collectorKey, vdaf, http());
    assertEquals(DapVersion.DAP_18, collector.version());
    List<Integer> waits = new ArrayList<>();
    Query query = collector.timeIntervalQuery(Instant.ofEpochSecond(START),
        Duration.ofSeconds(2 * PRECISION));

    CollectionResult<List<Long>> r = collector.collect(query, Duration.ofSeconds(30),
        (id, n, wait) -> waits.add(n));

    assertEquals(List.of(1L, 1L, 1L, 3L), r.aggregate());
    assertEquals(6, r.reportCount());
    // The wire interval is in time_precision units; the result's in seconds.
    assertEquals(Interval.of(START / PRECISION, 2), requests.get(0).query().batchInterval());
    assertEquals(START, r.interval().start().seconds());
    assertEquals(2 * PRECISION, r.interval().duration().seconds());
    assertEquals(List.of(1, 2), waits, "two empty-body polls before the result");
    assertEquals(3, polls.get());
    assertEquals(0, requests.get(0).aggregationParameter().length);
  }

  @Test
  void sharesBoundToAnotherRequestDoNotOpen() throws Exception {
    TaskConfiguration c = configuration(BatchMode.TIME_INTERVAL, new VdafConfig.Prio3Count());
    Prio3<Boolean, Long> vdaf = Prio3.Draft20.count();
    shares = req -> prio3Shares(vdaf, List.of(true));
    reportCount = 1;
    notReadyPolls = 0;
    Collector<Long> collector = Collector.dap18(TASK, c, "secret-token",
        Collector.AuthHeader.BEARER, collectorKey, vdaf, http());
    Collector.Dap18Job job = collector.start(collector.timeIntervalQuery(
        Instant.ofEpochSecond(START), Duration.ofSeconds(PRECISION)));
    Collector.Dap18Job other = new Collector.Dap18Job(job.location(), new CollectionJobReq(
        Query.timeInterval(Interval.of(START / PRECISION, 2)), new byte[0]),
        java.util.Optional.empty());

    assertThrows(CollectorException.class, () -> collector.poll(other));
    assertEquals(1L, ((Collector.Poll.Ready<Long>) collector.poll(job)).result().aggregate());
    assertTrue(job.id().isPresent());
  }

  @Test
  void aJobFinishedAtCreationIsOpenedWithoutPolling() throws Exception {
    TaskConfiguration c = configuration(BatchMode.LEADER_SELECTED,
        new VdafConfig.Prio3Sum(50));
    Prio3<Long, BigInteger> vdaf = Prio3.Draft20.sum(50);
    shares = req -> prio3Shares(vdaf, List.of(50L, 0L, 7L));
    reportCount = 3;
    synchronous = true;
    Collector<BigInteger> collector = Collector.dap18(TASK, c, "secret-token",
        Collector.AuthHeader.BEARER, collectorKey, vdaf, http());

    CollectionResult<BigInteger> r = collector.collect(collector.leaderSelectedQuery(),
        Duration.ofSeconds(30), null);

    assertEquals(BigInteger.valueOf(57), r.aggregate());
    assertEquals(0, polls.get());
    assertEquals(List.of("POST " + jobsPath()), seen);
    assertTrue(r.batchId().isEmpty());
  }

  @Test
  void intervalsMustBeMultiplesOfTheTimePrecision() {
    TaskConfiguration c = configuration(BatchMode.TIME_INTERVAL, new VdafConfig.Prio3Count());
    Collector<Long> collector = Collector.dap18(TASK, c, "secret-token",
        Collector.AuthHeader.BEARER, collectorKey, Prio3.Draft20.count(), http());
    assertThrows(IllegalArgumentException.class, () -> collector.timeIntervalQuery(
        Instant.ofEpochSecond(START + 1), Duration.ofSeconds(PRECISION)));
    assertThrows(IllegalArgumentException.class, () -> collector.timeIntervalQuery(
        Instant.ofEpochSecond(START), Duration.ofSeconds(PRECISION + 60)));
    assertThrows(IllegalArgumentException.class, collector::leaderSelectedQuery);
    assertThrows(IllegalArgumentException.class, () -> Collector.dap18(TASK, c, "t",
        Collector.AuthHeader.BEARER, collectorKey, Prio3.Draft20.sum(3), http()));
    assertThrows(IllegalStateException.class,
        () -> collector.start(io.pando.dap.messages.Query.currentBatch()));
  }

  @Test
  void aFailedJobIsTheLeadersProblemType() throws Exception {
    TaskConfiguration c = configuration(BatchMode.LEADER_SELECTED, new VdafConfig.Prio3Count());
    Collector<Long> collector = Collector.dap18(TASK, c, "secret-token",
        Collector.AuthHeader.BEARER, collectorKey, Prio3.Draft20.count(), http());
    failWith = DapProblemType.INVALID_BATCH_SIZE;

    CollectorException e = assertThrows(CollectorException.class,
        () -> collector.collect(collector.leaderSelectedQuery(), Duration.ofSeconds(30), null));

    assertEquals(DapProblemType.INVALID_BATCH_SIZE, e.problemType().orElseThrow());
    assertEquals("the batch is too small", e.problem().orElseThrow().detail());
  }

  @Test
  void deleteSendsDeleteToTheJobsLocation() throws Exception {
    TaskConfiguration c = configuration(BatchMode.LEADER_SELECTED, new VdafConfig.Prio3Count());
    Collector<Long> collector = Collector.dap18(TASK, c, "secret-token",
        Collector.AuthHeader.BEARER, collectorKey, Prio3.Draft20.count(), http());
    Collector.Dap18Job job = collector.start(collector.leaderSelectedQuery());

    collector.delete(job);

    assertEquals("DELETE " + job.location().getPath(), seen.get(seen.size() - 1));
    assertTrue(job.location().getPath().startsWith(jobsPath() + "/"));
  }

  @Test
  void poplar1LeaderSelectedCollectionCountsThePrefixesOfItsAggregationParameter()
      throws Exception {
    TaskConfiguration c = configuration(BatchMode.LEADER_SELECTED, new VdafConfig.Poplar1(4));
    Poplar1 vdaf = new Poplar1(VdafVersion.DRAFT_20, 4);
    List<Long> measurements = List.of(0b0110L, 0b0110L, 0b0111L, 0b1000L, 0b0001L);
    byte[] ctx = DapVersion.DAP_18.vdafContext(TASK);
    shares = req -> {
      Poplar1AggParam param = vdaf.decodeAggParam(req.aggregationParameter());
      byte[] key = new byte[vdaf.verifyKeySize()];
      List<Poplar1OutputShare> l = new ArrayList<>();
      List<Poplar1OutputShare> h = new ArrayList<>();
      for (long m : measurements) {
        byte[] nonce = new byte[16];
        nonce[0] = (byte) l.size();
        Poplar1Sharded s = vdaf.shard(ctx, BigInteger.valueOf(m), nonce);
        var a = vdaf.verifyInit(key, ctx, 0, param, nonce, s.publicShare(),
            s.inputShares().get(0));
        var b = vdaf.verifyInit(key, ctx, 1, param, nonce, s.publicShare(),
            s.inputShares().get(1));
        var m1 = vdaf.verifierSharesToMessage(ctx, param, List.of(a.share(), b.share()));
        var a2 = (Poplar1VerifyStep.Continue) vdaf.verifyNext(ctx, a.state(), m1);
        var b2 = (Poplar1VerifyStep.Continue) vdaf.verifyNext(ctx, b.state(), m1);
        var m2 = vdaf.verifierSharesToMessage(ctx, param, List.of(a2.share(), b2.share()));
        l.add(((Poplar1VerifyStep.Finish) vdaf.verifyNext(ctx, a2.state(), m2)).outputShare());
        h.add(((Poplar1VerifyStep.Finish) vdaf.verifyNext(ctx, b2.state(), m2)).outputShare());
      }
      return new byte[][] {vdaf.encodeAggregateShare(vdaf.aggregate(param, l)),
          vdaf.encodeAggregateShare(vdaf.aggregate(param, h))};
    };
    reportCount = measurements.size();
    notReadyPolls = 0;
    Poplar1Collector collector = Poplar1Collector.dap18(TASK, c, "secret-token",
        Collector.AuthHeader.BEARER, collectorKey, http());
    Query query = collector.collector().leaderSelectedQuery();

    CollectionResult<PrefixCounts> r = collector.collect(query, 1, List.of("00", "01", "10"),
        Duration.ofSeconds(30), null);

    assertEquals(new PrefixCounts(1, Map.of("00", 1L, "01", 3L, "10", 1L)), r.aggregate());
    assertArrayEquals(vdaf.encodeAggParam(collector.aggregationParameter(1,
        List.of("00", "01", "10"))), requests.get(0).aggregationParameter());

    Poplar1Collector.HeavyHitters hh = collector.heavyHitters(query, 2, Duration.ofSeconds(30),
        null);
    assertEquals(Map.of("0110", 2L), hh.heavyHitters());
  }
}
