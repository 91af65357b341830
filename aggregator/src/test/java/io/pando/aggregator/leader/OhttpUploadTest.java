package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.AtOnce;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Management;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.HibernateReactive;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.ohttp.OhttpKeyEntity;
import io.pando.aggregator.ohttp.OhttpKeys;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.client.JdkHttpTransport;
import io.pando.client.ObliviousHttpTransport;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.taskprov.DpConfig;
import io.pando.dap.messages.taskprov.QueryConfig;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.dap.messages.taskprov.VdafConfig;
import io.pando.dap.messages.taskprov.VdafType;
import io.pando.collector.Collector;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.devstack.OhttpRelay;
import io.pando.ohttp.BinaryHttpRequest;
import io.pando.ohttp.BinaryHttpResponse;
import io.pando.ohttp.Field;
import io.pando.ohttp.KeyConfig;
import io.pando.ohttp.ObliviousHttp;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OHTTP gateway (io.pando.aggregator.ohttp) over a real PostgreSQL and Kafka: reports
 * uploaded by the Java client through {@link ObliviousHttpTransport}, a local {@link OhttpRelay}
 * and the gateway, aggregated with the (fake) helper and collected exactly; inner requests for
 * other endpoints refused inside the encapsulated response; tampered or unknown-key requests
 * refused with a problem document and nothing stored; the key lifecycle through the admin API
 * and the change feed.
 */
