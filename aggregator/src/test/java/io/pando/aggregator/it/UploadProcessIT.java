package io.pando.aggregator.it;

import io.pando.devstack.AggregatorProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.Tasks;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged aggregator as a real process: provisioned through the admin API, uploaded to with
 * the Java client, counted in Prometheus metrics, and killed and restarted without losing what
 * it had acknowledged.
 */
class UploadProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void uploadsSurviveAKill() throws Exception {
    try (AggregatorProcess leader = Processes.start("leader-upload", Map.of())) {
      TaskId id = TaskId.random();
      var def = Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/");
      var put = leader.admin("PUT", "tasks/" + id.toBase64Url(), JSON.writeValueAsString(def));
      assertEquals(200, put.statusCode(), put.body());

      DapClient<Boolean> client = new DapClient<>(new DapTask<>(id, leader.uri(), leader.uri(),
          Prio3.count(), Duration.ofSeconds(3600)));
      for (int i = 0; i < 25; i++) {
        client.upload(i % 2 == 0);
      }
      assertTrue(leader.get("q/metrics").contains("pando_uploads_total"), "metrics");

      // Every acknowledged upload is durable: kill -9, restart, count.
      leader.kill();
      leader.launch();
      client.upload(true);
      var metrics = JSON.readTree(leader.admin("GET", "tasks/" + id.toBase64Url() + "/metrics",
          null).body());
      assertEquals(26, metrics.get("client_reports").asLong(), metrics.toString());
    }
  }

  /** With PANDO_OTLP_ENDPOINT set, an upload's span reaches that OTLP/HTTP endpoint. */
  @Test
  void spansGoToTheConfiguredOtlpEndpoint() throws Exception {
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    HttpServer otlp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otlp.createContext("/v1/traces", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      received.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type")
          + " " + new String(body, StandardCharsets.ISO_8859_1));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    otlp.start();
    try (AggregatorProcess leader = Processes.start("leader-otlp", Map.of(
        "PANDO_OTLP_ENDPOINT", "http://127.0.0.1:" + otlp.getAddress().getPort()))) {
      TaskId id = TaskId.random();
      var def = Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/");
      assertEquals(200, leader.admin("PUT", "tasks/" + id.toBase64Url(),
          JSON.writeValueAsString(def)).statusCode());
      new DapClient<>(new DapTask<>(id, leader.uri(), leader.uri(), Prio3.count(),
          Duration.ofSeconds(3600))).upload(true);
      String task = id.toBase64Url();
      io.pando.aggregator.Waits.until("an exported upload span", 60, () -> {
        synchronized (received) {
          return received.stream().anyMatch(r -> r.contains(task));
        }
      });
      String export;
      synchronized (received) {
        export = received.stream().filter(r -> r.contains(task)).findFirst().orElseThrow();
      }
      assertTrue(export.startsWith("POST application/x-protobuf "), export.substring(0, 40));
      assertTrue(export.contains("PUT /tasks/{task-id}/reports"), "span name");
      assertTrue(export.contains("pando-aggregator"), "service name");
    } finally {
      otlp.stop(0);
    }
  }
}
