package io.pando.aggregator.console;

import static io.pando.aggregator.Management.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's collect endpoint refuses bad inputs with a problem document that names what was
 * wrong and never echoes a token or key; its lists answer for a new task.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class ConsoleResourceTest {
  private static final String WRONG_TOKEN = "collector-Wr0ngT0kenXy9Qv2";

  @Inject TaskService tasks;

  private static String keyFile(HpkeKeypair k) {
    return "{\"config\":\"" + Tasks.b64(k.config().encode()) + "\",\"private_key\":\""
        + Tasks.b64(k.privateKey().reveal()) + "\"}";
  }

  private static Map<String, Object> body(String token, String key) {
    long bucket = (Instant.now().getEpochSecond() / 3600 - 1) * 3600;
    Map<String, Object> m = new HashMap<>();
    m.put("collector_token", token);
    m.put("collector_key", key);
    m.put("interval_start", bucket);
    m.put("interval_duration", 3600);
    m.put("timeout_seconds", 5);
    return m;
  }

  @Test
  void collectRefusesBadInputsWithoutEchoingSecrets() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    String path = "/admin/console/tasks/" + id.toBase64Url() + "/collect";
    String key = keyFile(Tasks.COLLECTOR_KEY);
    String secret = Tasks.b64(Tasks.COLLECTOR_KEY.privateKey().reveal());

    // The leader refuses a wrong collector token; the answer does not repeat it.
    admin().contentType(ContentType.JSON).body(body(WRONG_TOKEN, key)).when().post(path)
        .then().statusCode(400).contentType("application/problem+json")
        .body("type", equalTo("urn:pando:problem:badRequest"))
        .body("detail", containsString("unauthorizedRequest"))
        .body(not(containsString(WRONG_TOKEN))).body(not(containsString(secret)));
    String garbage = "{\"config\":\"AAAA\",\"private_key\":\"c2VjcmV0LWtleS1ieXRlcw\"}";
    admin().contentType(ContentType.JSON).body(body(Tasks.COLLECTOR_TOKEN, garbage)).when()
        .post(path).then().statusCode(400)
        .body("detail", equalTo("collector_key is not a valid key file"))
        .body(not(containsString("c2VjcmV0LWtleS1ieXRlcw")));
    admin().contentType(ContentType.JSON).body(body(Tasks.COLLECTOR_TOKEN, "not json")).when()
        .post(path).then().statusCode(400).body("detail", containsString("not JSON"));
    HpkeKeypair other = HpkeKeypair.generate(HpkeConfigId.of(9),
        HpkeSuite.X25519_SHA256_AES128GCM);
    admin().contentType(ContentType.JSON).body(body(Tasks.COLLECTOR_TOKEN, keyFile(other)))
        .when().post(path).then().statusCode(400)
        .body("detail", containsString("not for the task's collector HPKE config"));
    Map<String, Object> noInterval = body(Tasks.COLLECTOR_TOKEN, key);
    noInterval.remove("interval_start");
    admin().contentType(ContentType.JSON).body(noInterval).when().post(path)
        .then().statusCode(400).body("detail", containsString("interval_start"));

    // A helper task is not collected here; an unknown task is not found.
    TaskId helper = TaskId.random();
    tasks.put(Tasks.definition(helper, "helper", Map.of("type", "Prio3Count"),
        "http://leader.invalid/"));
    admin().contentType(ContentType.JSON).body(body(Tasks.COLLECTOR_TOKEN, key)).when()
        .post("/admin/console/tasks/" + helper.toBase64Url() + "/collect")
        .then().statusCode(400).body("detail", containsString("leader"));
    admin().contentType(ContentType.JSON).body(body(Tasks.COLLECTOR_TOKEN, key)).when()
        .post("/admin/console/tasks/" + TaskId.random().toBase64Url() + "/collect")
        .then().statusCode(404);
    // A Poplar1 task needs an aggregation parameter, which the console does not take.
    TaskId poplar = TaskId.random();
    tasks.put(Tasks.leader(poplar, Map.of("type", "Poplar1", "bits", 8),
        "http://helper.invalid/"));
    admin().contentType(ContentType.JSON).body(body(Tasks.COLLECTOR_TOKEN, key)).when()
        .post("/admin/console/tasks/" + poplar.toBase64Url() + "/collect")
        .then().statusCode(400).body("detail", containsString("aggregation parameter"));
  }

  @Test
  void aCollectionNotReadyInTimeIsDeleted() {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    Map<String, Object> b = body(Tasks.COLLECTOR_TOKEN, keyFile(Tasks.COLLECTOR_KEY));
    b.put("timeout_seconds", 1);
    admin().contentType(ContentType.JSON).body(b).when()
        .post("/admin/console/tasks/" + id.toBase64Url() + "/collect")
        .then().statusCode(503).body("type", equalTo("urn:pando:problem:unavailable"))
        .body("detail", containsString("it was deleted"));
    // No reports: the job waits for the batch, and is deleted rather than left to use it up.
    admin().when().get("/admin/console/tasks/" + id.toBase64Url() + "/jobs")
        .then().statusCode(200).body("size()", equalTo(1))
        .body("[0].kind", equalTo("collection")).body("[0].state", equalTo("DELETED"));
  }

  @Test
  void aNewTaskHasNoBatchesAndNoJobs() {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    admin().when().get("/admin/console/tasks/" + id.toBase64Url() + "/batches")
        .then().statusCode(200).body("size()", equalTo(0));
    admin().when().get("/admin/console/tasks/" + id.toBase64Url() + "/jobs")
        .then().statusCode(200).body("size()", equalTo(0));
    admin().when().get("/admin/console/tasks/not-a-task-id/jobs").then().statusCode(400);
  }
}
