package io.pando.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two aggregators' upload endpoints on loopback, decrypting with the real HPKE and decoding with
 * the real codecs: what a client test needs to see exactly what went over the wire.
 */
final class FakeAggregators implements AutoCloseable {
  /** A received report with both input shares decrypted. */
  record Received(Report report, PlaintextInputShare leader, PlaintextInputShare helper,
      String contentType, byte[] body) {}

  /** Any request as it arrived: method, path, query, a few headers, body length. */
  record Seen(String method, String path, String query, String contentType, String accept,
      int bodyLength) {}

  final TaskId taskId;
  final HttpServer server;
  volatile HpkeKeypair leaderKey;
  final HpkeKeypair helperKey;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger leaderConfigFetches = new AtomicInteger();
  volatile DapProblemType rejectNextWith;
  volatile byte[] leaderConfigOverride;
  /** When set, every upload is answered outdatedConfig. */
  volatile boolean alwaysOutdated;
  /** When set, the next upload is answered with this status and a plain-text body. */
  volatile int plainErrorNext;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  /** When set, the leader signs its config list body with it (ConfigListSignature). */
  volatile java.security.PrivateKey leaderSigningKey;
  /** When set, the leader sends this body with the signature of its honest body. */
  volatile byte[] leaderTamperedBody;

  FakeAggregators(TaskId taskId) throws Exception {
    this.taskId = taskId;
    this.leaderKey = HpkeKeypair.generate(HpkeConfigId.of(1), HpkeSuite.X25519_SHA256_AES128GCM);
    this.helperKey = HpkeKeypair.generate(HpkeConfigId.of(2), HpkeSuite.P256_SHA256_AES128GCM);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/leader/", ex -> handle(ex, true));
    server.createContext("/helper/", ex -> handle(ex, false));
    server.start();
  }

  URI leader() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/leader/");
  }

  /** Requests seen with this method whose path ends with the suffix. */
  long count(String method, String pathSuffix) {
    return seen.stream()
        .filter(x -> x.method().equals(method) && x.path().endsWith(pathSuffix)).count();
  }

  URI helper() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/helper");
  }

  void rotateLeaderKey() throws Exception {
    leaderKey = HpkeKeypair.generate(HpkeConfigId.of(leaderKey.config().id().value() + 1),
        HpkeSuite.X25519_SHA256_AES128GCM);
  }

  private void handle(HttpExchange ex, boolean isLeader) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getQuery();
      byte[] requestBody = readAll(ex.getRequestBody());
      seen.add(new Seen(ex.getRequestMethod(), path, query,
          ex.getRequestHeaders().getFirst("Content-Type"),
          ex.getRequestHeaders().getFirst("Accept"), requestBody.length));
      if (path.endsWith("/hpke_config") && "GET".equals(ex.getRequestMethod())) {
        if (!("task_id=" + taskId.toBase64Url()).equals(query)) {
          problem(ex, DapProblemType.UNRECOGNIZED_TASK);
          return;
        }
        if (isLeader) {
          leaderConfigFetches.incrementAndGet();
        }
        byte[] body = isLeader && leaderConfigOverride != null ? leaderConfigOverride
            : HpkeConfigList.of((isLeader ? leaderKey : helperKey).config()).encode();
        ex.getResponseHeaders().add("Content-Type", MediaTypes.HPKE_CONFIG_LIST);
        if (isLeader && leaderSigningKey != null) {
          ex.getResponseHeaders().add(io.pando.core.hpke.ConfigListSignature.HEADER,
              io.pando.core.hpke.ConfigListSignature.sign(leaderSigningKey, body));
          if (leaderTamperedBody != null) {
            body = leaderTamperedBody;
          }
        }
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      if (isLeader && path.equals("/leader/tasks/" + taskId.toBase64Url() + "/reports")
          && "PUT".equals(ex.getRequestMethod())) {
        byte[] body = requestBody;
        int plain = plainErrorNext;
        if (plain != 0) {
          plainErrorNext = 0;
          byte[] msg = "upstream broke".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain");
          ex.sendResponseHeaders(plain, msg.length);
          ex.getResponseBody().write(msg);
          return;
        }
        if (alwaysOutdated) {
          problem(ex, DapProblemType.OUTDATED_CONFIG);
          return;
        }
        DapProblemType reject = rejectNextWith;
        if (reject != null) {
          rejectNextWith = null;
          problem(ex, reject);
          return;
        }
        Report r = Report.decode(body);
        if (!r.leaderEncryptedInputShare().configId().equals(leaderKey.config().id())) {
          problem(ex, DapProblemType.OUTDATED_CONFIG);
          return;
        }
        byte[] aad = r.inputShareAad(taskId).encode();
        PlaintextInputShare l = PlaintextInputShare.decode(leaderKey.open(
            ApplicationInfo.inputShare(Role.LEADER), r.leaderEncryptedInputShare(), aad));
        PlaintextInputShare h = PlaintextInputShare.decode(helperKey.open(
            ApplicationInfo.inputShare(Role.HELPER), r.helperEncryptedInputShare(), aad));
        received.add(new Received(r, l, h,
            ex.getRequestHeaders().getFirst("Content-Type"), body));
        ex.sendResponseHeaders(201, -1);
        return;
      }
      ex.sendResponseHeaders(404, -1);
    } catch (Exception e) {
      byte[] msg = e.toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, msg.length);
      ex.getResponseBody().write(msg);
    }
  }

  private void problem(HttpExchange ex, DapProblemType type) throws IOException {
    byte[] body = ProblemDocument.of(type, "test", taskId.toBase64Url()).toJson()
        .getBytes(StandardCharsets.UTF_8);
    // With a parameter, which the client must accept as the problem media type.
    ex.getResponseHeaders().add("Content-Type", MediaTypes.PROBLEM_JSON + "; charset=utf-8");
    ex.sendResponseHeaders(type.httpStatus(), body.length);
    ex.getResponseBody().write(body);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
