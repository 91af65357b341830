package io.pando.aggregator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.dap.messages.CollectionJobId;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.taskprov.DpConfig;
import io.pando.dap.messages.taskprov.QueryConfig;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.dap.messages.taskprov.VdafConfig;
import io.pando.dap.messages.taskprov.VdafType;
import io.pando.devstack.AggregatorProcess;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Taskprov (draft-wang-ppm-dap-taskprov-06) between two real aggregator processes: only peers
 * are configured, on each side, through the admin API; no task is created by hand. The client
 * uploads with the TaskConfig, the leader provisions the task from the upload, the helper from
 * the leader's first aggregation job request, and the collector collects an exact aggregate.
 * Then the leader's refusals: unknown helper, a task id that is not the config's, a VDAF the
 * operator does not allow, an expired task, each {@code invalidTask} with nothing stored.
 */
class TaskprovEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PRECISION = 3600;
  private static final String AGGREGATOR_TOKEN = "tp-aggregator-G7kP2xQ9rT4vW8nZ";
  private static final String COLLECTOR_TOKEN = "tp-collector-M3nB8vC5xZ1qW7eR";
  private static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(90);

  private static AggregatorProcess leader;
  private static AggregatorProcess helper;
  private static long bucket;

  @BeforeAll
  static void start() throws Exception {
    bucket = (Instant.now().getEpochSecond() / PRECISION - 1) * PRECISION;
    Map<String, String> env = Processes.env(
        "PANDO_AGGREGATION_CREATION_INTERVAL", "PT1S",
        "PANDO_JOBS_SWEEP_INTERVAL", "PT1S",
        "PANDO_JOBS_RETRY_INITIAL_BACKOFF", "PT0.5S",
        "PANDO_JOBS_RETRY_MAX_BACKOFF", "PT2S",
        "PANDO_COLLECTION_WAIT_INTERVAL", "PT1S");
    helper = Processes.start("tp-helper", env);
    leader = Processes.start("tp-leader", env);
    byte[] verifyKeyInit = new byte[32];
    new SecureRandom().nextBytes(verifyKeyInit);
    String collectorConfig = Tasks.b64(Tasks.COLLECTOR_KEY.config().encode());

    Map<String, Object> leaderPeer = new LinkedHashMap<>();
    leaderPeer.put("endpoint", leader.uri().toString());
    leaderPeer.put("role", "leader");
    leaderPeer.put("verify_key_init", Tasks.b64(verifyKeyInit));
    leaderPeer.put("collector_hpke_config", collectorConfig);
    leaderPeer.put("aggregator_auth_token", AGGREGATOR_TOKEN);
    admin(helper, leaderPeer);

    Map<String, Object> helperPeer = new LinkedHashMap<>(leaderPeer);
    helperPeer.put("endpoint", helper.uri().toString());
    helperPeer.put("role", "helper");
    helperPeer.put("collector_auth_token", COLLECTOR_TOKEN);
    helperPeer.put("allowed_vdafs", List.of("Prio3Histogram", "Prio3Count"));
    helperPeer.put("max_task_lifetime", 7 * 86400);
    admin(leader, helperPeer);
  }

  private static void admin(AggregatorProcess p, Map<String, Object> peer) throws Exception {
    HttpResponse<String> r = p.admin("POST", "taskprov/peer_aggregators",
        JSON.writeValueAsString(peer));
    assertEquals(200, r.statusCode(), r.body());
  }

  @AfterAll
  static void stop() {
    try {
      if (leader != null) {
        leader.close();
      }
    } finally {
      if (helper != null) {
        helper.close();
      }
    }
  }

  private static TaskConfig config(String helperUrl, VdafType vdaf, long expiration) {
    byte[] info = new byte[8];
    new SecureRandom().nextBytes(info);
    return new TaskConfig(info, leader.uri().toString(), helperUrl,
        QueryConfig.timeInterval(Duration.ofSeconds(PRECISION), 1, 10),
        Time.ofSeconds(expiration), new VdafConfig(DpConfig.NO_DP, vdaf));
  }

  private static long inADay() {
    return Instant.now().getEpochSecond() + 86400;
  }

  /** The taskprov_config column of the task's row on a process's database; null if no row. */
  private static List<String> taskRows(AggregatorProcess p, TaskId id) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = Infra.stack().postgres().connect(p.database());
        PreparedStatement st = c.prepareStatement(
            "SELECT role || ' ' || encode(taskprov_config, 'hex') FROM tasks WHERE task_id = ?")) {
      st.setBytes(1, id.bytes());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  @Test
  void uploadProvisionsTheLeaderAggregationTheHelperAndTheAggregateIsExact() throws Exception {
    try {
      TaskConfig config = config(helper.uri().toString(), new VdafType.Prio3Histogram(4, 2),
          inADay());
      Prio3<Integer, List<Long>> vdaf = Prio3.histogram(4, 2);
      DapClient<Integer> client = new DapClient<>(DapTask.taskprov(config, vdaf));
      long[] expected = new long[4];
      for (int i = 0; i < 20; i++) {
        int m = i * 7 % 4;
        expected[m]++;
        client.upload(m, Instant.ofEpochSecond(bucket + i));
      }
      String hex = java.util.HexFormat.of().formatHex(config.encode());
      assertEquals(List.of("LEADER " + hex), taskRows(leader, config.taskId()));

      Collector<List<Long>> collector = Collector.taskprov(config, COLLECTOR_TOKEN,
          Tasks.COLLECTOR_KEY, vdaf);
      CollectionJobId job = collector.start(Query.timeInterval(Interval.of(bucket, PRECISION)));
      CollectionResult<List<Long>> result = await(collector, job);
      assertEquals(20, result.reportCount());
      assertEquals(List.of(expected[0], expected[1], expected[2], expected[3]),
          result.aggregate());
      assertEquals(List.of("HELPER " + hex), taskRows(helper, config.taskId()));
    } catch (Exception | AssertionError e) {
      System.err.println("---- leader log tail ----\n" + leader.tail(120));
      System.err.println("---- helper log tail ----\n" + helper.tail(60));
      throw e;
    }
  }

  private static <R> CollectionResult<R> await(Collector<R> c, CollectionJobId id)
      throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Collector.Poll<R> p = c.poll(id);
      if (p instanceof Collector.Poll.Ready<R> ready) {
        return ready.result();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("collection job " + id + " not ready after " + DEADLINE);
      }
      Thread.sleep(((Collector.Poll.InProgress<R>) p).retryAfter().toMillis());
    }
  }

  private static void assertInvalidTask(TaskConfig config) throws Exception {
    DapClient<Boolean> client = new DapClient<>(DapTask.taskprov(config, Prio3.count()));
    DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
    assertEquals(DapProblemType.INVALID_TASK, e.problemType().orElse(null), e.getMessage());
    assertEquals(List.of(), taskRows(leader, config.taskId()));
  }

  @Test
  void theLeaderRefusesWhatItsLimitsDoNotAllowAndStoresNothing() throws Exception {
    // The helper the config names is no configured peer (here: the leader's own URL, which
    // answers the client's HPKE config request but is no helper peer).
    assertInvalidTask(config(leader.uri().toString(), new VdafType.Prio3Count(), inADay()));
    // Expired, and longer than the operator's maximum lifetime.
    assertInvalidTask(config(helper.uri().toString(), new VdafType.Prio3Count(),
        Instant.now().getEpochSecond() - 60));
    assertInvalidTask(config(helper.uri().toString(), new VdafType.Prio3Count(),
        Instant.now().getEpochSecond() + 30 * 86400));
    // A VDAF the operator does not allow with this helper.
    TaskConfig sum = config(helper.uri().toString(), new VdafType.Prio3Sum(8), inADay());
    DapClient<Long> client = new DapClient<>(DapTask.taskprov(sum, Prio3.sum(8)));
    DapClientException e = assertThrows(DapClientException.class, () -> client.upload(3L));
    assertEquals(DapProblemType.INVALID_TASK, e.problemType().orElse(null), e.getMessage());
    assertEquals(List.of(), taskRows(leader, sum.taskId()));
    // A task id that is not SHA-256 of the config.
    TaskConfig ok = config(helper.uri().toString(), new VdafType.Prio3Count(), inADay());
    TaskId other = TaskId.random();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            leader.uri().resolve("tasks/" + other.toBase64Url() + "/reports"))
        .header("Content-Type", "application/dap-report")
        .header(TaskConfig.HEADER, ok.toHeader())
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("urn:ietf:params:ppm:dap:error:invalidTask"), r.body());
    assertEquals(List.of(), taskRows(leader, other));
    assertEquals(List.of(), taskRows(leader, ok.taskId()));
  }
}
