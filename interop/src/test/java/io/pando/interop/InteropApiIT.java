package io.pando.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A whole run driven through the DAP interop test API alone, as the draft's test runner does
 * ("Test Runner Operation"): {@code bin/pando interop-aggregator} twice (leader and helper, each
 * with its own PostgreSQL and Kafka), {@code interop-collector} and {@code interop-client}, all
 * separate processes on their own ports; endpoint_for_task and add_task everywhere, uploads
 * through the client, collection_start and collection_poll until complete, and exact results.
 * Time-interval tasks for five VDAFs and a fixed-size task; in the same run DAP-18 tasks, one
 * time_interval and one leader_selected, driven through the same commands under {@code
 * /dap-18/internal/test/} (docs/INTEROP.md "DAP-18 tasks"); and a DAP-09 and a DAP-18 Poplar1
 * task, collected at two levels with agg_param. Then every process is stopped with
 * SIGTERM and must leave no process and no listening port behind.
 */
class InteropApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long TIME_PRECISION = 300;
  private static final String DAP09 = "/internal/test/";
  private static final String DAP18 = "/dap-18/internal/test/";

  /** One task: its VDAF object, query type, measurements and the expected poll answer. */
  record Case(Map<String, String> vdaf, int queryType, List<Object> measurements,
      Object result) {}

  static List<Case> cases() {
    return List.of(
        new Case(Map.of("type", "Prio3Count"), 1, List.of("1", "0", "1", "1", "1"), "4"),
        new Case(Map.of("type", "Prio3Sum", "bits", "8"), 1, List.of("255", "3", "10"), "268"),
        new Case(Map.of("type", "Prio3SumVec", "bits", "4", "length", "3", "chunk_length", "2"),
            1, List.of(List.of("1", "2", "3"), List.of("15", "0", "7")),
            List.of("16", "2", "10")),
        new Case(Map.of("type", "Prio3SumVecField64MultiproofHmacSha256Aes128", "proofs", "3",
            "bits", "2", "length", "4", "chunk_length", "2"), 1,
            List.of(List.of("3", "0", "1", "2"), List.of("1", "1", "1", "1"),
                List.of("0", "0", "0", "3")),
            List.of("4", "1", "2", "6")),
        new Case(Map.of("type", "Prio3MultihotCountVec", "length", "4", "max_weight", "2",
            "chunk_length", "2"), 1,
            List.of(List.of("1", "0", "1", "0"), List.of("0", "0", "1", "1")),
            List.of("1", "0", "2", "1")),
        new Case(Map.of("type", "Prio3Histogram", "length", "4", "chunk_length", "2"), 2,
            List.of("0", "3", "3", "1"), List.of("1", "1", "0", "2")));
  }

  /**
   * A DAP-18 task: its draft-20 VDAF object, batch mode, task_info (null: the default),
   * measurements and the expected poll answer.
   */
  record Dap18Case(Map<String, String> vdaf, int batchMode, String taskInfo,
      List<Object> measurements, Object result) {}

  static List<Dap18Case> dap18Cases() {
    return List.of(
        new Dap18Case(Map.of("type", "Prio3Sum", "max_measurement", "300"), 1, null,
            List.of("255", "3", "10", "300"), "568"),
        new Dap18Case(Map.of("type", "Prio3Histogram", "length", "4", "chunk_length", "2"), 2,
            b64("interop-it leader_selected".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            List.of("2", "3", "2"), List.of("0", "0", "2", "1")));
  }

  record Started(String name, Process process, int port, Path log) {}

  @Test
  void aFullRunThroughTheInteropApi() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path logs = Path.of("target", "interop-it").toAbsolutePath();
    Files.createDirectories(logs);
    List<Started> all = new ArrayList<>();
    try {
      for (String name : List.of("interop-aggregator", "interop-aggregator",
          "interop-collector", "interop-client")) {
        int port = freePort();
        Path log = logs.resolve(name + "-" + port + ".log");
        Process p = new ProcessBuilder(root.resolve("bin/pando").toString(), name,
            "--port", Integer.toString(port))
            .directory(root.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        all.add(new Started(name, p, port, log));
      }
      for (Started s : all) {
        awaitReady(s);
      }
      run(all.get(0).port(), all.get(1).port(), all.get(2).port(), all.get(3).port());
    } finally {
      stopAll(all);
    }
  }

  private void run(int leader, int helper, int collector, int client) throws Exception {
    long now = Instant.now().getEpochSecond();
    long start = Math.floorDiv(now, TIME_PRECISION) * TIME_PRECISION;
    List<String> handles = new ArrayList<>();
    for (Case c : cases()) {
      String taskId = b64(random(32));
      String leaderUrl = success(post(leader, "endpoint_for_task", Map.of("task_id", taskId,
          "role", "leader", "hostname", "127.0.0.1"))).get("endpoint").asText();
      String helperUrl = success(post(helper, "endpoint_for_task", Map.of("task_id", taskId,
          "role", "helper", "hostname", "127.0.0.1"))).get("endpoint").asText();
      assertEquals("http://127.0.0.1:" + leader + "/", leaderUrl);
      String hpkeConfig = success(post(collector, "add_task", Map.of("task_id", taskId,
          "leader", leaderUrl, "vdaf", c.vdaf(), "collector_authentication_token",
          "collector-M3nB8vC5xZ1qW7eR", "query_type", c.queryType()))).get("collector_hpke_config")
          .asText();
      byte[] verifyKey = random(c.vdaf().get("type").contains("Multiproof") ? 32 : 16);
      for (String role : List.of("leader", "helper")) {
        Map<String, Object> task = new HashMap<>();
        task.put("task_id", taskId);
        task.put("leader", leaderUrl);
        task.put("helper", helperUrl);
        task.put("vdaf", c.vdaf());
        task.put("leader_authentication_token", "leader-H6jK9lP2oI5uY8tR");
        if (role.equals("leader")) {
          task.put("collector_authentication_token", "collector-M3nB8vC5xZ1qW7eR");
        }
        task.put("role", role);
        task.put("vdaf_verify_key", b64(verifyKey));
        task.put("max_batch_query_count", 1);
        task.put("query_type", c.queryType());
        task.put("min_batch_size", c.measurements().size());
        if (c.queryType() == 2) {
          task.put("max_batch_size", c.measurements().size());
        }
        task.put("time_precision", TIME_PRECISION);
        task.put("collector_hpke_config", hpkeConfig);
        task.put("task_expiration", now + 86_400);
        success(post(role.equals("leader") ? leader : helper, "add_task", task));
      }
      for (Object m : c.measurements()) {
        success(post(client, "upload", Map.of("task_id", taskId, "leader", leaderUrl,
            "helper", helperUrl, "vdaf", c.vdaf(), "measurement", m, "time", now,
            "time_precision", TIME_PRECISION)));
      }
      Map<String, Object> query = c.queryType() == 1
          ? Map.of("type", 1, "batch_interval_start", start,
              "batch_interval_duration", TIME_PRECISION)
          : Map.of("type", 2, "subtype", 1);
      handles.add(success(post(collector, "collection_start", Map.of("task_id", taskId,
          "agg_param", "", "query", query))).get("handle").asText());
    }
    List<String> dap18Handles = startDap18(leader, helper, collector, client, now, start);
    Map<String, String> poplar1Tasks = addPoplar1Tasks(leader, helper, collector, client, now);
    for (int i = 0; i < handles.size(); i++) {
      Case c = cases().get(i);
      JsonNode done = poll(collector, handles.get(i), c.vdaf().get("type"));
      String what = c.vdaf().get("type") + ": " + done;
      assertEquals(JSON.valueToTree(c.result()), done.get("result"), what);
      assertEquals(c.measurements().size(), done.get("report_count").asLong(), what);
      assertEquals(start, done.get("interval_start").asLong(), what);
      assertEquals(TIME_PRECISION, done.get("interval_duration").asLong(), what);
      if (c.queryType() == 2) {
        assertEquals(32, Base64.getUrlDecoder().decode(done.get("batch_id").asText()).length,
            what);
      } else {
        assertFalse(done.has("batch_id"), what);
      }
    }
    for (int i = 0; i < dap18Handles.size(); i++) {
      Dap18Case c = dap18Cases().get(i);
      String what = "DAP-18 " + c.vdaf().get("type") + " batch_mode " + c.batchMode();
      JsonNode done = poll(collector, DAP18, dap18Handles.get(i), what);
      what += ": " + done;
      assertEquals(JSON.valueToTree(c.result()), done.get("result"), what);
      assertEquals(c.measurements().size(), done.get("report_count").asLong(), what);
      assertEquals(start, done.get("interval_start").asLong(), what);
      assertEquals(TIME_PRECISION, done.get("interval_duration").asLong(), what);
      assertFalse(done.has("batch_id"), what);
    }
    collectPoplar1(collector, poplar1Tasks, start);
  }

  /** The Poplar1 measurements (4 bits, '0'/'1' strings) of both Poplar1 tasks. */
  static final List<String> POPLAR1_MEASUREMENTS = List.of("0110", "0111", "1100", "0101");

  /**
   * Adds a DAP-09 and a DAP-18 Poplar1 task (4 bits, time interval, two collections of the batch
   * allowed) through the test API and uploads {@link #POPLAR1_MEASUREMENTS} to each; answers
   * each task's id by API prefix.
   */
  private Map<String, String> addPoplar1Tasks(int leader, int helper, int collector, int client,
      long now) throws Exception {
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, String> vdaf = Map.of("type", "Poplar1", "bits", "4");
    for (String prefix : List.of(DAP09, DAP18)) {
      boolean dap18 = prefix.equals(DAP18);
      String taskId = b64(random(32));
      ids.put(prefix, taskId);
      String leaderUrl = success(post(leader, prefix, "endpoint_for_task", Map.of("task_id",
          taskId, "role", "leader", "hostname", "127.0.0.1"))).get("endpoint").asText();
      String helperUrl = success(post(helper, prefix, "endpoint_for_task", Map.of("task_id",
          taskId, "role", "helper", "hostname", "127.0.0.1"))).get("endpoint").asText();
      Map<String, Object> common = new HashMap<>();
      common.put("leader", leaderUrl);
      common.put("vdaf", vdaf);
      common.put("task_id", taskId);
      if (dap18) {
        common.put("helper", helperUrl);
        common.put("time_precision", TIME_PRECISION);
        common.put("batch_mode", 1);
        common.put("min_batch_size", POPLAR1_MEASUREMENTS.size());
      }
      Map<String, Object> collectorTask = new HashMap<>(common);
      collectorTask.put("collector_authentication_token", "collector-P1pL4rT0kEn9xY2w");
      if (!dap18) {
        collectorTask.put("query_type", 1);
      }
      String hpkeConfig = success(post(collector, prefix, "add_task", collectorTask))
          .get("collector_hpke_config").asText();
      byte[] verifyKey = random(dap18 ? 32 : 16); // Poplar1's VERIFY_KEY_SIZE, draft-20 / -08
      for (String role : List.of("leader", "helper")) {
        Map<String, Object> task = new HashMap<>(common);
        task.put("helper", helperUrl);
        task.put("leader_authentication_token", "leader-P1pL4rL3aD7qW5e");
        if (role.equals("leader")) {
          task.put("collector_authentication_token", "collector-P1pL4rT0kEn9xY2w");
        }
        task.put("role", role);
        task.put("vdaf_verify_key", b64(verifyKey));
        task.put("max_batch_query_count", 2); // two levels are collected
        task.put("collector_hpke_config", hpkeConfig);
        if (!dap18) {
          task.put("query_type", 1);
          task.put("min_batch_size", POPLAR1_MEASUREMENTS.size());
          task.put("time_precision", TIME_PRECISION);
          task.put("task_expiration", now + 86_400);
        }
        success(post(role.equals("leader") ? leader : helper, prefix, "add_task", task));
      }
      for (String m : POPLAR1_MEASUREMENTS) {
        Map<String, Object> upload = new HashMap<>(common);
        upload.put("helper", helperUrl);
        upload.put("time_precision", TIME_PRECISION);
        upload.put("measurement", m);
        upload.put("time", now);
        success(post(client, prefix, "upload", upload));
      }
    }
    return ids;
  }

  /**
   * Collects both Poplar1 tasks' batch at level 0 (prefixes 0, 1) and then level 2 (prefixes
   * 010, 011, 110), each agg_param the encoded aggregation parameter of the task's VDAF draft
   * (draft-08 for DAP-09, draft-20 for DAP-18), and checks the prefix counts.
   */
  private static void collectPoplar1(int collector, Map<String, String> taskIds, long start)
      throws Exception {
    record Level(Poplar1AggParam param, List<String> counts) {}
    List<Level> levels = List.of(
        new Level(Poplar1AggParam.of(0, 0b0, 0b1), List.of("3", "1")),
        new Level(Poplar1AggParam.of(2, 0b010, 0b011, 0b110), List.of("1", "2", "1")));
    Map<String, Object> query = Map.of("type", 1, "batch_interval_start", start,
        "batch_interval_duration", TIME_PRECISION);
    for (Level level : levels) {
      Map<String, String> handles = new LinkedHashMap<>();
      for (Map.Entry<String, String> t : taskIds.entrySet()) {
        VdafVersion version = t.getKey().equals(DAP18) ? VdafVersion.DRAFT_20
            : VdafVersion.DRAFT_08;
        handles.put(t.getKey(), success(post(collector, t.getKey(), "collection_start",
            Map.of("task_id", t.getValue(), "agg_param", b64(level.param().encode(version)),
                "query", query))).get("handle").asText());
      }
      for (Map.Entry<String, String> h : handles.entrySet()) {
        String what = h.getKey() + " Poplar1 level " + level.param().level();
        JsonNode done = poll(collector, h.getKey(), h.getValue(), what);
        what += ": " + done;
        assertEquals(JSON.valueToTree(level.counts()), done.get("result"), what);
        assertEquals(POPLAR1_MEASUREMENTS.size(), done.get("report_count").asLong(), what);
        assertEquals(start, done.get("interval_start").asLong(), what);
      }
    }
  }

  /**
   * Adds, uploads to and starts collecting the DAP-18 tasks through {@code
   * /dap-18/internal/test/} alone; answers the collection handles.
   */
  private List<String> startDap18(int leader, int helper, int collector, int client, long now,
      long start) throws Exception {
    List<String> handles = new ArrayList<>();
    for (Dap18Case c : dap18Cases()) {
      String taskId = b64(random(32));
      String leaderUrl = success(post(leader, DAP18, "endpoint_for_task", Map.of("task_id",
          taskId, "role", "leader", "hostname", "127.0.0.1"))).get("endpoint").asText();
      String helperUrl = success(post(helper, DAP18, "endpoint_for_task", Map.of("task_id",
          taskId, "role", "helper", "hostname", "127.0.0.1"))).get("endpoint").asText();
      assertEquals("http://127.0.0.1:" + leader + "/dap-18/", leaderUrl);
      assertEquals("http://127.0.0.1:" + helper + "/dap-18/", helperUrl);
      // What goes into the TaskConfiguration, the same for every participant.
      Map<String, Object> configuration = new HashMap<>();
      configuration.put("leader", leaderUrl);
      configuration.put("helper", helperUrl);
      configuration.put("vdaf", c.vdaf());
      configuration.put("time_precision", TIME_PRECISION);
      configuration.put("batch_mode", c.batchMode());
      configuration.put("min_batch_size", c.measurements().size());
      if (c.taskInfo() != null) {
        configuration.put("task_info", c.taskInfo());
      }
      Map<String, Object> collectorTask = new HashMap<>(configuration);
      collectorTask.put("task_id", taskId);
      collectorTask.put("collector_authentication_token", "collector-Q8wE2rT6yU0iO4pA");
      String hpkeConfig = success(post(collector, DAP18, "add_task", collectorTask))
          .get("collector_hpke_config").asText();
      byte[] verifyKey = random(32);
      for (String role : List.of("leader", "helper")) {
        Map<String, Object> task = new HashMap<>(configuration);
        task.put("task_id", taskId);
        task.put("leader_authentication_token", "leader-Z5xC7vB9nM1aS3dF");
        if (role.equals("leader")) {
          task.put("collector_authentication_token", "collector-Q8wE2rT6yU0iO4pA");
        }
        task.put("role", role);
        task.put("vdaf_verify_key", b64(verifyKey));
        task.put("max_batch_query_count", 1);
        task.put("collector_hpke_config", hpkeConfig);
        success(post(role.equals("leader") ? leader : helper, DAP18, "add_task", task));
      }
      for (Object m : c.measurements()) {
        Map<String, Object> upload = new HashMap<>(configuration);
        upload.put("task_id", taskId);
        upload.put("measurement", m);
        upload.put("time", now);
        success(post(client, DAP18, "upload", upload));
      }
      Map<String, Object> query = c.batchMode() == 1
          ? Map.of("type", 1, "batch_interval_start", start,
              "batch_interval_duration", TIME_PRECISION)
          : Map.of("type", 2, "subtype", 1);
      handles.add(success(post(collector, DAP18, "collection_start", Map.of("task_id", taskId,
          "agg_param", "", "query", query))).get("handle").asText());
    }
    return handles;
  }

  private static JsonNode poll(int collector, String handle, String what) throws Exception {
    return poll(collector, DAP09, handle, what);
  }

  private static JsonNode poll(int collector, String prefix, String handle, String what)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      JsonNode r = post(collector, prefix, "collection_poll", Map.of("handle", handle));
      switch (r.get("status").asText()) {
        case "complete" -> {
          return r;
        }
        case "in progress" -> Thread.sleep(500);
        default -> fail(what + ": collection_poll answered " + r);
      }
    }
    throw new AssertionError(what + ": collection not complete after 3 minutes");
  }

  private static JsonNode success(JsonNode r) {
    assertEquals("success", r.get("status").asText(), r.toString());
    return r;
  }

  private static JsonNode post(int port, String command, Map<String, ?> body) throws Exception {
    return post(port, DAP09, command, body);
  }

  private static JsonNode post(int port, String prefix, String command, Map<String, ?> body)
      throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + prefix + command))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), command + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private static void awaitReady(Started s) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      if (!s.process().isAlive()) {
        fail(s.name() + " exited with " + s.process().exitValue() + ":\n"
            + Files.readString(s.log()));
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + s.port() + "/internal/test/ready"))
            .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    fail(s.name() + " not ready after 5 minutes:\n" + Files.readString(s.log()));
  }

  /** SIGTERM to each command; it must exit, with its children, and free its port. */
  private static void stopAll(List<Started> all) throws Exception {
    Map<Started, List<ProcessHandle>> children = new LinkedHashMap<>();
    for (Started s : all) {
      children.put(s, s.process().descendants().toList());
      s.process().destroy();
    }
    List<String> problems = new ArrayList<>();
    for (Started s : all) {
      if (!s.process().waitFor(90, TimeUnit.SECONDS)) {
        problems.add(s.name() + " on " + s.port() + " did not stop on SIGTERM");
        s.process().destroyForcibly();
      }
    }
    for (Map.Entry<Started, List<ProcessHandle>> e : children.entrySet()) {
      for (ProcessHandle h : e.getValue()) {
        if (h.isAlive()) {
          problems.add(e.getKey().name() + " left process " + h.pid() + " "
              + h.info().command().orElse("?"));
          h.destroyForcibly();
        }
      }
      if (!portFree(e.getKey().port())) {
        problems.add(e.getKey().name() + " left port " + e.getKey().port() + " listening");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
