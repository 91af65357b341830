package io.pando.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.TaskId;
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

  private static void assertError(Answer a, String message) {
    assertEquals(200, a.status(), a.body().toString());
    assertEquals("error", a.body().get("status").asText(), a.body().toString());
    if (message != null) {
      assertEquals(message, a.body().get("error").asText());
    }
  }
}
