package io.pando.aggregator.datastore;

import static io.pando.aggregator.Management.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.codec.Encoder;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DAP-18 tasks beside DAP-09 ones (V97, aggregator/README.md "DAP-18"): a DAP-09 task's row says
 * dap-09 and has no configuration; a DAP-18 definition is accepted, its TaskConfiguration stored
 * as draft-ietf-ppm-dap-18 §4.2 encodes it and read back; bad DAP-18 definitions are refused
 * with the field named; one version's route for the other version's task is unrecognizedTask
 * and stores nothing.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class Dap18TasksTest {
  static final String LEADER = "https://leader.example/dap/";
  static final String HELPER = "https://helper.example/";

  @Inject Datastore datastore;
  @Inject TaskService tasks;

  @TestHTTPResource("/")
  URI self;

  /** A DAP-18 Prio3Count leader definition with a task interval, as the admin API takes it. */
  static Map<String, Object> dap18Leader(TaskId id) {
    byte[] verifyKey = new byte[32];
    new SecureRandom().nextBytes(verifyKey);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("task_id", id.toBase64Url());
    d.put("dap_version", "dap-18");
    d.put("role", "leader");
    d.put("task_info", Tasks.b64("info".getBytes(StandardCharsets.US_ASCII)));
    d.put("leader_aggregator_endpoint", LEADER);
    d.put("helper_aggregator_endpoint", HELPER);
    d.put("batch_mode", "time_interval");
    d.put("vdaf", Map.of("type", "Prio3Count"));
    d.put("vdaf_verify_key", Tasks.b64(verifyKey));
    d.put("max_batch_query_count", 1);
    d.put("min_batch_size", 10);
    d.put("time_precision", 3600);
    d.put("task_interval", Map.of("start", 1_700_000_000L / 3600 * 3600, "duration", 7200L * 3600));
    d.put("tolerable_clock_skew", 60);
    d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    d.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    d.put("collector_auth_token", Tasks.COLLECTOR_TOKEN);
    return d;
  }

  /** The TaskConfiguration of {@link #dap18Leader}, encoded by hand from §4.2. */
  static byte[] expectedConfiguration() {
    byte[] leader = LEADER.getBytes(StandardCharsets.US_ASCII);
    byte[] helper = HELPER.getBytes(StandardCharsets.US_ASCII);
    return new Encoder()
        .opaque8("info".getBytes(StandardCharsets.US_ASCII))
        .opaque16(leader).opaque16(helper)
        .u64(3600) // time_precision, seconds
        .u64(10) // min_batch_size
        .u8(1) // batch_mode time_interval (§10.2.1)
        .opaque16(new byte[0]) // batch_config
        .u32(0x00000001) // Prio3Count (draft-irtf-cfrg-vdaf-20)
        .opaque16(new byte[0]) // Prio3Count has no configuration (Appendix B)
        // one extension, task_interval (0x0001): start and duration in time_precision units
        .opaque16(new Encoder().u16(1).opaque16(new Encoder()
            .u64(1_700_000_000L / 3600).u64(7200).toByteArray()).toByteArray())
        .toByteArray();
  }

  private Row taskRow(TaskId id) {
    return datastore.inTransaction("test-read", tx -> tx.query(
        "SELECT dap_version, task_configuration FROM tasks WHERE task_id = $1",
        Tuple.of(Tx.buf(id.bytes()))).iterator().next());
  }

  private long count(String table, TaskId id) {
    return datastore.inTransaction("test-count", tx -> tx.query(
        "SELECT count(*) FROM " + table + " WHERE task_id = $1",
        Tuple.of(Tx.buf(id.bytes()))).iterator().next().getLong(0));
  }

  @Test
  void v97IsAppliedAndDap09TasksStayDap09() {
    long applied = datastore.inTransaction("test-flyway", tx -> tx.query(
        "SELECT count(*) FROM flyway_schema_history WHERE version = '97' AND success")
        .iterator().next().getLong(0));
    assertEquals(1, applied);
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.example/"));
    Row row = taskRow(id);
    assertEquals("dap-09", row.getString("dap_version"));
    assertNull(Tx.bytes(row, "task_configuration"));
    tasks.invalidate(id);
    Task t = tasks.get(id).orElseThrow();
    assertEquals(DapVersion.DAP_09, t.dapVersion());
    assertFalse(t.isDap18());
    assertEquals(0, t.vdafContext().length);
    // The admin view of a DAP-09 task names no DAP-18 field.
    String body = admin().when().get("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body("query_type", equalTo("time_interval"))
        .extract().asString();
    assertFalse(body.contains("dap_version"), body);
    // A row written before V97 (no dap_version given) takes the column default.
    TaskId old = TaskId.random();
    tasks.put(Tasks.leader(old, Map.of("type", "Prio3Count"), "http://helper.example/"));
    datastore.inTransaction("test-old", tx -> tx.query(
        "UPDATE tasks SET dap_version = DEFAULT WHERE task_id = $1", Tuple.of(Tx.buf(old.bytes()))));
    assertEquals("dap-09", taskRow(old).getString("dap_version"));
  }

  @Test
  void aDap18DefinitionIsStoredWithItsTaskConfigurationAndReadBack() {
    TaskId id = TaskId.random();
    Map<String, Object> def = dap18Leader(id);
    admin().contentType(ContentType.JSON).body(def)
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body("dap_version", equalTo("dap-18"))
        .body("batch_mode", equalTo("time_interval"))
        .body("leader_aggregator_endpoint", equalTo(LEADER))
        .body("helper_aggregator_endpoint", equalTo(HELPER));
    Row row = taskRow(id);
    assertEquals("dap-18", row.getString("dap_version"));
    assertArrayEquals(expectedConfiguration(), Tx.bytes(row, "task_configuration"));

    JsonPath got = admin().when().get("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).extract().jsonPath();
    assertEquals("dap-18", got.getString("dap_version"));
    assertEquals(def.get("task_info"), got.getString("task_info"));
    assertEquals(1_700_000_000L / 3600 * 3600, got.getLong("task_interval.start"));
    assertEquals(7200L * 3600, got.getLong("task_interval.duration"));
    assertArrayEquals(expectedConfiguration(),
        Base64.getUrlDecoder().decode(got.getString("task_configuration")));
    assertNull(got.get("query_type"));

    tasks.invalidate(id);
    Task t = tasks.get(id).orElseThrow();
    assertTrue(t.isDap18());
    assertEquals(Task.QueryKind.TIME_INTERVAL, t.queryType());
    assertEquals(URI.create(HELPER), t.peerEndpoint());
    assertEquals("DRAFT_20", t.vdaf().version().name());
    assertArrayEquals(DapVersion.DAP_18.vdafContext(id), t.vdafContext());
    Task.Dap18 d = t.dap18().orElseThrow();
    assertEquals(LEADER, d.configuration().leaderAggregatorEndpoint());
    assertEquals((1_700_000_000L / 3600 + 7200) * 3600, t.taskExpiration().orElseThrow().seconds());

    // The same definition again is idempotent; while the task holds no data, a changed
    // configuration replaces the stored one (with data it is 409, Dap18UploadTest).
    admin().contentType(ContentType.JSON).body(def)
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    assertArrayEquals(expectedConfiguration(), Tx.bytes(taskRow(id), "task_configuration"));
    Map<String, Object> changed = new LinkedHashMap<>(def);
    changed.put("min_batch_size", 11);
    admin().contentType(ContentType.JSON).body(changed)
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    byte[] stored = Tx.bytes(taskRow(id), "task_configuration");
    byte[] expected = expectedConfiguration();
    int minBatchAt = 1 + 4 + 2 + LEADER.length() + 2 + HELPER.length() + 8 + 7;
    assertEquals(10, expected[minBatchAt]);
    expected[minBatchAt] = 11;
    assertArrayEquals(expected, stored);
  }

  @Test
  void badDap18DefinitionsAreRefusedWithTheFieldNamed() {
    TaskId id = TaskId.random();
    Map<String, Object[]> bad = new LinkedHashMap<>();
    bad.put("dap_version", new Object[] {"dap-17", "dap_version"});
    bad.put("batch_mode", new Object[] {"fixed_size", "batch_mode"});
    bad.put("peer_endpoint", new Object[] {HELPER, "peer_endpoint"});
    bad.put("query_type", new Object[] {"time_interval", "query_type"});
    bad.put("task_info", new Object[] {"", "task_info"});
    bad.put("helper_aggregator_endpoint", new Object[] {null, "helper_aggregator_endpoint"});
    bad.put("task_interval", new Object[] {Map.of("start", 1_700_000_001L, "duration", 3600L),
        "time_precision"});
    // A draft-20 VDAF without an Appendix B configuration encoding.
    bad.put("vdaf", new Object[] {Map.of("type", "Prio3SumVecField64Multiproof", "proofs", 2,
        "length", 4, "max_measurement", 1, "chunk_length", 2), "no configuration encoding"});
    for (Map.Entry<String, Object[]> b : bad.entrySet()) {
      Map<String, Object> def = dap18Leader(id);
      def.put(b.getKey(), b.getValue()[0]);
      admin().contentType(ContentType.JSON).body(def)
          .when().put("/admin/tasks/" + id.toBase64Url())
          .then().statusCode(400).contentType("application/problem+json")
          .body("type", equalTo("urn:pando:problem:badRequest"))
          .body("detail", containsString((String) b.getValue()[1]));
    }
    // A DAP-09 definition with a DAP-18 field is refused too.
    Map<String, Object> dap09 = new LinkedHashMap<>(dap18Leader(id));
    dap09.remove("dap_version");
    admin().contentType(ContentType.JSON).body(dap09)
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(400).body("detail", containsString("dap-18"));
    admin().when().get("/admin/tasks/" + id.toBase64Url()).then().statusCode(404);
    assertEquals(0, count("tasks", id));
  }

  @Test
  void oneVersionsRouteForTheOtherVersionsTaskIsUnrecognizedAndStoresNothing() throws Exception {
    TaskId dap18 = TaskId.random();
    admin().contentType(ContentType.JSON).body(dap18Leader(dap18))
        .when().put("/admin/tasks/" + dap18.toBase64Url()).then().statusCode(200);
    TaskId dap09 = TaskId.random();
    tasks.put(Tasks.leader(dap09, Map.of("type", "Prio3Count"), "http://helper.example/"));
    byte[] junk = new byte[200];

    HttpResponse<String> r = send("PUT", "/tasks/" + dap18.toBase64Url() + "/reports",
        "application/dap-report", junk);
    assertUnrecognized(r, dap18, "\\\"/dap-18/tasks/\\\"");
    r = send("POST", "/dap-18/tasks/" + dap09.toBase64Url() + "/reports",
        "application/ppm-dap;message=upload-req", junk);
    assertUnrecognized(r, dap09, "\\\"/tasks/\\\"");
    // A collection job on the wrong route is refused before its token is looked at.
    r = send("PUT", "/tasks/" + dap18.toBase64Url() + "/collection_jobs/"
        + Tasks.b64(new byte[16]), "application/dap-collect-req", junk);
    assertUnrecognized(r, dap18, "dap-18");
    // An unknown task on a DAP-18 route is not provisioned by a taskprov header.
    TaskId unknown = TaskId.random();
    r = send("POST", "/dap-18/tasks/" + unknown.toBase64Url() + "/reports",
        "application/ppm-dap;message=upload-req", junk, "dap-taskprov", Tasks.b64(junk));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("unrecognizedTask"), r.body());
    assertEquals(0, count("tasks", unknown));

    for (TaskId id : new TaskId[] {dap18, dap09}) {
      assertEquals(0, count("client_reports", id));
      assertEquals(0, count("collection_jobs", id));
    }
  }

  private static void assertUnrecognized(HttpResponse<String> r, TaskId id, String where) {
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("")
        .startsWith("application/problem+json"), r.headers().toString());
    assertTrue(r.body().contains("urn:ietf:params:ppm:dap:error:unrecognizedTask"), r.body());
    assertTrue(r.body().contains(id.toBase64Url()), r.body());
    assertTrue(r.body().contains(where), r.body());
  }

  private HttpResponse<String> send(String method, String path, String type, byte[] body,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(self.resolve(path))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", type);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
