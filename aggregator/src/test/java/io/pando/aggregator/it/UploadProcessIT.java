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
}
