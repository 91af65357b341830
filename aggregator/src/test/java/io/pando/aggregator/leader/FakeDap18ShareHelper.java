package io.pando.aggregator.leader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.aggregator.Tasks;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.dap.messages.AggregateShare;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregateShareAad;
import io.pando.dap.messages.dap18.AggregateShareReq;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in DAP-18 helper for the leader's collection tests, serving only what our helper
 * serves for aggregate shares (draft-ietf-ppm-dap-18 §4.6.4): {@code POST
 * /dap-18/tasks/{task}/aggregate_shares} with an {@code aggregate-share-req} answers 201 with
 * {@code Location: /dap-18/tasks/{task}/aggregate_shares/{id}} and the {@code aggregate-share}
 * (its share sealed to the test collector key with the "dap-18 aggregate share" info and the
 * {@code AggregateShareAad} of the task configuration and the forwarded request), or, when told
 * to defer, an empty body (§3 "Asynchronous Request Handling") that a {@code GET} at the
 * Location then answers. A report count or checksum other than the expected one is {@code
 * batchMismatch}; it can also refuse with a chosen problem type.
 */
final class FakeDap18ShareHelper implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Map<TaskId, ShareTask> tasks = new ConcurrentHashMap<>();

  /** What the helper holds of one task and what it saw. */
  static final class ShareTask {
    final TaskConfiguration configuration;
    final byte[] share;
    final long reportCount;
    final byte[] checksum;
    /** Answer this many POSTs with an empty body first. */
    final AtomicInteger deferPosts = new AtomicInteger();
    volatile DapProblemType refuse;
    final List<byte[]> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> contentTypes = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger gets = new AtomicInteger();
    final Map<String, byte[]> answers = new ConcurrentHashMap<>();

    ShareTask(TaskConfiguration configuration, byte[] share, long reportCount, byte[] checksum) {
      this.configuration = configuration;
      this.share = share.clone();
      this.reportCount = reportCount;
      this.checksum = checksum.clone();
    }
  }

  FakeDap18ShareHelper() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/dap-18/tasks/", this::handle);
    server.start();
  }

  /** The helper's DAP-18 endpoint (ends in {@code /dap-18/}). */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dap-18/");
  }

  /** The helper's side of a task: its encoded share and the batch it expects. */
  ShareTask add(TaskId id, TaskConfiguration configuration, byte[] share, long reportCount,
      byte[] checksum) {
    ShareTask t = new ShareTask(configuration, share, reportCount, checksum);
    tasks.put(id, t);
    return t;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
    ex.close();
  }

  private static void problem(HttpExchange ex, DapProblemType type, TaskId task, String detail)
      throws IOException {
    send(ex, type.httpStatus(), io.pando.dap.messages.MediaTypes.PROBLEM_JSON,
        ProblemDocument.of(type, detail, task.toBase64Url()).toJson()
            .getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      // "", "dap-18", "tasks", task, "aggregate_shares" [, id]
      String[] parts = ex.getRequestURI().getPath().split("/");
      if (parts.length < 5 || parts.length > 6 || !parts[4].equals("aggregate_shares")) {
        send(ex, 404, null, new byte[0]);
        return;
      }
      TaskId taskId = TaskId.fromBase64Url(parts[3]);
      ShareTask task = tasks.get(taskId);
      if (task == null) {
        problem(ex, DapProblemType.UNRECOGNIZED_TASK, taskId, "unknown task");
        return;
      }
      if (!("Bearer " + Tasks.AGGREGATOR_TOKEN).equals(
          ex.getRequestHeaders().getFirst("Authorization"))) {
        send(ex, 401, null, new byte[0]);
        return;
      }
      if (parts.length == 6 && ex.getRequestMethod().equals("GET")) {
        task.gets.incrementAndGet();
        byte[] answer = task.answers.get(parts[5]);
        if (answer == null) {
          send(ex, 404, null, new byte[0]);
        } else {
          send(ex, 200, MediaTypes.AGGREGATE_SHARE, answer);
        }
        return;
      }
      if (parts.length != 5 || !ex.getRequestMethod().equals("POST")) {
        send(ex, 405, null, new byte[0]);
        return;
      }
      post(ex, taskId, task, ex.getRequestBody().readAllBytes());
    } catch (RuntimeException e) {
      send(ex, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private void post(HttpExchange ex, TaskId taskId, ShareTask task, byte[] body)
      throws IOException {
    String contentType = ex.getRequestHeaders().getFirst("Content-Type");
    task.contentTypes.add(contentType);
    task.requests.add(body.clone());
    if (!MediaTypes.is(contentType, MediaTypes.Message.AGGREGATE_SHARE_REQ)) {
      send(ex, 415, null, new byte[0]);
      return;
    }
    if (task.refuse != null) {
      problem(ex, task.refuse, taskId, "injected refusal");
      return;
    }
    AggregateShareReq req;
    try {
      req = AggregateShareReq.decode(body);
    } catch (DecodeException e) {
      problem(ex, DapProblemType.INVALID_MESSAGE, taskId, e.getMessage());
      return;
    }
    if (req.reportCount() != task.reportCount
        || !Arrays.equals(req.checksum().bytes(), task.checksum)) {
      problem(ex, DapProblemType.BATCH_MISMATCH, taskId, "the helper counts "
          + task.reportCount + " reports");
      return;
    }
    String id = b64(Arrays.copyOf(FakeHelper.sha256(body), 16));
    byte[] answer;
    try {
      byte[] aad = new AggregateShareAad(taskId, task.configuration, req.collectionJobReq())
          .encode();
      answer = new AggregateShare(Hpke.sealer(Tasks.COLLECTOR_KEY.config()).seal(
          ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER), task.share, aad))
          .encode();
    } catch (HpkeException e) {
      throw new IllegalStateException(e);
    }
    task.answers.putIfAbsent(id, answer);
    ex.getResponseHeaders().set("Location",
        "/dap-18/tasks/" + taskId.toBase64Url() + "/aggregate_shares/" + id);
    if (task.deferPosts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      ex.getResponseHeaders().set("Retry-After", "0");
      send(ex, 201, null, new byte[0]);
      return;
    }
    send(ex, 201, MediaTypes.AGGREGATE_SHARE, task.answers.get(id));
  }
}
