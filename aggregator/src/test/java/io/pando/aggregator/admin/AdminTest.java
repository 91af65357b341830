package io.pando.aggregator.admin;

import static io.pando.aggregator.Management.admin;
import static io.pando.aggregator.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.vdaf.prio3.Prio3;
import jakarta.inject.Inject;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Infra.class)
class AdminTest {
  @Inject Datastore datastore;

  @Test
  void tasksAreProvisionedReadAndDeletedWithoutLeakingSecrets() {
    TaskId id = TaskId.random();
    var def = Tasks.leader(id, Map.of("type", "Prio3SumVec", "length", 3, "bits", 2,
        "chunk_length", 2), "http://helper.example/");
    admin().contentType(ContentType.JSON).body(def)
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body("vdaf.type", equalTo("Prio3SumVec"))
        .body("vdaf.chunk_length", equalTo(2))
        .body(not(containsString(def.vdafVerifyKey())))
        .body(not(containsString("aggregator-G7kP2xQ9rT4vW8nZ")));
    admin().when().get("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body("role", equalTo("leader"))
        .body("peer_endpoint", equalTo("http://helper.example/"));
    admin().when().delete("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(204);
    admin().when().get("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(404);
  }

  @Test
  void invalidDefinitionsAndBadTokensAreRefused() {
    TaskId id = TaskId.random();
    var def = Tasks.leader(id, Map.of("type", "Prio3Histogram", "length", 0, "chunk_length", 1),
        "http://helper.example/");
    admin().contentType(ContentType.JSON).body(def)
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(400).contentType("application/problem+json")
        .body("type", equalTo("urn:pando:problem:badRequest")).body("title", equalTo("Bad request"))
        .body("status", equalTo(400)).body("detail", containsString("length"));
    management().header("Authorization", "Bearer wrong").when().get("/admin/tasks")
        .then().statusCode(401).contentType("application/problem+json")
        .body("type", equalTo("urn:pando:problem:unauthorized")).body("status", equalTo(401));
    management().when().get("/admin/tasks").then().statusCode(401);
  }

  @Test
  void aDpStrategyIsValidatedStoredAndShown() {
    TaskId id = TaskId.random();
    var def = Tasks.leader(id, Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        "http://helper.example/");
    // Refused: unknown type, no, zero, negative, decimal or misnamed budget, an extra member.
    for (Map<String, Object> bad : List.<Map<String, Object>>of(
        Map.of("type", "laplace", "epsilon", "1"),
        Map.of("type", "pure_dp_discrete_laplace"),
        Map.of("type", "pure_dp_discrete_laplace", "epsilon", "0"),
        Map.of("type", "pure_dp_discrete_laplace", "epsilon", "-1/2"),
        Map.of("type", "pure_dp_discrete_laplace", "epsilon", 0.5),
        Map.of("type", "zcdp_discrete_gaussian", "epsilon", "1"),
        Map.of("type", "zcdp_discrete_gaussian", "rho", "1/0"),
        Map.of("type", "zcdp_discrete_gaussian", "rho", "1", "delta", "1"))) {
      admin().contentType(ContentType.JSON).body(def.withDpStrategy(bad))
          .when().put("/admin/tasks/" + id.toBase64Url())
          .then().statusCode(400).contentType("application/problem+json")
          .body("type", equalTo("urn:pando:problem:badRequest"))
          .body("detail", containsString("dp_strategy"));
    }
    admin().when().get("/admin/tasks/" + id.toBase64Url()).then().statusCode(404);

    admin().contentType(ContentType.JSON).body(def.withDpStrategy(
            Map.of("type", "zcdp_discrete_gaussian", "rho", "2/20")))
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body("dp_strategy.type", equalTo("zcdp_discrete_gaussian"))
        .body("dp_strategy.rho", equalTo("1/10"));
    admin().when().get("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body("dp_strategy.rho", equalTo("1/10"));
    // Replaced without one: no noise.
    admin().contentType(ContentType.JSON).body(def)
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body(not(containsString("dp_strategy")));
  }

  @Test
  void weakTaskTokensAreRefusedWithoutEchoingThem() {
    TaskId id = TaskId.random();
    var def = Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.example/");
    for (String[] tokens : new String[][] {
        {"short-secret-token", Tasks.COLLECTOR_TOKEN, "aggregator_auth_token"},
        {Tasks.AGGREGATOR_TOKEN, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "collector_auth_token"}}) {
      var weak = new TaskDefinition(def.taskId(), def.role(), def.peerEndpoint(),
          def.queryType(), def.maxBatchSize(), def.vdaf(), def.vdafVerifyKey(),
          def.maxBatchQueryCount(), def.taskExpiration(), def.reportExpiryAge(),
          def.minBatchSize(), def.timePrecision(), def.tolerableClockSkew(),
          def.collectorHpkeConfig(), tokens[0], tokens[1]);
      admin().contentType(ContentType.JSON).body(weak)
          .when().put("/admin/tasks/" + id.toBase64Url())
          .then().statusCode(400)
          .body("detail", containsString(tokens[2] + " is too weak"))
          .body("detail", not(containsString("short-secret-token")))
          .body("detail", not(containsString("aaaaaaaa")));
    }
    admin().when().get("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(404);
  }

  /** The definition with another VDAF, peer endpoint or time precision. */
  private static TaskDefinition with(TaskDefinition d, Map<String, Object> vdaf, String peer,
      long timePrecision) {
    return new TaskDefinition(d.taskId(), d.role(), peer, d.queryType(), d.maxBatchSize(), vdaf,
        d.vdafVerifyKey(), d.maxBatchQueryCount(), d.taskExpiration(), d.reportExpiryAge(),
        d.minBatchSize(), timePrecision, d.tolerableClockSkew(), d.collectorHpkeConfig(),
        d.aggregatorAuthToken(), d.collectorAuthToken());
  }

  private static void put(TaskId id, TaskDefinition d, int status) {
    admin().contentType(ContentType.JSON).body(d)
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(status);
  }

  @Test
  void aTaskWithDataKeepsWhatItsDataDependsOn() {
    TaskId id = TaskId.random();
    Map<String, Object> count = Map.of("type", "Prio3Count");
    Map<String, Object> sum = Map.of("type", "Prio3Sum", "bits", 8);
    TaskDefinition def = Tasks.leader(id, count, "http://helper.example/");
    put(id, def, 200);
    // No data yet: the task may still be replaced as a whole.
    put(id, with(def, sum, "http://helper.example/", 3600), 200);
    put(id, def, 200);

    datastore.inTransaction("test", tx -> {
      tx.batchAggregations().ensureShards(id, BatchAggregationStore.intervalIdentifier(0), 1,
          new io.pando.core.vdaf.Prio3DapVdaf(Prio3.count()));
      return null;
    });
    admin().contentType(ContentType.JSON)
        .body(with(def, sum, "http://helper.example/", 3600))
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(409).body("type", equalTo("urn:pando:problem:conflict"))
        .body("detail", containsString("vdaf"));
    admin().contentType(ContentType.JSON)
        .body(with(def, count, "http://helper.example/", 60))
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(409).body("detail", containsString("time_precision"));
    TaskDefinition rekeyed = Tasks.leader(id, count, "http://helper.example/");
    admin().contentType(ContentType.JSON).body(rekeyed)
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(409).body("detail", containsString("vdaf_verify_key"));
    // What the data does not depend on may change.
    put(id, with(def, count, "http://helper2.example/", 3600), 200);
    admin().when().get("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(200).body("vdaf.type", equalTo("Prio3Count"))
        .body("peer_endpoint", equalTo("http://helper2.example/"));
  }

  @Test
  void hpkeKeysRotate() throws Exception {
    List<HpkeConfig> before = configs();
    int pending = admin().contentType(ContentType.JSON).body("{}")
        .when().post("/admin/hpke_keys")
        .then().statusCode(200).body("state", equalTo("PENDING"))
        .extract().path("config_id");
    assertEquals(before, configs(), "a pending key is not advertised");
    admin().contentType(ContentType.JSON)
        .body("{\"state\":\"ACTIVE\"}")
        .when().put("/admin/hpke_keys/" + pending).then().statusCode(204);
    assertTrue(configs().stream().anyMatch(c -> c.id().value() == pending));
    for (HpkeConfig c : before) {
      admin().contentType(ContentType.JSON)
          .body("{\"state\":\"EXPIRED\"}")
          .when().put("/admin/hpke_keys/" + c.id().value()).then().statusCode(204);
    }
    List<HpkeConfig> after = configs();
    assertEquals(1, after.size());
    assertEquals(pending, after.get(0).id().value());
    admin().contentType(ContentType.JSON)
        .body("{\"kem\": 33}").when().post("/admin/hpke_keys").then().statusCode(400)
        .contentType("application/problem+json");

    // No active key at all: a problem document that says when to ask again, until one is.
    admin().contentType(ContentType.JSON)
        .body("{\"state\":\"EXPIRED\"}")
        .when().put("/admin/hpke_keys/" + pending).then().statusCode(204);
    given().when().get("/hpke_config").then().statusCode(503)
        .contentType("application/problem+json").header("Retry-After", "5")
        .body("status", equalTo(503)).body("detail", equalTo("no HPKE key is active"));
    admin().contentType(ContentType.JSON)
        .body("{\"state\":\"ACTIVE\"}")
        .when().put("/admin/hpke_keys/" + pending).then().statusCode(204);
    assertEquals(after, configs());
  }

  private static List<HpkeConfig> configs() throws Exception {
    byte[] body = given().when().get("/hpke_config").then().statusCode(200).extract().asByteArray();
    return HpkeConfigList.decode(body).configs();
  }
}
