package io.pando.aggregator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.core.hpke.ConfigListSignature;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(Infra.class)
class UploadTest {
  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject HpkeKeys keys;

  @TestHTTPResource("/")
  URI self;

  private long stored(TaskId id) {
    return datastore.inTransaction("test-count", tx -> tx.reports().count(id));
  }

  private <M> DapClient<M> client(TaskId id, Prio3<M, ?> vdaf) {
    return new DapClient<>(new DapTask<>(id, self, self, vdaf, Duration.ofSeconds(3600)));
  }

  @Test
  void theJavaClientUploadsAndReportsAreStoredOnce() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        "http://helper.invalid/"));
    DapClient<Integer> client = client(id, Prio3.histogram(4, 2));
    for (int i = 0; i < 10; i++) {
      client.upload(i % 4);
    }
    assertEquals(10, stored(id));

    // The same report again: refused, and still stored once.
    Report r = client.prepareReport(1, Instant.now());
    client.put(r);
    DapClientException e = assertThrows(DapClientException.class, () -> client.put(r));
    assertEquals(DapProblemType.REPORT_REJECTED, e.problemType().orElseThrow());
    assertEquals(11, stored(id));
  }

  @Test
  void aHelperShareOfTheWrongLengthIsRefusedAndNothingIsStored() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Sum", "bits", 8), "http://helper.invalid/"));
    DapClient<Long> client = client(id, Prio3.sum(8));
    Report honest = client.prepareReport(7L, Instant.now());
    HpkeCiphertext h = honest.helperEncryptedInputShare();
    // A byte long and a byte short: invalidMessage once the body is read.
    for (byte[] payload : new byte[][] {
        java.util.Arrays.copyOf(h.payload(), h.payload().length + 1),
        java.util.Arrays.copyOf(h.payload(), h.payload().length - 1)}) {
      given().contentType(MediaTypes.REPORT).body(poisoned(honest, payload).encode())
          .when().put("/tasks/" + id.toBase64Url() + "/reports")
          .then().statusCode(400).contentType(MediaTypes.PROBLEM_JSON)
          .body("type", equalTo(DapProblemType.INVALID_MESSAGE.uri()))
          .body("detail", org.hamcrest.Matchers.containsString("helper's encrypted input share"));
    }
    // A megabyte: refused from its Content-Length, before the body is read.
    given().contentType(MediaTypes.REPORT).body(poisoned(honest, new byte[1 << 20]).encode())
        .when().put("/tasks/" + id.toBase64Url() + "/reports")
        .then().statusCode(413).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", org.hamcrest.Matchers.equalTo("urn:pando:problem:bodyTooLarge"))
        .body("detail", org.hamcrest.Matchers.containsString("Prio3Sum"));
    assertEquals(0, stored(id));
    // The honest report with the same id is still accepted: nothing of the poisoned ones stayed.
    client.put(honest);
    assertEquals(1, stored(id));
  }

  @Inject io.pando.aggregator.leader.AggregationJobCreator creator;

  @Test
  void poplar1ReportsAreStoredAndWaitForACollectionJob() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Poplar1", "bits", 8), "http://helper.invalid/"));
    var config = io.pando.dap.messages.HpkeConfigList.decode(given()
        .when().get("/hpke_config?task_id=" + id.toBase64Url()).then().statusCode(200)
        .extract().asByteArray()).configs().get(0);
    var sealer = io.pando.core.hpke.Hpke.sealer(config);
    var poplar = new io.pando.vdaf.poplar1.Poplar1(io.pando.vdaf.VdafVersion.DRAFT_08, 8);
    for (long m : new long[] {3, 200, 77}) {
      given().contentType(MediaTypes.REPORT).body(Poplar1Reports.report(id, poplar, m, Instant.now().getEpochSecond(), sealer).encode())
          .when().put("/tasks/" + id.toBase64Url() + "/reports").then().statusCode(201);
    }
    // A Prio3 share in place of the helper's Poplar1 share: invalidMessage, nothing stored.
    Report honest = Poplar1Reports.report(id, poplar, 1, Instant.now().getEpochSecond(), sealer);
    given().contentType(MediaTypes.REPORT).body(poisoned(honest, new byte[40]).encode())
        .when().put("/tasks/" + id.toBase64Url() + "/reports")
        .then().statusCode(400).body("type", equalTo(DapProblemType.INVALID_MESSAGE.uri()));
    assertEquals(3, stored(id));
    // The eager job creator leaves them for a collection job (their aggregation parameter).
    assertTrue(creator.createJobs(tasks.get(id).orElseThrow()).isEmpty());
    assertEquals(0L, (long) datastore.inTransaction("test-jobs",
        tx -> tx.aggregationJobs().jobs(id).size()));
  }

  private static Report poisoned(Report honest, byte[] helperPayload) {
    HpkeCiphertext h = honest.helperEncryptedInputShare();
    return new Report(honest.metadata(), honest.publicShare(), honest.leaderEncryptedInputShare(),
        new HpkeCiphertext(h.configId(), h.encapsulatedKey(), helperPayload));
  }

  @Test
  void unknownTasksAndMalformedBodiesGetProblemDocuments() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    given().contentType(MediaTypes.REPORT).body(new byte[] {1, 2, 3})
        .when().put("/tasks/" + id.toBase64Url() + "/reports")
        .then().statusCode(400).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo(DapProblemType.INVALID_MESSAGE.uri()))
        .body("taskid", equalTo(id.toBase64Url()));
    TaskId unknown = TaskId.random();
    given().contentType(MediaTypes.REPORT).body(new byte[] {1})
        .when().put("/tasks/" + unknown.toBase64Url() + "/reports")
        .then().statusCode(400)
        .body("type", equalTo(DapProblemType.UNRECOGNIZED_TASK.uri()));
    given().contentType("text/plain").body("hello")
        .when().put("/tasks/" + id.toBase64Url() + "/reports")
        .then().statusCode(415);
    assertEquals(0, stored(id));
  }

  @Test
  void hpkeConfigIsServedWithTheExactMediaType() {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    given().when().get("/hpke_config?task_id=" + id.toBase64Url())
        .then().statusCode(200).header("Content-Type", MediaTypes.HPKE_CONFIG_LIST)
        .header("Access-Control-Allow-Origin", "*");
    given().when().get("/hpke_config?task_id=" + TaskId.random().toBase64Url())
        .then().statusCode(400)
        .body("type", equalTo(DapProblemType.UNRECOGNIZED_TASK.uri()));
  }

  @Test
  void theConfigListIsSignedAndPinnedClientsCheckIt() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    var response = given().when().get("/hpke_config?task_id=" + id.toBase64Url())
        .then().statusCode(200)
        .header("Access-Control-Expose-Headers", ConfigListSignature.HEADER).extract();
    byte[] body = response.asByteArray();
    String signature = response.header(ConfigListSignature.HEADER);
    PublicKey pinned = Infra.CONFIG_SIGNING_KEY.getPublic();
    assertTrue(ConfigListSignature.verifies(pinned, body, signature));
    byte[] tampered = body.clone();
    tampered[tampered.length - 1] ^= 1;
    assertFalse(ConfigListSignature.verifies(pinned, tampered, signature));

    DapTask<Boolean> task = new DapTask<>(id, self, self, Prio3.count(), Duration.ofSeconds(3600));
    new DapClient<>(task.withConfigKeys(pinned, pinned)).upload(true);
    assertEquals(1, stored(id));
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    PublicKey other = g.generateKeyPair().getPublic();
    DapClientException e = assertThrows(DapClientException.class,
        () -> new DapClient<>(task.withConfigKeys(pinned, other)).upload(true));
    assertTrue(e.getMessage().contains("not signed by the pinned key"), e.getMessage());
    assertEquals(1, stored(id), "nothing was uploaded");
  }

  @Test
  void aReportSealedToADeletedKeyGetsOutdatedConfigAndNothingIsStored() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    DapClient<Boolean> client = client(id, Prio3.count());
    Report honest = client.prepareReport(true, Instant.now());
    HpkeKeys.Key gone = keys.generate(HpkeSuite.X25519_SHA256_AES128GCM, HpkeKeys.State.EXPIRED);
    HpkeConfigId goneId = gone.keypair().config().id();
    assertTrue(keys.delete(goneId.value()));
    HpkeCiphertext l = honest.leaderEncryptedInputShare();
    Report toDeleted = new Report(honest.metadata(), honest.publicShare(),
        new HpkeCiphertext(goneId, l.encapsulatedKey(), l.payload()),
        honest.helperEncryptedInputShare());
    given().contentType(MediaTypes.REPORT).body(toDeleted.encode())
        .when().put("/tasks/" + id.toBase64Url() + "/reports")
        .then().statusCode(400).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo("urn:ietf:params:ppm:dap:error:outdatedConfig"))
        .body("taskid", equalTo(id.toBase64Url()));
    assertEquals(0, stored(id));
    // The same report sealed to the active key is accepted: nothing of the refused one stayed.
    client.put(honest);
    assertEquals(1, stored(id));
  }
}
