package io.pando.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.dap18.VdafConfig;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The collector's and client's JSON commands, without aggregators behind them. */
class TestApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestApiServer collector;
  private static TestApiServer client;

  @BeforeAll
  static void start() throws Exception {
    collector = TestApiServer.start("127.0.0.1", 0, new InteropCollector().commands());
    client = TestApiServer.start("127.0.0.1", 0, new InteropClient().commands());
  }

  @AfterAll
  static void stop() {
    collector.close();
    client.close();
  }

  record Answer(int status, JsonNode body) {}

  static Answer post(TestApiServer s, String command, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + s.port() + "/internal/test/" + command))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  static Answer post(TestApiServer s, String command, Map<String, ?> body) throws Exception {
    return post(s, command, JSON.writeValueAsString(body));
  }

  /** A command under {@code /dap-18/internal/test/}. */
  static Answer post18(TestApiServer s, String command, Map<String, ?> body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + s.port() + "/dap-18/internal/test/" + command))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  static Map<String, Object> dap18CollectorTask(TaskId id, int batchMode) {
    Map<String, Object> m = new HashMap<>();
    m.put("task_id", id.toBase64Url());
    m.put("leader", "http://127.0.0.1:1/dap-18/");
    m.put("helper", "http://127.0.0.1:2/dap-18/");
    m.put("vdaf", Map.of("type", "Prio3Sum", "max_measurement", "300"));
    m.put("collector_authentication_token", "collector-M3nB8vC5xZ1qW7eR");
    m.put("time_precision", 300);
    m.put("batch_mode", batchMode);
    m.put("min_batch_size", 2);
    return m;
  }

  static Map<String, Object> collectorTask(TaskId id) {
    Map<String, Object> m = new HashMap<>();
    m.put("task_id", id.toBase64Url());
    m.put("leader", "http://127.0.0.1:1/");
    m.put("vdaf", Map.of("type", "Prio3Histogram", "length", "4", "chunk_length", "2"));
    m.put("collector_authentication_token", "collector-M3nB8vC5xZ1qW7eR");
    m.put("query_type", 1);
    return m;
  }

  @Test
  void readyAnswers200OnBoth() throws Exception {
    assertEquals(200, post(collector, "ready", "{}").status());
    assertEquals(200, post(client, "ready", "{}").status());
  }

  @Test
  void collectorAddTaskAnswersAnX25519HpkeConfigOnceAndRefusesDuplicates() throws Exception {
    TaskId id = TaskId.random();
    Answer a = post(collector, "add_task", collectorTask(id));
    assertEquals(200, a.status());
    assertEquals("success", a.body().get("status").asText());
    HpkeConfig config = HpkeConfig.decode(
        Base64.getUrlDecoder().decode(a.body().get("collector_hpke_config").asText()));
    assertEquals(0x20, config.kemId().code());
    assertEquals(1, config.kdfId().code());
    assertEquals(1, config.aeadId().code());
    Answer again = post(collector, "add_task", collectorTask(id));
    assertEquals("error", again.body().get("status").asText());
    assertTrue(again.body().get("error").asText().contains("already added"));
  }

  @Test
  void collectorRefusalsNameTheField() throws Exception {
    Map<String, Object> numbers = collectorTask(TaskId.random());
    numbers.put("vdaf", Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", "2"));
    assertError(post(collector, "add_task", numbers),
        "vdaf.length must be an integer written in base 10 as a string, got 4");
    Map<String, Object> noToken = collectorTask(TaskId.random());
    noToken.remove("collector_authentication_token");
    assertError(post(collector, "add_task", noToken), "collector_authentication_token is required");
    Map<String, Object> shortId = collectorTask(TaskId.random());
    shortId.put("task_id", "AAAA");
    assertError(post(collector, "add_task", shortId), "task_id must be 32 bytes");

    TaskId id = TaskId.random();
    post(collector, "add_task", collectorTask(id));
    assertError(post(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 2, "subtype", 1))),
        "query.type 2 differs from the task's query_type 1");
    assertError(post(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", "AA", "query", Map.of("type", 1, "batch_interval_start", 0,
            "batch_interval_duration", 3600))),
        "agg_param must be empty: Prio3 has no aggregation parameter");
    assertError(post(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 1, "batch_interval_start", 0))),
        "query.batch_interval_duration is required");
    assertError(post(collector, "collection_start", Map.of("task_id",
        TaskId.random().toBase64Url(), "agg_param", "", "query", Map.of("type", 2,
            "subtype", 1))), null);
    Answer poll = post(collector, "collection_poll", Map.of("handle", "nope"));
    assertEquals("error", poll.body().get("status").asText());
    assertEquals("unknown handle nope", poll.body().get("error").asText());
  }

  @Test
  void malformedBodiesAre400UnknownCommands404AndGets405() throws Exception {
    Answer a = post(collector, "add_task", "{\"task_id\": ");
    assertEquals(400, a.status());
    assertEquals("error", a.body().get("status").asText());
    assertEquals(400, post(collector, "add_task", "{\"query_type\": {}}").status());
    assertEquals(404, post(collector, "upload", "{}").status());
    assertEquals(404, post(client, "collection_poll", "{}").status());
    HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + client.port() + "/internal/test/ready")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
  }

  @Test
  void uploadRefusalsNameTheField() throws Exception {
    Map<String, Object> m = new HashMap<>();
    m.put("task_id", TaskId.random().toBase64Url());
    m.put("leader", "http://127.0.0.1:1/");
    m.put("helper", "http://127.0.0.1:1/");
    m.put("vdaf", Map.of("type", "Prio3Count"));
    m.put("measurement", 1);
    m.put("time_precision", 300);
    assertError(post(client, "upload", m),
        "measurement must be an integer written in base 10 as a string, got 1");
    m.put("measurement", "1");
    m.remove("helper");
    assertError(post(client, "upload", m), "helper is required");
    m.put("helper", "http://127.0.0.1:1/");
    Answer unreachable = post(client, "upload", m);
    assertEquals(200, unreachable.status());
    assertEquals("error", unreachable.body().get("status").asText());
  }

  @Test
  void measurementsAreTheDraftsDecimalStrings() {
    ObjectMapper j = new ObjectMapper();
    assertEquals(true, InteropClient.measurement(new VdafInstance.Prio3Count(),
        j.valueToTree("1")));
    assertEquals(false, InteropClient.measurement(new VdafInstance.Prio3Count(),
        j.valueToTree("0")));
    assertThrows(IllegalArgumentException.class, () -> InteropClient.measurement(
        new VdafInstance.Prio3Count(), j.valueToTree("2")));
    assertEquals(200L, InteropClient.measurement(new VdafInstance.Prio3Sum(8),
        j.valueToTree("200")));
    assertEquals(3, InteropClient.measurement(new VdafInstance.Prio3Histogram(4, 2),
        j.valueToTree("3")));
    assertEquals(List.of(1L, 0L, 3L), InteropClient.measurement(
        new VdafInstance.Prio3SumVec(3, 2, 2), j.valueToTree(List.of("1", "0", "3"))));
    assertEquals(List.of(true, false), InteropClient.measurement(
        new VdafInstance.Prio3MultihotCountVec(2, 1, 1), j.valueToTree(List.of("1", "0"))));
    assertThrows(IllegalArgumentException.class, () -> InteropClient.measurement(
        new VdafInstance.Prio3SumVec(3, 2, 2), j.valueToTree(List.of(1, 0, 3))));
    assertThrows(IllegalArgumentException.class, () -> InteropClient.measurement(
        new VdafInstance.Prio3Sum(8), j.valueToTree("-1")));
  }

  @Test
  void resultsAreDecimalStrings() {
    assertEquals("12", InteropCollector.CollectionPollResponse.decimal(12L));
    assertEquals("340282366920938463463374607431768211455",
        InteropCollector.CollectionPollResponse.decimal(
            BigInteger.TWO.pow(128).subtract(BigInteger.ONE)));
    assertEquals(List.of("1", "0", "18446744073709551616"),
        InteropCollector.CollectionPollResponse.decimal(
            List.of(BigInteger.ONE, BigInteger.ZERO, BigInteger.TWO.pow(64))));
  }

  @Test
  void dap18TaskIsTheTaskConfigurationTheAggregatorsDerive() throws Exception {
    Dap18Task t = Dap18Task.of("http://127.0.0.1:8081/dap-18/", "http://127.0.0.1:8082/dap-18/",
        Map.of("type", "Prio3SumVec", "length", "3", "max_measurement", "9",
            "chunk_length", "2"), 300L, 2, 7L, null);
    TaskConfiguration expected = TaskConfiguration.of("interop".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII), "http://127.0.0.1:8081/dap-18/",
        "http://127.0.0.1:8082/dap-18/", TimePrecision.ofSeconds(300), 7,
        BatchMode.LEADER_SELECTED, new VdafConfig.Prio3SumVec(3, 9, 2), List.of());
    assertArrayEquals(expected.encode(), t.configuration().encode());
    Dap18Task withInfo = Dap18Task.of("http://a.example/", "http://b.example/",
        Map.of("type", "Prio3Count"), 60L, 1, 1L, Base64.getUrlEncoder().encodeToString(
            new byte[] {1, 2, 3}));
    assertArrayEquals(new byte[] {1, 2, 3}, withInfo.configuration().taskInfo());
    assertEquals(BatchMode.TIME_INTERVAL, withInfo.configuration().batchMode());
    assertEquals("http://a.example/", withInfo.configuration().leaderAggregatorEndpoint());
  }

  @Test
  void dap18CommandsAreServedUnderTheDap18Prefix() throws Exception {
    assertEquals(200, post18(collector, "ready", Map.of()).status());
    assertEquals(200, post18(client, "ready", Map.of()).status());
    assertEquals(404, post18(client, "collection_poll", Map.of()).status());
    assertEquals(404, post18(collector, "upload", Map.of()).status());
    TaskId id = TaskId.random();
    Answer a = post18(collector, "add_task", dap18CollectorTask(id, 1));
    assertEquals("success", a.body().get("status").asText(), a.body().toString());
    HpkeConfig config = HpkeConfig.decode(
        Base64.getUrlDecoder().decode(a.body().get("collector_hpke_config").asText()));
    assertEquals(0x20, config.kemId().code());
    assertTrue(post18(collector, "add_task", dap18CollectorTask(id, 1)).body().get("error")
        .asText().contains("already added"));
    // A DAP-18 task is not a DAP-09 one: the DAP-09 commands do not know it.
    assertError(post(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 1, "batch_interval_start", 0,
            "batch_interval_duration", 300))),
        "task " + id + " was not added to this collector");
  }

  @Test
  void dap18CollectorRefusalsNameTheField() throws Exception {
    Map<String, Object> noMode = dap18CollectorTask(TaskId.random(), 1);
    noMode.remove("batch_mode");
    assertError(post18(collector, "add_task", noMode), "batch_mode is required");
    Map<String, Object> badMode = dap18CollectorTask(TaskId.random(), 3);
    assertError(post18(collector, "add_task", badMode),
        "batch_mode must be 1 (time interval) or 2 (leader selected), got 3");
    Map<String, Object> bits = dap18CollectorTask(TaskId.random(), 1);
    bits.put("vdaf", Map.of("type", "Prio3Sum", "bits", "8"));
    assertError(post18(collector, "add_task", bits), "vdaf.max_measurement is required");
    Map<String, Object> noHelper = dap18CollectorTask(TaskId.random(), 1);
    noHelper.remove("helper");
    assertError(post18(collector, "add_task", noHelper), "helper is required");
    Map<String, Object> emptyInfo = dap18CollectorTask(TaskId.random(), 1);
    emptyInfo.put("task_info", "");
    assertError(post18(collector, "add_task", emptyInfo), "task_info must be 1 to 255 bytes");

    TaskId ti = TaskId.random();
    post18(collector, "add_task", dap18CollectorTask(ti, 1));
    assertError(post18(collector, "collection_start", Map.of("task_id", ti.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 2))),
        "the task's batch mode is time_interval");
    assertError(post18(collector, "collection_start", Map.of("task_id", ti.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 1, "batch_interval_start", 100,
            "batch_interval_duration", 300))),
        "the batch interval start 1970-01-01T00:01:40Z is not a multiple of the time precision"
            + " 300s");
    assertError(post18(collector, "collection_start", Map.of("task_id", ti.toBase64Url(),
        "agg_param", "AA", "query", Map.of("type", 1, "batch_interval_start", 0,
            "batch_interval_duration", 300))),
        "agg_param must be empty: Prio3 has no aggregation parameter");
    assertError(post18(collector, "collection_start", Map.of("task_id", ti.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 3))),
        "query.type must be 1 (time interval) or 2 (leader selected), got 3");
    TaskId ls = TaskId.random();
    post18(collector, "add_task", dap18CollectorTask(ls, 2));
    assertError(post18(collector, "collection_start", Map.of("task_id", ls.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 2, "subtype", 0, "batch_id", "AA"))),
        "query.subtype must be absent or 1 (current batch) for a DAP-18 leader_selected query,"
            + " got 0");
    assertError(post18(collector, "collection_start", Map.of("task_id", ls.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 1, "batch_interval_start", 0,
            "batch_interval_duration", 300))),
        "the task's batch mode is leader_selected");
    // The leader at port 1 is unreachable: a DAP outcome, not a refusal of the request.
    assertError(post18(collector, "collection_start", Map.of("task_id", ls.toBase64Url(),
        "agg_param", "", "query", Map.of("type", 2))), null);
    assertError(post18(collector, "collection_poll", Map.of("handle", "nope")),
        "unknown handle nope");
  }

  @Test
  void dap18UploadRefusalsNameTheField() throws Exception {
    Map<String, Object> m = new HashMap<>();
    m.put("task_id", TaskId.random().toBase64Url());
    m.put("leader", "http://127.0.0.1:1/dap-18/");
    m.put("helper", "http://127.0.0.1:1/dap-18/");
    m.put("vdaf", Map.of("type", "Prio3Sum", "max_measurement", "10"));
    m.put("measurement", "3");
    m.put("time_precision", 300);
    m.put("min_batch_size", 1);
    assertError(post18(client, "upload", m), "batch_mode is required");
    m.put("batch_mode", 1);
    m.put("vdaf", Map.of("type", "Prio3Sum", "bits", "8"));
    assertError(post18(client, "upload", m), "vdaf.max_measurement is required");
    m.put("vdaf", Map.of("type", "Prio3Sum", "max_measurement", "10"));
    m.put("measurement", 3);
    assertError(post18(client, "upload", m),
        "measurement must be an integer written in base 10 as a string, got 3");
    m.put("measurement", "3");
    m.remove("min_batch_size");
    assertError(post18(client, "upload", m), "min_batch_size is required");
    m.put("min_batch_size", 1);
    assertError(post18(client, "upload", m), null); // the leader at port 1 is unreachable
  }

  @Test
  void poplar1MeasurementsAreBitStringsOfTheTasksLength() {
    ObjectMapper j = new ObjectMapper();
    VdafInstance poplar1 = new VdafInstance.Poplar1(4, VdafVersion.DRAFT_08);
    assertEquals("0110", InteropClient.measurement(poplar1, j.valueToTree("0110")));
    assertEquals("1111", InteropClient.measurement(
        new VdafInstance.Poplar1(4, VdafVersion.DRAFT_20), j.valueToTree("1111")));
    for (Object bad : List.of("011", "01101", "0120", 6, List.of("0", "1", "1", "0"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> InteropClient.measurement(poplar1, j.valueToTree(bad)));
      assertTrue(e.getMessage().startsWith("measurement must be a string of 4 characters"),
          e.getMessage());
    }
  }

  private static String aggParam(VdafVersion version, Poplar1AggParam p) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(p.encode(version));
  }

  @Test
  void poplar1CollectionStartTakesTheEncodedAggregationParameter() throws Exception {
    TaskId id = TaskId.random();
    Map<String, Object> task = collectorTask(id);
    task.put("vdaf", Map.of("type", "Poplar1", "bits", "4"));
    assertEquals("success", post(collector, "add_task", task).body().get("status").asText());
    Map<String, Object> query = Map.of("type", 1, "batch_interval_start", 0,
        "batch_interval_duration", 3600);
    assertError(post(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", "", "query", query)), "agg_param is not a Poplar1 aggregation parameter"
        + " of this task: " + decodeProblem(VdafVersion.DRAFT_08, new byte[0]));
    String level4 = aggParam(VdafVersion.DRAFT_08, Poplar1AggParam.of(4, 0));
    assertError(post(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", level4, "query", query)), "agg_param is not a Poplar1 aggregation"
        + " parameter of this task: Poplar1 aggregation parameter: level 4 is not below BITS ="
        + " 4");
    // A well-formed parameter is sent: the leader at port 1 is unreachable, a DAP outcome.
    Answer sent = post(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", aggParam(VdafVersion.DRAFT_08, Poplar1AggParam.of(1, 0, 3)),
        "query", query));
    assertError(sent, null);
    assertTrue(sent.body().get("error").asText().contains("start collection"),
        sent.body().toString());
  }

  @Test
  void dap18Poplar1TaskTakesADraft20AggregationParameterWithSortedPrefixes() throws Exception {
    TaskId id = TaskId.random();
    Map<String, Object> task = dap18CollectorTask(id, 1);
    task.put("vdaf", Map.of("type", "Poplar1", "bits", "4"));
    assertEquals("success", post18(collector, "add_task", task).body().get("status").asText());
    Map<String, Object> query = Map.of("type", 1, "batch_interval_start", 0,
        "batch_interval_duration", 300);
    String unsorted = aggParam(VdafVersion.DRAFT_20, Poplar1AggParam.ofAnyOrder(1,
        List.of(BigInteger.valueOf(2), BigInteger.ONE)));
    assertError(post18(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", unsorted, "query", query)),
        "agg_param's prefixes must be distinct and in increasing order");
    assertError(post18(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", "!", "query", query)), "agg_param is not base64url");
    Answer sent = post18(collector, "collection_start", Map.of("task_id", id.toBase64Url(),
        "agg_param", aggParam(VdafVersion.DRAFT_20, Poplar1AggParam.of(1, 1, 2)),
        "query", query));
    assertError(sent, null);
    assertTrue(sent.body().get("error").asText().contains("start collection"),
        sent.body().toString());
  }

  @Test
  void poplar1UploadsCheckTheBitStringAndAreSent() throws Exception {
    Map<String, Object> m = new HashMap<>();
    m.put("task_id", TaskId.random().toBase64Url());
    m.put("leader", "http://127.0.0.1:1/");
    m.put("helper", "http://127.0.0.1:1/");
    m.put("vdaf", Map.of("type", "Poplar1", "bits", "4"));
    m.put("measurement", "01");
    m.put("time_precision", 300);
    assertError(post(client, "upload", m), "measurement must be a string of 4 characters '0'/'1'"
        + " for Poplar1, got \"01\"");
    m.put("measurement", "0110");
    Answer unreachable = post(client, "upload", m); // no longer refused: the leader is down
    assertError(unreachable, null);
    assertTrue(!unreachable.body().get("error").asText().contains("Poplar1"),
        unreachable.body().toString());
    m.put("leader", "http://127.0.0.1:1/dap-18/");
    m.put("batch_mode", 1);
    m.put("min_batch_size", 1);
    assertError(post18(client, "upload", m), null);
  }

  private static String decodeProblem(VdafVersion version, byte[] encoded) {
    try {
      Poplar1AggParam.decode(version, encoded);
      throw new AssertionError("decoded");
    } catch (io.pando.codec.DecodeException e) {
      return e.getMessage();
    }
  }

  private static void assertError(Answer a, String message) {
    assertEquals(200, a.status(), a.body().toString());
    assertEquals("error", a.body().get("status").asText(), a.body().toString());
    if (message != null) {
      assertEquals(message, a.body().get("error").asText());
    }
  }
}
