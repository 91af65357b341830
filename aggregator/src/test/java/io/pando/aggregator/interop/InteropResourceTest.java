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
}
