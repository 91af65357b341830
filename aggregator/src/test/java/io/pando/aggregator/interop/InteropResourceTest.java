package io.pando.aggregator.interop;

import static io.pando.aggregator.Management.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(InteropTestProfile.class)
@WithTestResource(Infra.class)
class InteropResourceTest {

  static Map<String, Object> addTask(TaskId id, String role, int queryType) {
    Map<String, Object> m = new HashMap<>();
    m.put("task_id", id.toBase64Url());
    m.put("leader", "http://leader.example:8080/");
    m.put("helper", "http://helper.example:8080/");
    m.put("vdaf", Map.of("type", "Prio3SumVec", "bits", "2", "length", "4",
        "chunk_length", "2"));
    m.put("leader_authentication_token", "leader-H6jK9lP2oI5uY8tR");
    if (role.equals("leader")) {
      m.put("collector_authentication_token", "collector-M3nB8vC5xZ1qW7eR");
    }
    m.put("role", role);
    m.put("vdaf_verify_key", Tasks.b64(new byte[16]));
    m.put("max_batch_query_count", 1);
    m.put("query_type", queryType);
    m.put("min_batch_size", 10);
    if (queryType == 2) {
      m.put("max_batch_size", 20);
    }
    m.put("time_precision", 300);
    m.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    m.put("task_expiration", 4102444800L);
    return m;
  }

  private static io.restassured.response.ValidatableResponse post(String path, Object body) {
    return given().contentType(ContentType.JSON).body(body)
        .when().post("/internal/test/" + path).then();
  }

  @Test
  void readyAnswers200() {
    post("ready", "{}").statusCode(200).body(equalTo("{}"));
  }

  @Test
  void endpointForTaskIsAnAbsoluteUrlOnThisPort() {
    post("endpoint_for_task", Map.of("task_id", TaskId.random().toBase64Url(), "role", "leader",
        "hostname", "pando-leader"))
        .statusCode(200).body("status", equalTo("success"))
        .body("endpoint", equalTo("http://pando-leader:" + RestAssured.port + "/"));
  }

  @Test
  void addTaskProvisionsAFixedSizeLeaderAndATimeIntervalHelper() {
    TaskId leader = TaskId.random();
    post("add_task", addTask(leader, "leader", 2)).statusCode(200)
        .body("status", equalTo("success")).body("error", nullValue());
    admin().when().get("/admin/tasks/" + leader.toBase64Url())
        .then().statusCode(200)
        .body("role", equalTo("leader"))
        .body("peer_endpoint", equalTo("http://helper.example:8080/"))
        .body("query_type", equalTo("fixed_size"))
        .body("max_batch_size", equalTo(20))
        .body("vdaf.type", equalTo("Prio3SumVec"))
        .body("vdaf.length", equalTo(4))
        .body("vdaf.chunk_length", equalTo(2))
        .body("min_batch_size", equalTo(10))
        .body("time_precision", equalTo(300))
        .body("task_expiration", equalTo(4102444800L))
        .body(not(containsString("leader-H6jK9lP2oI5uY8tR")));

    TaskId helper = TaskId.random();
    post("add_task", addTask(helper, "helper", 1)).statusCode(200)
        .body("status", equalTo("success"));
    admin().when().get("/admin/tasks/" + helper.toBase64Url())
        .then().statusCode(200)
        .body("role", equalTo("helper"))
        .body("peer_endpoint", equalTo("http://leader.example:8080/"))
        .body("query_type", equalTo("time_interval"))
        .body("max_batch_size", nullValue());
  }

  @Test
  void refusedTasksAnswer200WithStatusErrorAndTheReason() {
    Map<String, Object> numberParam = addTask(TaskId.random(), "leader", 1);
    numberParam.put("vdaf", Map.of("type", "Prio3Sum", "bits", 8));
    post("add_task", numberParam).statusCode(200).body("status", equalTo("error"))
        .body("error", startsWith("vdaf.bits must be an integer written in base 10"));

    Map<String, Object> noCollectorToken = addTask(TaskId.random(), "leader", 1);
    noCollectorToken.remove("collector_authentication_token");
    post("add_task", noCollectorToken).statusCode(200).body("status", equalTo("error"))
        .body("error", equalTo("collector_authentication_token is required"));

    Map<String, Object> badQueryType = addTask(TaskId.random(), "helper", 3);
    post("add_task", badQueryType).statusCode(200).body("status", equalTo("error"))
        .body("error", equalTo("query_type must be 1 (time interval) or 2 (fixed size), got 3"));

    Map<String, Object> shortKey = addTask(TaskId.random(), "helper", 1);
    shortKey.put("vdaf_verify_key", Tasks.b64(new byte[8]));
    post("add_task", shortKey).statusCode(200).body("status", equalTo("error"))
        .body("error", equalTo("vdaf_verify_key must be 16 bytes for Prio3SumVec"));

    Map<String, Object> missing = addTask(TaskId.random(), "helper", 1);
    missing.remove("time_precision");
    post("add_task", missing).statusCode(200).body("status", equalTo("error"))
        .body("error", equalTo("time_precision is required"));
  }

