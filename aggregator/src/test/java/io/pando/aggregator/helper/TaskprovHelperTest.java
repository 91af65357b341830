package io.pando.aggregator.helper;

import static io.pando.aggregator.Management.admin;
import static io.pando.aggregator.helper.HelperFixture.bucketNow;
import static io.pando.aggregator.helper.HelperFixture.jobPath;
import static io.pando.aggregator.helper.HelperFixture.rows;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.helper.HelperFixture.Leader;
import io.pando.aggregator.helper.HelperFixture.Pending;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.core.taskprov.Taskprov;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.taskprov.DpConfig;
import io.pando.dap.messages.taskprov.QueryConfig;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.dap.messages.taskprov.VdafConfig;
import io.pando.dap.messages.taskprov.VdafType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The helper's side of draft-wang-ppm-dap-taskprov-06: peers configured through the admin API,
 * tasks provisioned by the first aggregation job request that carries their TaskConfig, and
 * every refusal answered with the draft's problem type and nothing stored.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class TaskprovHelperTest {
  static final String LEADER_URL = "https://leader.taskprov.test/";
  static final String HELPER_URL = "https://helper.taskprov.test/";
  static final byte[] VERIFY_KEY_INIT = new byte[32];

  static {
    new SecureRandom().nextBytes(VERIFY_KEY_INIT);
  }

  @Inject TaskService tasks;
  @Inject AgroalDataSource ds;

  private static Map<String, Object> peer(String endpoint, List<String> allowed) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("endpoint", endpoint);
    m.put("role", "leader");
    m.put("verify_key_init", Tasks.b64(VERIFY_KEY_INIT));
    m.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    m.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    m.put("tolerable_clock_skew", 60);
    if (allowed != null) {
      m.put("allowed_vdafs", allowed);
    }
    m.put("max_task_lifetime", 30 * 86400);
    return m;
  }

  private static void configurePeer(String endpoint, List<String> allowed) {
    admin().contentType("application/json").body(peer(endpoint, allowed))
        .post("/admin/taskprov/peer_aggregators").then().statusCode(200);
  }

  static TaskConfig config(String leader, VdafType vdaf, long expiration) {
    byte[] info = new byte[8];
    new SecureRandom().nextBytes(info); // a fresh task each time
    return new TaskConfig(info, leader, HELPER_URL,
        QueryConfig.timeInterval(Duration.ofSeconds(3600), 1, 1), Time.ofSeconds(expiration),
        new VdafConfig(DpConfig.NO_DP, vdaf));
  }

  static long inADay() {
    return System.currentTimeMillis() / 1000 + 86400;
  }

  private static HpkeConfig globalHelperConfig() throws Exception {
    byte[] body = given().get("/hpke_config").then().statusCode(200).extract().asByteArray();
    return HpkeConfigList.decode(body).configs().get(0);
  }

  private static Response init(TaskId id, AggregationJobId job, byte[] body, String header,
      String token) {
    var r = given().header("Authorization", "Bearer " + token)
        .contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(body);
    if (header != null) {
      r = r.header(TaskConfig.HEADER, header);
    }
    return r.when().put(jobPath(id, job));
  }

  private Leader<Boolean> leaderFor(TaskConfig c) throws Exception {
    TaskId id = c.taskId();
    byte[] key = Taskprov.deriveVerifyKey(VERIFY_KEY_INIT, id, 16).reveal();
    return new Leader<>(id, Prio3.count(), key, globalHelperConfig());
  }

  private long taskRows(TaskId id) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement st = c.prepareStatement("SELECT count(*) FROM tasks WHERE task_id = ?")) {
      st.setBytes(1, id.bytes());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void theFirstInitProvisionsTheTaskAndReportsWithoutTheExtensionAreRejected() throws Exception {
    configurePeer(LEADER_URL, null);
    TaskConfig c = config(LEADER_URL, new VdafType.Prio3Count(), inADay());
    TaskId id = c.taskId();
    Leader<Boolean> leader = leaderFor(c);
    long t = bucketNow();
    List<Pending> reports = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      reports.add(leader.report(i % 2 == 0, t, List.of(Taskprov.EXTENSION), leader.verifyKey));
    }
    reports.add(leader.report(true, t)); // no taskprov extension
    byte[] resp = init(id, AggregationJobId.random(), leader.initRequest(reports),
        c.toHeader(), Tasks.AGGREGATOR_TOKEN).then().statusCode(201).extract().asByteArray();
    Map<ReportId, String> outcome = leader.finish(reports, AggregationJobResp.decode(resp));
    List<String> values = List.copyOf(outcome.values());
    // The derived verify keys agree: every report with the extension finishes.
    assertEquals(List.of("finished", "finished", "finished", "finished", "finished", "finished",
        "invalid_message"), values);

    Task task = tasks.get(id).orElseThrow();
    assertTrue(task.isTaskprov());
    assertEquals(Task.Role.HELPER, task.role());
    assertEquals(LEADER_URL, task.peerEndpoint().toString());
    assertEquals(c.taskExpiration(), task.taskExpiration().orElseThrow());
    assertEquals(1, taskRows(id));

    // The task is known now: a later request works with or without the header.
    List<Pending> more = List.of(leader.report(true, t, List.of(Taskprov.EXTENSION),
        leader.verifyKey));
    byte[] again = init(id, AggregationJobId.random(), leader.initRequest(more), null,
        Tasks.AGGREGATOR_TOKEN).then().statusCode(201).extract().asByteArray();
    assertEquals(List.of("finished"),
        List.copyOf(leader.finish(more, AggregationJobResp.decode(again)).values()));
  }

  @Test
  void concurrentFirstRequestsProvisionOneTask() throws Exception {
    configurePeer(LEADER_URL, null);
    TaskConfig c = config(LEADER_URL, new VdafType.Prio3Count(), inADay());
    TaskId id = c.taskId();
    Leader<Boolean> leader = leaderFor(c);
    long t = bucketNow();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        List<Pending> rs = List.of(leader.report(true, t, List.of(Taskprov.EXTENSION),
            leader.verifyKey));
        byte[] body = leader.initRequest(rs);
        calls.add(() -> {
          byte[] resp = init(id, AggregationJobId.random(), body, c.toHeader(),
              Tasks.AGGREGATOR_TOKEN).then().statusCode(201).extract().asByteArray();
          return leader.finish(rs, AggregationJobResp.decode(resp)).values().iterator().next();
        });
      }
      for (Future<String> f : pool.invokeAll(calls)) {
        assertEquals("finished", f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, taskRows(id));
    assertEquals(4, rows(ds, "report_aggregations", id));
  }

  private void assertRefused(TaskConfig c, String header, TaskId pathId, String token,
      int status, String type) throws Exception {
    Leader<Boolean> leader = leaderFor(c);
    List<Pending> rs = List.of(leader.report(true, bucketNow(), List.of(Taskprov.EXTENSION),
        leader.verifyKey));
    String body = init(pathId, AggregationJobId.random(), leader.initRequest(rs), header, token)
        .then().statusCode(status).extract().asString();
    assertTrue(body.contains("urn:ietf:params:ppm:dap:error:" + type), body);
    tasks.invalidate(pathId);
    assertFalse(tasks.get(pathId).isPresent());
    assertEquals(0, taskRows(pathId));
    assertEquals(0, rows(ds, "report_aggregations", pathId));
  }

  @Test
  void refusalsAnswerTheDraftsErrorsAndStoreNothing() throws Exception {
    configurePeer(LEADER_URL, null);
    String restricted = "https://restricted-leader.taskprov.test/";
    configurePeer(restricted, List.of("Prio3Sum"));
    long now = System.currentTimeMillis() / 1000;

    // Unknown peer: the leader the TaskConfig names is not configured.
    TaskConfig unknown = config("https://stranger.taskprov.test/", new VdafType.Prio3Count(),
        inADay());
    assertRefused(unknown, unknown.toHeader(), unknown.taskId(), Tasks.AGGREGATOR_TOKEN, 400,
        "invalidTask");
    // The path's task id is not SHA-256 of the TaskConfig.
    TaskConfig ok = config(LEADER_URL, new VdafType.Prio3Count(), inADay());
    TaskId other = TaskId.random();
    assertRefused(ok, ok.toHeader(), other, Tasks.AGGREGATOR_TOKEN, 400, "invalidTask");
    // A VDAF the operator does not allow with this peer.
    TaskConfig notAllowed = config(restricted, new VdafType.Prio3Count(), inADay());
    assertRefused(notAllowed, notAllowed.toHeader(), notAllowed.taskId(),
        Tasks.AGGREGATOR_TOKEN, 400, "invalidTask");
    // A VDAF nobody runs here.
    TaskConfig poplar = config(LEADER_URL, new VdafType.Poplar1(8), inADay());
    assertRefused(poplar, poplar.toHeader(), poplar.taskId(), Tasks.AGGREGATOR_TOKEN, 400,
        "invalidTask");
    // Expired, and living longer than the operator allows.
    TaskConfig expired = config(LEADER_URL, new VdafType.Prio3Count(), now - 10);
    assertRefused(expired, expired.toHeader(), expired.taskId(), Tasks.AGGREGATOR_TOKEN, 400,
        "invalidTask");
    TaskConfig tooLong = config(LEADER_URL, new VdafType.Prio3Count(), now + 60 * 86400);
    assertRefused(tooLong, tooLong.toHeader(), tooLong.taskId(), Tasks.AGGREGATOR_TOKEN, 400,
        "invalidTask");
    // The wrong token for the peer.
    TaskConfig wrongToken = config(LEADER_URL, new VdafType.Prio3Count(), inADay());
    assertRefused(wrongToken, wrongToken.toHeader(), wrongToken.taskId(),
        "not-the-token-Qw8Er5Ty2Ui9Op", 403, "unauthorizedRequest");
    // A header that is not a TaskConfig.
    TaskConfig garbled = config(LEADER_URL, new VdafType.Prio3Count(), inADay());
    assertRefused(garbled, "AAEC", garbled.taskId(), Tasks.AGGREGATOR_TOKEN, 400,
        "invalidMessage");
  }

  @Test
  void peersAreListedWithoutSecretsAndDeleted() {
    String endpoint = "https://listed-leader.taskprov.test/";
    configurePeer(endpoint, List.of("Prio3Count"));
    String list = admin().get("/admin/taskprov/peer_aggregators").then().statusCode(200)
        .extract().asString();
    assertTrue(list.contains(endpoint), list);
    assertFalse(list.contains(Tasks.AGGREGATOR_TOKEN), list);
    assertFalse(list.contains(Tasks.b64(VERIFY_KEY_INIT)), list);
    Map<String, Object> bad = peer(endpoint, null);
    bad.put("verify_key_init", Tasks.b64(new byte[16]));
    admin().contentType("application/json").body(bad).post("/admin/taskprov/peer_aggregators")
        .then().statusCode(400);
    admin().queryParam("endpoint", endpoint).queryParam("role", "leader")
        .delete("/admin/taskprov/peer_aggregators").then().statusCode(204);
    admin().queryParam("endpoint", endpoint).queryParam("role", "leader")
        .delete("/admin/taskprov/peer_aggregators").then().statusCode(404);
    // Without a peer, its tasks are refused.
    TaskConfig c = config(endpoint, new VdafType.Prio3Count(), inADay());
    given().header("Authorization", "Bearer " + Tasks.AGGREGATOR_TOKEN)
        .header(TaskConfig.HEADER, c.toHeader())
        .contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(new byte[] {0})
        .put(jobPath(c.taskId(), AggregationJobId.random())).then().statusCode(400);
  }
}
