package io.pando.aggregator.leader;

import io.pando.aggregator.tracing.Tracing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.Task;
import io.pando.core.SecretBytes;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The header the leader puts the aggregator token in (pando.leader.helper-auth-scheme). */
class HelperClientAuthTest {
  private static LeaderConfig config(LeaderConfig.AuthScheme scheme) {
    return new LeaderConfig() {
      public java.time.Duration helperConnectTimeout() {
        return java.time.Duration.ofSeconds(5);
      }

      public java.time.Duration helperRequestTimeout() {
        return java.time.Duration.ofSeconds(5);
      }

      public int staleAfterIntervals() {
        return 3;
      }

      public AuthScheme helperAuthScheme() {
        return scheme;
      }
    };
  }

  private static Task task(URI helper) {
    return new Task(TaskId.random(), Task.Role.LEADER, helper, Task.QueryKind.TIME_INTERVAL,
        Optional.empty(), new VdafInstance.Prio3Count(), SecretBytes.copyOf(new byte[16]), 1,
        Optional.empty(), Optional.empty(), 1, Duration.ofSeconds(3600), Duration.ofSeconds(60),
        Tasks.COLLECTOR_KEY.config(),
        Optional.of(SecretBytes.copyOf("agg-F5dS8aQ2wE6rT9yU".getBytes(StandardCharsets.UTF_8))),
        Optional.empty(), Optional.empty());
  }

  @Test
  void bearerByDefaultAndDapAuthTokenWhenConfigured() throws Exception {
    AtomicReference<String> authorization = new AtomicReference<>();
    AtomicReference<String> dapAuth = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
        dapAuth.set(ex.getRequestHeaders().getFirst("DAP-Auth-Token"));
        ex.sendResponseHeaders(200, -1);
      }
    });
    server.start();
    try {
      URI helper = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      assertInstanceOf(HelperClient.Response.Ok.class,
          new HelperClient(config(LeaderConfig.AuthScheme.BEARER), Tracing.noop())
              .postAggregateShare(task(helper), new byte[0]));
      assertEquals("Bearer agg-F5dS8aQ2wE6rT9yU", authorization.get());
      assertNull(dapAuth.get());

      assertInstanceOf(HelperClient.Response.Ok.class,
          new HelperClient(config(LeaderConfig.AuthScheme.DAP_AUTH_TOKEN), Tracing.noop())
              .postAggregateShare(task(helper), new byte[0]));
      assertEquals("agg-F5dS8aQ2wE6rT9yU", dapAuth.get());
      assertNull(authorization.get());
    } finally {
      server.stop(0);
    }
  }
}