  @Test
  void malformedBodiesAnswer400AndUnknownCommands404() {
    post("add_task", "{\"task_id\": [").statusCode(400).body("status", equalTo("error"))
        .body("error", startsWith("malformed request"));
    post("add_task", "{\"min_batch_size\": {}}").statusCode(400)
        .body("status", equalTo("error"));
    post("no_such_command", "{}").statusCode(404);
    post("upload", "{}").statusCode(404);
  }

  /** A DAP-18 add_task body: batch_mode in place of query_type, draft-20 VDAF parameters. */
  static Map<String, Object> addTask18(TaskId id, String role, int batchMode) {
    Map<String, Object> m = addTask(id, role, 1);
    m.remove("query_type");
    m.put("batch_mode", batchMode);
    m.put("leader", "http://leader.example:8080/dap-18/");
    m.put("helper", "http://helper.example:8080/dap-18/");
    m.put("vdaf", Map.of("type", "Prio3SumVec", "max_measurement", "3", "length", "4",
        "chunk_length", "2"));
    m.put("vdaf_verify_key", Tasks.b64(new byte[32]));
    m.put("max_batch_query_count", 3);
    return m;
  }

  private static io.restassured.response.ValidatableResponse post18(String path, Object body) {
    return given().contentType(ContentType.JSON).body(body)
        .when().post("/dap-18/internal/test/" + path).then();
  }

  @Test
  void dap18RoutesProvisionDap18TasksAndNameTheDap18Endpoint() {
    post18("ready", "{}").statusCode(200).body(equalTo("{}"));
    post18("endpoint_for_task", Map.of("task_id", TaskId.random().toBase64Url(), "role",
        "helper", "hostname", "pando-helper"))
        .statusCode(200).body("status", equalTo("success"))
        .body("endpoint", equalTo("http://pando-helper:" + RestAssured.port + "/dap-18/"));

    TaskId leader = TaskId.random();
    post18("add_task", addTask18(leader, "leader", 2)).statusCode(200)
        .body("status", equalTo("success")).body("error", nullValue());
    admin().when().get("/admin/tasks/" + leader.toBase64Url())
        .then().statusCode(200)
        .body("dap_version", equalTo("dap-18"))
        .body("role", equalTo("leader"))
        .body("batch_mode", equalTo("leader_selected"))
        .body("leader_aggregator_endpoint", equalTo("http://leader.example:8080/dap-18/"))
        .body("helper_aggregator_endpoint", equalTo("http://helper.example:8080/dap-18/"))
        .body("task_info", equalTo(Tasks.b64("interop".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII))))
        .body("vdaf.type", equalTo("Prio3SumVec"))
        .body("vdaf.max_measurement", equalTo(3))
        .body("max_batch_query_count", equalTo(3))
        .body(not(containsString("leader-H6jK9lP2oI5uY8tR")));

    TaskId helper = TaskId.random();
    Map<String, Object> withInfo = addTask18(helper, "helper", 1);
    withInfo.put("task_info", Tasks.b64(new byte[] {7, 7}));
    post18("add_task", withInfo).statusCode(200).body("status", equalTo("success"));
    admin().when().get("/admin/tasks/" + helper.toBase64Url())
        .then().statusCode(200)
        .body("batch_mode", equalTo("time_interval"))
        .body("task_info", equalTo(Tasks.b64(new byte[] {7, 7})));

    // The DAP-09 route keeps DAP-09's shape: a DAP-18 body (draft-20 VDAF parameters, no
    // query_type) is refused there.
    post("add_task", addTask18(TaskId.random(), "helper", 1)).statusCode(200)
        .body("status", equalTo("error")).body("error", equalTo("vdaf.bits is required"));
  }

  @Test
  void dap18AddTaskRefusalsNameTheField() {
    post18("add_task", addTask18(TaskId.random(), "helper", 3)).statusCode(200)
        .body("status", equalTo("error"))
        .body("error", equalTo("batch_mode must be 1 (time interval) or 2 (leader selected), got 3"));
    Map<String, Object> noMode = addTask18(TaskId.random(), "helper", 1);
    noMode.remove("batch_mode");
    post18("add_task", noMode).statusCode(200).body("status", equalTo("error"))
        .body("error", equalTo("batch_mode is required"));
    // A DAP-09 VDAF parameter set is not a draft-20 one.
    post18("add_task", addTask(TaskId.random(), "helper", 1)).statusCode(200)
        .body("status", equalTo("error"));
    post18("add_task", "{\"task_id\": [").statusCode(400);
    post18("no_such_command", "{}").statusCode(404);
  }
}
