package io.pando.aggregator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.Tasks;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.client.HttpTransport;
import io.pando.client.UploadResult;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.Poplar1Collector;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.devstack.AggregatorProcess;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DAP-18 (draft-ietf-ppm-dap-18, VDAF-20) beside DAP-09 between real processes, from one
 * deployment: a leader, a synchronous helper and an asynchronous helper
 * ({@code pando.helper.deferred.enabled}), each the packaged application on its own database and
 * Kafka topics. Tasks are provisioned through the admin API on both aggregators of each pair, and
 * both must derive the same TaskConfiguration; reports are uploaded with the Java client (one
 * bulk request per task on DAP-18), aggregated by the processes and collected with the collector
 * library: every Prio3 variant and Poplar1 (heavy hitters, level by level) on DAP-18, both batch
 * modes, both helpers, and a DAP-09 task on the same leader and helper at the same time; every
 * aggregate is checked exactly. Then a leader and helper that disagree on a task's draft: the
 * leader parks the job with the helper's problem, and nothing is aggregated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Dap18EndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PRECISION = 3600;
  private static final String AGGREGATOR_TOKEN = "d18-aggregator-G7kP2xQ9rT4vW8nZ";
  private static final String COLLECTOR_TOKEN = "d18-collector-M3nB8vC5xZ1qW7eR";
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static AggregatorProcess leader;
  private static AggregatorProcess helper;
  private static AggregatorProcess asyncHelper;
  /** The previous hour: reports of the time-interval tasks land in one bucket. */
  private static long bucket;

  private static Map<String, String> env(String... extra) {
    Map<String, String> env = Processes.env(
        "PANDO_AGGREGATION_CREATION_INTERVAL", "PT1S",
        "PANDO_AGGREGATION_MAX_JOB_SIZE", "8",
        "PANDO_JOBS_SWEEP_INTERVAL", "PT1S",
        "PANDO_JOBS_LEASE_DURATION", "PT6S",
        "PANDO_JOBS_RETRY_INITIAL_BACKOFF", "PT0.5S",
        "PANDO_JOBS_RETRY_MAX_BACKOFF", "PT2S",
        "PANDO_JOBS_RETRY_PARKED_RETRY_INTERVAL", "PT5S",
        "PANDO_LEADER_HELPER_REQUEST_TIMEOUT", "PT4S",
        "PANDO_COLLECTION_WAIT_INTERVAL", "PT1S");
    env.putAll(Processes.env(extra));
    return env;
  }

  @BeforeAll
  static void start() throws Exception {
    bucket = (Instant.now().getEpochSecond() / PRECISION - 1) * PRECISION;
    helper = Processes.start("d18-helper", env());
    asyncHelper = Processes.start("d18-async-helper", env(
        "PANDO_HELPER_DEFERRED_ENABLED", "true",
        "PANDO_HELPER_DEFERRED_POLL_INTERVAL", "PT0.2S"));
    leader = Processes.start("d18-leader", env());
  }

  @AfterAll
  static void stop() {
    for (AggregatorProcess p : new AggregatorProcess[] {leader, helper, asyncHelper}) {
      if (p != null) {
        p.close();
      }
    }
  }

  /** A process's DAP-18 endpoint: its {@code /dap-18/} prefix. */
  private static String dap18(AggregatorProcess p) {
    return p.uri().resolve("dap-18/").toString();
  }

  /** A DAP-18 task on the leader and {@code peer}, and the configuration both derived. */
  record Task18(TaskId id, TaskConfiguration configuration) {}

  private static Task18 provision18(AggregatorProcess peer, Map<String, Object> vdaf,
      String batchMode, long minBatchSize, long maxBatchQueryCount, int verifyKeyLength)
      throws Exception {
    TaskId id = TaskId.random();
    byte[] verifyKey = new byte[verifyKeyLength];
    new SecureRandom().nextBytes(verifyKey);
    List<String> configurations = new ArrayList<>();
    for (AggregatorProcess p : List.of(leader, peer)) {
      boolean isLeader = p == leader;
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("dap_version", "dap-18");
      d.put("role", isLeader ? "leader" : "helper");
      d.put("task_info", Tasks.b64(("e2e " + vdaf.get("type")).getBytes()));
      d.put("leader_aggregator_endpoint", dap18(leader));
      d.put("helper_aggregator_endpoint", dap18(peer));
      d.put("batch_mode", batchMode);
      d.put("vdaf", vdaf);
      d.put("vdaf_verify_key", Tasks.b64(verifyKey));
      d.put("max_batch_query_count", maxBatchQueryCount);
      d.put("min_batch_size", minBatchSize);
      d.put("time_precision", PRECISION);
      d.put("tolerable_clock_skew", 60);
      d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
      d.put("aggregator_auth_token", AGGREGATOR_TOKEN);
      if (isLeader) {
        d.put("collector_auth_token", COLLECTOR_TOKEN);
      }
      HttpResponse<String> put = p.admin("PUT", "tasks/" + id.toBase64Url(),
          JSON.writeValueAsString(d));
      assertEquals(200, put.statusCode(), put.body());
      HttpResponse<String> got = p.admin("GET", "tasks/" + id.toBase64Url(), null);
      assertEquals(200, got.statusCode(), got.body());
      configurations.add((String) JSON.readValue(got.body(),
          new TypeReference<Map<String, Object>>() {}).get("task_configuration"));
    }
    // §4.2: both aggregators bind the same encoded configuration into their AADs.
    assertEquals(configurations.get(0), configurations.get(1));
    return new Task18(id, TaskConfiguration.decode(
        Base64.getUrlDecoder().decode(configurations.get(0))));
  }

  /** A DAP-09 task on the leader and the synchronous helper. */
  private static TaskId provision09(Map<String, Object> vdaf) throws Exception {
    TaskId id = TaskId.random();
    byte[] verifyKey = new byte[16];
    new SecureRandom().nextBytes(verifyKey);
    for (AggregatorProcess p : List.of(leader, helper)) {
      boolean isLeader = p == leader;
      var d = new io.pando.aggregator.task.TaskDefinition(id.toBase64Url(),
          isLeader ? "leader" : "helper", (isLeader ? helper : leader).uri().toString(),
          "time_interval", null, new LinkedHashMap<>(vdaf), Tasks.b64(verifyKey), 1L, null, null,
          3L, PRECISION, 60L, Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()),
          AGGREGATOR_TOKEN, isLeader ? COLLECTOR_TOKEN : null);
      HttpResponse<String> put = p.admin("PUT", "tasks/" + id.toBase64Url(),
          JSON.writeValueAsString(d));
      assertEquals(200, put.statusCode(), put.body());
    }
    return id;
  }

  /** A Prio3 task of either helper, its measurements and what they must add up to. */
  record Case<M, R>(String name, Task18 task, Prio3<M, R> vdaf, List<M> measurements,
      R expected, boolean leaderSelected) {}

  private static <M, R> Case<M, R> prio3(String name, AggregatorProcess peer,
      Map<String, Object> vdafJson, Prio3<M, R> vdaf, List<M> measurements,
      Function<List<M>, R> truth, boolean leaderSelected) throws Exception {
    Task18 t = provision18(peer, vdafJson, leaderSelected ? "leader_selected" : "time_interval",
        measurements.size(), 1, 32);
    return new Case<>(name, t, vdaf, measurements, truth.apply(measurements), leaderSelected);
  }

  private static <M> void upload(Case<M, ?> c) throws Exception {
    DapClient<M> client = new DapClient<>(DapTask.dap18(c.task().id(), c.task().configuration(),
        c.vdaf()));
    UploadResult r = client.uploadAll(c.measurements(), Instant.ofEpochSecond(bucket + 60));
    assertEquals(List.of(), r.refused(), c.name());
    assertEquals(c.measurements().size(), r.accepted().size(), c.name());
  }

  private static <M, R> void collectExactly(Case<M, R> c) throws Exception {
    Collector<R> collector = Collector.dap18(c.task().id(), c.task().configuration(),
        COLLECTOR_TOKEN, Tasks.COLLECTOR_KEY, c.vdaf());
    io.pando.dap.messages.dap18.Query query = c.leaderSelected()
        ? collector.leaderSelectedQuery()
        : collector.timeIntervalQuery(Instant.ofEpochSecond(bucket),
            Duration.ofSeconds(PRECISION));
    CollectionResult<R> result = collector.collect(query, DEADLINE, null);
    assertEquals(c.expected(), result.aggregate(), c.name());
    assertEquals(c.measurements().size(), result.reportCount(), c.name());
    if (!c.leaderSelected()) {
      assertEquals(bucket, result.interval().start().seconds(), c.name());
      assertEquals(PRECISION, result.interval().duration().seconds(), c.name());
    }
  }

  private static List<BigInteger> sumVec(List<List<Long>> ms, int length) {
    List<BigInteger> out = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      long s = 0;
      for (List<Long> m : ms) {
        s += m.get(i);
      }
      out.add(BigInteger.valueOf(s));
    }
    return out;
  }

  /** Runs a test body; on failure, adds the tails of the processes' logs. */
  private interface Body {
    void run() throws Exception;
  }

  private static void withLogs(Body body) throws Exception {
    try {
      body.run();
    } catch (Throwable t) {
      StringBuilder logs = new StringBuilder();
      for (AggregatorProcess p : new AggregatorProcess[] {leader, helper, asyncHelper}) {
        logs.append("\n--- ").append(p.name()).append(" ---\n").append(p.tail(60));
      }
      throw new AssertionError(t.getMessage() + logs, t);
    }
  }

  @Test
  @Order(1)
  void everyPrio3VariantAndPoplar1OnDap18BesideADap09TaskOnTheSameProcesses() throws Exception {
    withLogs(() -> {
      List<Case<?, ?>> cases = new ArrayList<>();
      cases.add(prio3("Prio3Count", helper, Map.of("type", "Prio3Count"),
          Prio3.Draft20.count(), List.of(true, false, true, true),
          ms -> ms.stream().filter(b -> b).count(), false));
      cases.add(prio3("Prio3Sum", helper, Map.of("type", "Prio3Sum", "max_measurement", 100),
          Prio3.Draft20.sum(100), List.of(3L, 100L, 0L, 42L),
          ms -> BigInteger.valueOf(ms.stream().mapToLong(Long::longValue).sum()), false));
      cases.add(prio3("Prio3SumVec", helper, Map.of("type", "Prio3SumVec", "length", 3,
              "max_measurement", 7, "chunk_length", 2),
          Prio3.Draft20.sumVec(3, 7, 2),
          List.of(List.of(1L, 7L, 0L), List.of(2L, 0L, 5L), List.of(7L, 7L, 7L)),
          ms -> sumVec(ms, 3), false));
      cases.add(prio3("Prio3Histogram", helper, Map.of("type", "Prio3Histogram", "length", 5,
              "chunk_length", 2),
          Prio3.Draft20.histogram(5, 2), List.of(0, 4, 4, 2, 1),
          ms -> {
            List<Long> h = new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L));
            ms.forEach(b -> h.set(b, h.get(b) + 1));
            return h;
          }, false));
      cases.add(prio3("Prio3MultihotCountVec", helper, Map.of("type", "Prio3MultihotCountVec",
              "length", 4, "max_weight", 2, "chunk_length", 2),
          Prio3.Draft20.multihotCountVec(4, 2, 2),
          List.of(List.of(true, false, false, true), List.of(false, false, true, false),
              List.of(true, true, false, false)),
          ms -> {
            List<Long> h = new ArrayList<>(List.of(0L, 0L, 0L, 0L));
            for (List<Boolean> m : ms) {
              for (int i = 0; i < 4; i++) {
                h.set(i, h.get(i) + (m.get(i) ? 1 : 0));
              }
            }
            return h;
          }, false));
      cases.add(prio3("Prio3Sum leader_selected", helper,
          Map.of("type", "Prio3Sum", "max_measurement", 100), Prio3.Draft20.sum(100),
          List.of(10L, 20L, 30L),
          ms -> BigInteger.valueOf(ms.stream().mapToLong(Long::longValue).sum()), true));
      // The asynchronous helper: both batch modes.
      cases.add(prio3("Prio3Histogram async", asyncHelper, Map.of("type", "Prio3Histogram",
              "length", 3, "chunk_length", 2),
          Prio3.Draft20.histogram(3, 2), List.of(2, 2, 0),
          ms -> {
            List<Long> h = new ArrayList<>(List.of(0L, 0L, 0L));
            ms.forEach(b -> h.set(b, h.get(b) + 1));
            return h;
          }, false));
      cases.add(prio3("Prio3Count async leader_selected", asyncHelper,
          Map.of("type", "Prio3Count"), Prio3.Draft20.count(), List.of(true, true, false),
          ms -> ms.stream().filter(b -> b).count(), true));

      // Poplar1 on DAP-18, on each helper: one collection per level (max_batch_query_count).
      int bits = 4;
      List<String> words = List.of("1010", "1011", "0100", "1110", "0001", "1010");
      Task18 poplar = provision18(helper, Map.of("type", "Poplar1", "bits", bits),
          "time_interval", 3, bits, 32);
      Task18 poplarAsync = provision18(asyncHelper, Map.of("type", "Poplar1", "bits", bits),
          "time_interval", 3, bits, 32);

      // A DAP-09 task on the same leader and helper, at the same time.
      TaskId dap09 = provision09(Map.of("type", "Prio3Count"));
      DapClient<Boolean> client09 = new DapClient<>(new DapTask<>(dap09, leader.uri(),
          helper.uri(), Prio3.count(), io.pando.dap.messages.Duration.ofSeconds(PRECISION)));

      for (Case<?, ?> c : cases) {
        upload(c);
      }
      for (Task18 t : List.of(poplar, poplarAsync)) {
        DapClient<String> pc = DapClient.poplar1(t.id(), t.configuration(),
            HttpTransport.platformDefault(), Clock.systemUTC());
        UploadResult r = pc.uploadAll(words, Instant.ofEpochSecond(bucket + 60));
        assertEquals(List.of(), r.refused());
      }
      for (int i = 0; i < 5; i++) {
        client09.upload(i % 2 == 0, Instant.ofEpochSecond(bucket + 60));
      }

      for (Case<?, ?> c : cases) {
        collectExactly(c);
      }
      for (Task18 t : List.of(poplar, poplarAsync)) {
        Poplar1Collector pc = Poplar1Collector.dap18(t.id(), t.configuration(), COLLECTOR_TOKEN,
            Collector.AuthHeader.BEARER, Tasks.COLLECTOR_KEY, HttpClient.newHttpClient());
        Poplar1Collector.HeavyHitters hh = pc.heavyHitters(io.pando.dap.messages.dap18.Query
            .timeInterval(io.pando.dap.messages.dap18.Interval.of(bucket / PRECISION, 1)), 2,
            DEADLINE, null);
        // Level 0: 0 → 2, 1 → 4; level 1: 00 → 1, 01 → 1, 10 → 3, 11 → 1; level 2: 100 → 0,
        // 101 → 3; level 3: 1010 → 2, 1011 → 1.
        List<Map<String, Long>> levels = new ArrayList<>();
        for (var r : hh.levels()) {
          assertEquals(words.size(), r.reportCount());
          levels.add(r.aggregate().counts());
        }
        assertEquals(List.of(Map.of("0", 2L, "1", 4L),
            Map.of("00", 1L, "01", 1L, "10", 3L, "11", 1L),
            Map.of("100", 0L, "101", 3L),
            Map.of("1010", 2L, "1011", 1L)), levels);
        assertEquals(Map.of("1010", 2L), hh.heavyHitters());
      }

      Collector<Long> collector09 = new Collector<>(dap09, leader.uri(), COLLECTOR_TOKEN,
          Tasks.COLLECTOR_KEY, Prio3.count());
      CollectionResult<Long> r09 = collector09.collect(
          Query.timeInterval(Interval.of(bucket, PRECISION)), DEADLINE, null);
      assertEquals(3L, r09.aggregate());
      assertEquals(5, r09.reportCount());
    });
  }

  @Test
  @Order(2)
  void aLeaderAndHelperThatDisagreeOnTheDraftParkTheJobWithTheHelpersProblem() throws Exception {
    withLogs(() -> {
      // The same task id: DAP-18 on the leader, DAP-09 on the helper.
      TaskId id = TaskId.random();
      byte[] verifyKey = new byte[32];
      new SecureRandom().nextBytes(verifyKey);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("dap_version", "dap-18");
      d.put("role", "leader");
      d.put("task_info", Tasks.b64("mismatch".getBytes()));
      d.put("leader_aggregator_endpoint", dap18(leader));
      d.put("helper_aggregator_endpoint", dap18(helper));
      d.put("batch_mode", "time_interval");
      d.put("vdaf", Map.of("type", "Prio3Count"));
      d.put("vdaf_verify_key", Tasks.b64(verifyKey));
      d.put("min_batch_size", 1);
      d.put("time_precision", PRECISION);
      d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
      d.put("aggregator_auth_token", AGGREGATOR_TOKEN);
      d.put("collector_auth_token", COLLECTOR_TOKEN);
      assertEquals(200, leader.admin("PUT", "tasks/" + id.toBase64Url(),
          JSON.writeValueAsString(d)).statusCode());
      var h = new io.pando.aggregator.task.TaskDefinition(id.toBase64Url(), "helper",
          leader.uri().toString(), "time_interval", null,
          new LinkedHashMap<>(Map.of("type", "Prio3Count")), Tasks.b64(new byte[16]), 1L, null,
          null, 1L, PRECISION, 60L, Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()),
          AGGREGATOR_TOKEN, null);
      assertEquals(200, helper.admin("PUT", "tasks/" + id.toBase64Url(),
          JSON.writeValueAsString(h)).statusCode());
      HttpResponse<String> got = leader.admin("GET", "tasks/" + id.toBase64Url(), null);
      TaskConfiguration configuration = TaskConfiguration.decode(Base64.getUrlDecoder().decode(
          (String) JSON.readValue(got.body(), new TypeReference<Map<String, Object>>() {})
              .get("task_configuration")));
      DapClient<Boolean> client = new DapClient<>(DapTask.dap18(id, configuration,
          Prio3.Draft20.count()));
      // The helper's DAP-09 task has no DAP-18 HPKE config problem: configs are global.
      assertEquals(List.of(), client.uploadAll(List.of(true, false),
          Instant.ofEpochSecond(bucket + 60)).refused());

      // The leader's job is parked with the helper's unrecognizedTask, which names the prefix
      // where the helper serves the task.
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      String parked = "";
      while (!parked.contains(id.toBase64Url()) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        parked = leader.admin("GET", "jobs/parked", null).body();
      }
      assertTrue(parked.contains(id.toBase64Url()), parked);
      assertTrue(parked.contains("unrecognizedTask"), parked);
    });
  }
}