@QuarkusTest
@TestProfile(CollectionTestProfile.class)
@WithTestResource(Infra.class)
class OhttpUploadTest {
  private static final long PRECISION = 3600;
  private static final String TOKEN = Tasks.COLLECTOR_TOKEN;
  private static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static FakeHelper helper;

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject OhttpKeys keys;
  @Inject io.micrometer.core.instrument.MeterRegistry meters;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int port;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = new FakeHelper();
  }

  @AfterAll
  static void stopHelper() {
    helper.close();
  }

  private URI leader() {
    return URI.create("http://localhost:" + port + "/");
  }

  private TaskId countTask() {
    TaskId id = TaskId.random();
    TaskDefinition d = Tasks.leader(id, Map.of("type", "Prio3Count"), helper.uri().toString());
    tasks.put(d);
    helper.add(id, Prio3.count(), d.vdafVerifyKey(), PRECISION);
    return id;
  }

  private long stored(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.reports().count(id));
  }

  private KeyConfig published() throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(leader().resolve("ohttp-keys"))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(KeyConfig.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
    return KeyConfig.decodeList(r.body()).get(0);
  }

  private HttpResponse<byte[]> postGateway(byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(leader().resolve("gateway"))
        .header("Content-Type", ObliviousHttp.REQUEST_MEDIA_TYPE)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** One inner request through the gateway, opened on the way back. */
  private BinaryHttpResponse through(BinaryHttpRequest inner) throws Exception {
    ObliviousHttp.ClientContext ctx = ObliviousHttp.encapsulate(published(), inner.encode());
    HttpResponse<byte[]> r = postGateway(ctx.encapsulatedRequest());
    assertEquals(200, r.statusCode());
    assertEquals(ObliviousHttp.RESPONSE_MEDIA_TYPE,
        r.headers().firstValue("Content-Type").orElse(""));
    return BinaryHttpResponse.decode(ctx.decapsulateResponse(r.body()));
  }

  private double outcomes(String outcome) {
    return meters.counter("pando_ohttp_requests_total", "outcome", outcome).count();
  }

  private static String problemType(String contentType, byte[] body) {
    assertEquals(MediaTypes.PROBLEM_JSON, contentType);
    return ProblemDocument.parse(new String(body, StandardCharsets.UTF_8)).type();
  }

  @Test
  void reportsUploadedThroughTheRelayAreAggregatedAndCollectedExactly() throws Exception {
    TaskId id = countTask();
    try (OhttpRelay relay = OhttpRelay.start("127.0.0.1", 0, leader().resolve("gateway"))) {
      ObliviousHttpTransport transport = new ObliviousHttpTransport(new JdkHttpTransport(),
          relay.uri(), leader().resolve("ohttp-keys"), leader());
      DapClient<Boolean> client = new DapClient<>(new DapTask<>(id, leader(), helper.uri(),
          Prio3.count(), Duration.ofSeconds(PRECISION)), transport);
      long bucket = (Instant.now().getEpochSecond() / PRECISION - 1) * PRECISION;
      List<Boolean> measurements = List.of(true, false, true, true, false);
      for (Boolean m : measurements) {
        client.upload(m, Instant.ofEpochSecond(bucket));
      }
      assertEquals(5, stored(id));
      Collector<Long> collector = new Collector<>(id, leader(), TOKEN, Tasks.COLLECTOR_KEY,
          Prio3.count());
      var result = collector.collect(Query.timeInterval(Interval.of(bucket, PRECISION)),
          DEADLINE, null);
      assertEquals(3L, result.aggregate());
      assertEquals(5, result.reportCount());
    }
  }

  /**
   * A taskprov upload through the relay: the gateway passes the {@code dap-taskprov} field of
   * the inner request on, so the leader provisions the task from it as from a direct upload.
   */
  @Test
  void aTaskprovUploadThroughTheRelayProvisionsTheTask() throws Exception {
    String helperUrl = "https://helper.ohttp-taskprov.test/";
    byte[] verifyKeyInit = new byte[32];
    new java.security.SecureRandom().nextBytes(verifyKeyInit);
    Map<String, Object> peer = new java.util.LinkedHashMap<>();
    peer.put("endpoint", helperUrl);
    peer.put("role", "helper");
    peer.put("verify_key_init", Tasks.b64(verifyKeyInit));
    peer.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    peer.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    peer.put("collector_auth_token", Tasks.COLLECTOR_TOKEN);
    io.pando.aggregator.Management.admin().contentType("application/json").body(peer)
        .post("/admin/taskprov/peer_aggregators").then().statusCode(200);
    byte[] info = new byte[8];
    new java.security.SecureRandom().nextBytes(info);
    TaskConfig config = new TaskConfig(info, leader().toString(), helperUrl,
        QueryConfig.timeInterval(io.pando.dap.messages.Duration.ofSeconds(PRECISION), 1, 1),
        io.pando.dap.messages.Time.ofSeconds(Instant.now().getEpochSecond() + 86400),
        new VdafConfig(DpConfig.NO_DP, new VdafType.Prio3Sum(8)));
    try (OhttpRelay relay = OhttpRelay.start("127.0.0.1", 0, leader().resolve("gateway"))) {
      ObliviousHttpTransport transport = new ObliviousHttpTransport(new JdkHttpTransport(),
          relay.uri(), leader().resolve("ohttp-keys"), leader());
      // The leader serves both HPKE configs here; it never opens the helper's share.
      DapClient<Long> client = new DapClient<>(new DapTask<>(config.taskId(), leader(),
          leader(), Prio3.sum(8), config.queryConfig().timePrecision(), null, null,
          java.util.Optional.of(config)), transport);
      client.upload(200L);
    }
    Task task = tasks.get(config.taskId()).orElseThrow();
    assertTrue(task.isTaskprov());
    assertEquals(1, stored(config.taskId()));
  }

  @Test
  void innerRequestsForOtherEndpointsAreRefusedInsideTheResponse() throws Exception {
    TaskId id = countTask();
    String task = id.toBase64Url();
    List<BinaryHttpRequest> refused = List.of(
        BinaryHttpRequest.of("PUT", "http", "", "/tasks/" + task + "/collection_jobs/"
            + io.pando.dap.messages.CollectionJobId.random().toBase64Url(),
            List.of(new Field("content-type", MediaTypes.COLLECT_REQ),
                new Field("authorization", "Bearer " + TOKEN))),
        BinaryHttpRequest.of("POST", "http", "", "/tasks/" + task + "/aggregate_shares",
            List.of()),
        BinaryHttpRequest.of("GET", "http", "", "/admin/tasks", List.of()),
        BinaryHttpRequest.of("POST", "http", "", "/gateway", List.of()),
        BinaryHttpRequest.of("GET", "http", "", "/hpke_config/../admin/tasks", List.of()),
        BinaryHttpRequest.of("PUT", "http", "", "/tasks/" + task + "/reports?x=1", List.of()));
    for (BinaryHttpRequest r : refused) {
      BinaryHttpResponse answer = through(r);
      assertEquals(404, answer.status(), r.toString());
      assertEquals("urn:pando:problem:notFound", problemType(
          answer.header("content-type").orElse(""), answer.content()), r.toString());
    }
    assertTrue(datastore.inTransaction("test", tx -> tx.collectionJobs().list(id)).isEmpty());
    // The client-facing endpoints are served: the HPKE configs, as a direct GET gets them.
    BinaryHttpResponse configs = through(BinaryHttpRequest.of("GET", "https", "leader.example",
        "/hpke_config?task_id=" + task, List.of()));
    assertEquals(200, configs.status());
    HttpResponse<byte[]> direct = HTTP.send(HttpRequest.newBuilder(
        leader().resolve("hpke_config?task_id=" + task)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(direct.body(), configs.content());
    assertEquals(MediaTypes.HPKE_CONFIG_LIST, configs.header("content-type").orElse(""));
  }

  @Test
  void tamperedMalformedOrUnknownKeyRequestsAreRefusedAndStoreNothing() throws Exception {
    TaskId id = countTask();
    // A real report, sealed for the gateway, then spoiled in each way.
    DapClient<Boolean> direct = new DapClient<>(new DapTask<>(id, leader(), helper.uri(),
        Prio3.count(), Duration.ofSeconds(PRECISION)));
    byte[] report = direct.prepareReport(true, Instant.now()).encode();
    BinaryHttpRequest upload = new BinaryHttpRequest("PUT", "https", "leader.example",
        "/tasks/" + id.toBase64Url() + "/reports",
        List.of(new Field("content-type", MediaTypes.REPORT)), report, List.of());
    byte[] sealed = ObliviousHttp.encapsulate(published(), upload.encode())
        .encapsulatedRequest();
    double failed = outcomes("decryption_failed");
    double unknown = outcomes("unknown_key");
    double malformed = outcomes("malformed");
    double served = outcomes("served");

    byte[] tampered = sealed.clone();
    tampered[tampered.length - 5] ^= 0x40;
    HttpResponse<byte[]> r = postGateway(tampered);
    assertEquals(400, r.statusCode());
    assertEquals("urn:pando:problem:badRequest",
        problemType(r.headers().firstValue("Content-Type").orElse(""), r.body()));

    byte[] unknownKey = sealed.clone();
    unknownKey[0] = (byte) (unknownKey[0] + 100);
    r = postGateway(unknownKey);
    assertEquals(400, r.statusCode());
    assertEquals("https://iana.org/assignments/http-problem-types#ohttp-key",
        problemType(r.headers().firstValue("Content-Type").orElse(""), r.body()));

    r = postGateway(java.util.Arrays.copyOf(sealed, 20));
    assertEquals(400, r.statusCode());
    assertEquals("urn:pando:problem:badRequest",
        problemType(r.headers().firstValue("Content-Type").orElse(""), r.body()));

    r = HTTP.send(HttpRequest.newBuilder(leader().resolve("gateway"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(sealed)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(415, r.statusCode());
    assertEquals(0, stored(id));
    assertEquals(failed + 1, outcomes("decryption_failed"));
    assertEquals(unknown + 1, outcomes("unknown_key"));
    assertEquals(malformed + 1, outcomes("malformed"));
    assertEquals(served, outcomes("served"));

    // The untouched request is stored, once.
    r = postGateway(sealed);
    assertEquals(200, r.statusCode());
    assertEquals(1, stored(id));
    assertEquals(served + 1, outcomes("served"));
  }

  @Test
  void keysFollowTheirLifecycleAndPrivateKeysAreStoredSealed() throws Exception {
    int active = published().keyId();
    // A new PENDING key is known to the gateway but not published.
    Map<String, Object> made = Management.admin().contentType("application/json")
        .body("{\"state\":\"PENDING\"}").post("/admin/ohttp_keys").then().statusCode(200)
        .extract().jsonPath().getMap("");
    int pending = ((Number) made.get("key_id")).intValue();
    assertEquals("PENDING", made.get("state"));
    assertNotEquals(active, pending);
    assertTrue(keys.opener(pending).isPresent());
    assertFalse(keys.activeConfigs().stream().anyMatch(c -> c.keyId() == pending));
    List<Map<String, Object>> listed = Management.admin().get("/admin/ohttp_keys").then()
        .statusCode(200).extract().jsonPath().getList("");
    assertTrue(listed.stream().anyMatch(k -> ((Number) k.get("key_id")).intValue() == pending
        && k.get("state_changed_at") != null));

    // Stored sealed: the row holds no copy of the private key.
    OhttpKeyEntity row = HibernateReactive.await(() -> Panache.withSession(
        () -> OhttpKeyEntity.<OhttpKeyEntity>findById((short) pending)));
    byte[] sk = keys.opener(pending).orElseThrow().privateKey().reveal();
    assertFalse(contains(row.privateKey, sk));

    // A change made by SQL, as another replica's, reaches this one through the change feed.
    HibernateReactive.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(
        s -> s.createNativeQuery("UPDATE ohttp_keys SET state = 'ACTIVE', updated_by = 'test'"
            + " WHERE key_id = " + pending).executeUpdate())));
    Waits.until("the key is published", 20,
        () -> keys.activeConfigs().stream().anyMatch(c -> c.keyId() == pending));
    assertEquals(pending, published().keyId(), "newest key first");

    Management.admin().contentType("application/json").body("{\"state\":\"EXPIRED\"}")
        .put("/admin/ohttp_keys/" + pending).then().statusCode(204);
    assertEquals(active, published().keyId());
    assertTrue(keys.opener(pending).isPresent(), "an expired key still opens requests");
    Management.admin().delete("/admin/ohttp_keys/" + pending).then().statusCode(204);
    assertFalse(keys.opener(pending).isPresent());
    Management.admin().delete("/admin/ohttp_keys/" + pending).then().statusCode(404);
    assertEquals(HpkeKeys.State.ACTIVE, keys.all().stream()
        .filter(k -> k.keypair().config().keyId() == active).findFirst().orElseThrow().state());
  }

  @Test
  void replicasCreatingTheFirstKeyAtOnceMakeOneAndKeysMadeAtOnceGetDistinctIds()
      throws Exception {
    List<Integer> active = keys.all().stream().filter(k -> k.state() == HpkeKeys.State.ACTIVE)
        .map(k -> k.keypair().config().keyId()).toList();
    active.forEach(id -> keys.setState(id, HpkeKeys.State.EXPIRED));
    try {
      List<java.util.Optional<OhttpKeys.Key>> made = AtOnce.copies(6,
          () -> keys.ensureActiveKey(io.pando.core.hpke.HpkeSuite.X25519_SHA256_AES128GCM));
      assertEquals(1, made.stream().filter(java.util.Optional::isPresent).count(),
          "one caller made it");
      keys.reload();
      List<OhttpKeys.Key> nowActive = keys.all().stream()
          .filter(k -> k.state() == HpkeKeys.State.ACTIVE).toList();
      assertEquals(1, nowActive.size());
      assertTrue(keys.delete(nowActive.get(0).keypair().config().keyId()));
    } finally {
      active.forEach(id -> keys.setState(id, HpkeKeys.State.ACTIVE));
    }
    List<OhttpKeys.Key> pending = AtOnce.copies(5, () -> keys.generate(
        io.pando.core.hpke.HpkeSuite.X25519_SHA256_AES128GCM, HpkeKeys.State.PENDING));
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    pending.forEach(k -> ids.add(k.keypair().config().keyId()));
    assertEquals(5, ids.size(), "distinct key ids: " + ids);
    ids.forEach(id -> assertTrue(keys.delete(id)));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
