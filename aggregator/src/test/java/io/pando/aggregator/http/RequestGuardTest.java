package io.pando.aggregator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task endpoints answer from the request's head: each request below declares a body and
 * never sends it, so an answer proves the body was not waited for. Unknown task, wrong role,
 * missing or wrong token, and a declared length above what the task's VDAF can need are each
 * refused with their problem document.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class RequestGuardTest {
  @Inject TaskService tasks;

  @TestHTTPResource("/")
  URI self;

  private TaskId helper;
  private TaskId leader;

  @BeforeEach
  void tasks() {
    helper = TaskId.random();
    tasks.put(Tasks.definition(helper, "helper", Map.of("type", "Prio3Count"),
        "http://leader.invalid/"));
    leader = TaskId.random();
    tasks.put(Tasks.leader(leader, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
  }

  private String job() {
    return "/tasks/" + helper.toBase64Url() + "/aggregation_jobs/"
        + AggregationJobId.random().toBase64Url();
  }

  private String collection() {
    return "/tasks/" + leader.toBase64Url() + "/collection_jobs/"
        + CollectionJobId.random().toBase64Url();
  }

  @Test
  void aWrongOrMissingTokenIsRefusedBeforeTheBody() throws Exception {
    for (String token : new String[] {null, "not-the-aggregator-G7kP2xQ9rT4vW8nZ"}) {
      assertProblem(head("PUT", job(), MediaTypes.AGGREGATION_JOB_INIT_REQ, token, 10_000_000),
          403, DapProblemType.UNAUTHORIZED_REQUEST);
      assertProblem(head("POST", "/tasks/" + helper.toBase64Url() + "/aggregate_shares",
          MediaTypes.AGGREGATE_SHARE_REQ, token, 100), 403, DapProblemType.UNAUTHORIZED_REQUEST);
    }
    // The collector's token is not the aggregator's, and the other way round.
    assertProblem(head("PUT", job(), MediaTypes.AGGREGATION_JOB_INIT_REQ, Tasks.COLLECTOR_TOKEN,
        100), 403, DapProblemType.UNAUTHORIZED_REQUEST);
    assertProblem(head("PUT", collection(), MediaTypes.COLLECT_REQ, Tasks.AGGREGATOR_TOKEN, 100),
        403, DapProblemType.UNAUTHORIZED_REQUEST);
    assertProblem(head("POST", collection(), null, null, 0), 403,
        DapProblemType.UNAUTHORIZED_REQUEST);
  }

  @Test
  void aTaskInTheOtherRoleOrUnknownIsUnrecognized() throws Exception {
    assertProblem(head("PUT", "/tasks/" + helper.toBase64Url() + "/reports", MediaTypes.REPORT,
        null, 100), 400, DapProblemType.UNRECOGNIZED_TASK);
    assertProblem(head("PUT", "/tasks/" + TaskId.random().toBase64Url() + "/reports",
        MediaTypes.REPORT, null, 100), 400, DapProblemType.UNRECOGNIZED_TASK);
    assertProblem(head("PUT", "/tasks/" + leader.toBase64Url() + "/aggregation_jobs/"
        + AggregationJobId.random().toBase64Url(), MediaTypes.AGGREGATION_JOB_INIT_REQ,
        Tasks.AGGREGATOR_TOKEN, 100), 400, DapProblemType.UNRECOGNIZED_TASK);
    assertProblem(head("PUT", "/tasks/AAAA/reports", MediaTypes.REPORT, null, 100), 400,
        DapProblemType.INVALID_MESSAGE);
  }

  @Test
  void aDeclaredLengthAboveWhatTheVdafNeedsIs413() throws Exception {
    assertStatus(head("PUT", job(), MediaTypes.AGGREGATION_JOB_INIT_REQ, Tasks.AGGREGATOR_TOKEN,
        16L << 20), 413);
    assertStatus(head("POST", "/tasks/" + helper.toBase64Url() + "/aggregate_shares",
        MediaTypes.AGGREGATE_SHARE_REQ, Tasks.AGGREGATOR_TOKEN, 5000), 413);
    assertStatus(head("PUT", collection(), MediaTypes.COLLECT_REQ, Tasks.COLLECTOR_TOKEN, 5000),
        413);
    // An upload's bound is a real report's length plus the slack of the longest KEM's
    // encapsulated key (133 bytes, X25519's is 32) in each of the two ciphertexts.
    DapClient<Boolean> client = new DapClient<>(new DapTask<>(leader, self, self, Prio3.count(),
        Duration.ofSeconds(3600)));
    int honest = client.prepareReport(true, Instant.now()).encode().length;
    String reports = "/tasks/" + leader.toBase64Url() + "/reports";
    String answer = head("PUT", reports, MediaTypes.REPORT, null, honest + 2 * (133 - 32) + 1);
    assertStatus(answer, 413);
    assertTrue(answer.contains("Prio3Count"), answer);
  }

  private static void assertStatus(String response, int status) {
    assertTrue(response.startsWith("HTTP/1.1 " + status + " "), response);
    assertTrue(response.contains("application/problem+json"), response);
  }

  private static void assertProblem(String response, int status, DapProblemType type) {
    assertStatus(response, status);
    assertTrue(response.contains("\"" + type.uri() + "\""), response);
  }

  /**
   * Sends only the head of a request declaring {@code length} body bytes (none sent) and
   * returns the response, status line to body, read until the server closes or the problem
   * document is complete.
   */
  private String head(String method, String path, String type, String token, long length)
      throws Exception {
    try (Socket s = new Socket(self.getHost(), self.getPort())) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
          .append("Host: ").append(self.getHost()).append("\r\n")
          .append("Content-Length: ").append(length).append("\r\n");
      if (type != null) {
        req.append("Content-Type: ").append(type).append("\r\n");
      }
      if (token != null) {
        req.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        got.write(buf, 0, n);
        String text = got.toString(StandardCharsets.UTF_8);
        int bodyAt = text.indexOf("\r\n\r\n");
        if (bodyAt > 0 && text.trim().endsWith("}")) {
          break;
        }
      }
      String text = got.toString(StandardCharsets.UTF_8);
      assertEquals(false, text.isEmpty(), "no answer to " + method + " " + path);
      return text;
    }
  }
}
