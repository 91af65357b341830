package io.pando.aggregator;

import static io.pando.aggregator.Management.admin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.core.taskprov.Taskprov;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.taskprov.DpConfig;
import io.pando.dap.messages.taskprov.QueryConfig;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.dap.messages.taskprov.VdafConfig;
import io.pando.dap.messages.taskprov.VdafType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leader's side of draft-wang-ppm-dap-taskprov-06 in one process: an upload with the
 * TaskConfig provisions a leader task with the helper peer's tokens and the derived verify key;
 * a later report without the taskprov extension is refused.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class TaskprovUploadTest {
  static final String HELPER_URL = "https://helper.upload-taskprov.test/";
  static final byte[] VERIFY_KEY_INIT = new byte[32];

  static {
    new SecureRandom().nextBytes(VERIFY_KEY_INIT);
  }

  @TestHTTPResource("/")
  URI self;

  @Inject TaskService tasks;

  private static void configurePeer() {
    Map<String, Object> peer = new LinkedHashMap<>();
    peer.put("endpoint", HELPER_URL);
    peer.put("role", "helper");
    peer.put("verify_key_init", Tasks.b64(VERIFY_KEY_INIT));
    peer.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    peer.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    peer.put("collector_auth_token", Tasks.COLLECTOR_TOKEN);
    admin().contentType("application/json").body(peer)
        .post("/admin/taskprov/peer_aggregators").then().statusCode(200);
  }

  private TaskConfig freshConfig() {
    byte[] info = new byte[8];
    new SecureRandom().nextBytes(info);
    return new TaskConfig(info, self.toString(), HELPER_URL,
        QueryConfig.timeInterval(Duration.ofSeconds(3600), 1, 1),
        Time.ofSeconds(System.currentTimeMillis() / 1000 + 86400),
        new VdafConfig(DpConfig.NO_DP, new VdafType.Prio3Sum(8)));
  }

  /** A collection request with the header provisions too, with the peer's collector token. */
  @Test
  void aCollectionRequestProvisionsWithThePeersCollectorTokenOnly() throws Exception {
    configurePeer();
    TaskConfig config = freshConfig();
    Query<?> query = Query.timeInterval(Interval.of(0, 3600));
    Collector<java.math.BigInteger> wrong = Collector.taskprov(config,
        "not-the-collector-Xc4Vb7Nm1Qa", Tasks.COLLECTOR_KEY, Prio3.sum(8));
    CollectorException e = assertThrows(CollectorException.class, () -> wrong.start(query));
    assertEquals(DapProblemType.UNAUTHORIZED_REQUEST, e.problemType().orElse(null),
        e.getMessage());
    tasks.invalidate(config.taskId());
    assertTrue(tasks.get(config.taskId()).isEmpty());

    Collector<java.math.BigInteger> right = Collector.taskprov(config, Tasks.COLLECTOR_TOKEN,
        Tasks.COLLECTOR_KEY, Prio3.sum(8));
    right.start(query);
    Task task = tasks.get(config.taskId()).orElseThrow();
    assertTrue(task.isTaskprov());
    assertEquals(Task.Role.LEADER, task.role());
  }

  @Test
  void anUploadProvisionsTheLeaderTaskAndItsReportsNeedTheExtension() throws Exception {
    configurePeer();
    TaskConfig config = freshConfig();
    // This process is the helper too as far as the client is concerned: it serves both
    // HPKE configs, and the leader never opens the helper's share.
    DapTask<Long> tp = new DapTask<>(config.taskId(), self, self, Prio3.sum(8),
        Duration.ofSeconds(3600), null, null, java.util.Optional.of(config));
    new DapClient<>(tp).upload(200L);

    Task task = tasks.get(config.taskId()).orElseThrow();
    assertTrue(task.isTaskprov());
    assertEquals(Task.Role.LEADER, task.role());
    assertEquals(URI.create(HELPER_URL), task.peerEndpoint());
    assertArrayEquals(Tasks.AGGREGATOR_TOKEN.getBytes(),
        task.aggregatorAuthToken().orElseThrow().reveal());
    assertArrayEquals(Taskprov.deriveVerifyKey(VERIFY_KEY_INIT, config.taskId(), 16).reveal(),
        task.verifyKey().reveal());
    assertArrayEquals(config.encode(), task.taskprovConfig().orElseThrow());

    // Same task, reports without the taskprov extension (and without the header): refused.
    DapClient<Long> plain = new DapClient<>(new DapTask<>(config.taskId(), self, self,
        Prio3.sum(8), Duration.ofSeconds(3600)));
    DapClientException e = assertThrows(DapClientException.class, () -> plain.upload(1L));
    assertEquals(DapProblemType.INVALID_MESSAGE, e.problemType().orElse(null), e.getMessage());
    // The collector token of the peer is the task's.
    assertFalse(task.collectorAuthTokenHash().isEmpty());
    assertArrayEquals(io.pando.aggregator.task.AuthTokens.hash(Tasks.COLLECTOR_TOKEN),
        task.collectorAuthTokenHash().get());
  }
}
