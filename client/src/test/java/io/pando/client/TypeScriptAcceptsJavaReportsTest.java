package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports from {@link DapClient} are accepted by the decoding, decryption and Prio3 code of the
 * TypeScript client {@code @divviup/dap} 0.9.1: uploads are captured from a loopback fake
 * aggregator pair, written as fixtures in the format of interop/fixtures/dap09-ts, and checked by
 * {@code interop/dap-ts/verify.mjs} (the same verifier as for the TypeScript client's own
 * uploads). A copy with one tampered report byte must fail the same check.
 *
 * <p>Skipped when {@code node} is not on the PATH; installs interop/dap-ts/node_modules with
 * {@code interop/dap-ts/install.sh} when it is missing or outdated.
 */
class TypeScriptAcceptsJavaReportsTest {
  private static final String FORMAT = "pando-dap09-ts-fixture/1";
  private static final long TIME_PRECISION = 3600;
  /** Report i is uploaded with time {@code BASE_TIME + 1234 + 977 * i}, as in the TS fixtures. */
  private static final long BASE_TIME = 1_719_878_400L;
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One VDAF with its client spec (as @divviup/dap names it), measurements and their total. */
  private record Case<M>(String name, Prio3<M, ?> vdaf, String clientSpec, String parameters,
      List<M> measurements, Function<List<M>, Object> aggregate) {}

  private static final List<Case<?>> CASES = List.of(
      new Case<>("prio3count", Prio3.count(), "{\"type\":\"count\"}", "{}",
          List.of(true, false, true, true, false),
          ms -> ms.stream().filter(m -> m).count()),
      new Case<>("prio3sum", Prio3.sum(8), "{\"type\":\"sum\",\"bits\":8}", "{\"bits\":8}",
          List.of(0L, 1L, 42L, 200L, 255L),
          ms -> ms.stream().mapToLong(Long::longValue).sum()),
      new Case<>("prio3sumvec", Prio3.sumVec(4, 2, 2),
          "{\"type\":\"sumVec\",\"length\":4,\"bits\":2,\"chunkLength\":2}",
          "{\"length\":4,\"bits\":2,\"chunk_length\":2}",
          List.of(List.of(0L, 1L, 2L, 3L), List.of(3L, 3L, 3L, 3L), List.of(0L, 0L, 0L, 0L),
              List.of(1L, 0L, 2L, 1L), List.of(2L, 2L, 1L, 0L)),
          ms -> IntStream.range(0, 4)
              .mapToObj(i -> ms.stream().mapToLong(m -> m.get(i)).sum()).toList()),
      new Case<>("prio3histogram", Prio3.histogram(4, 2),
          "{\"type\":\"histogram\",\"length\":4,\"chunkLength\":2}",
          "{\"length\":4,\"chunk_length\":2}",
          List.of(0, 1, 3, 3, 2),
          ms -> IntStream.range(0, 4)
              .mapToObj(i -> ms.stream().filter(m -> m == i).count()).toList()));

  @TempDir
  Path tmp;

  @Test
  void verifierOfTheTypeScriptClientAcceptsReportsFromDapClient() throws Exception {
    Path root = repositoryRoot();
    Path dapTs = root.resolve("interop").resolve("dap-ts");
    assumeTrue(nodeVersion() != null,
        "node is not on the PATH: skipping the check of Java reports by interop/dap-ts/verify.mjs");
    installClient(dapTs);

    Path fixtures = Files.createDirectory(tmp.resolve("fixtures"));
    int reports = 0;
    for (Case<?> c : CASES) {
      ObjectNode fixture = capture(c);
      reports += fixture.get("reports").size();
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(fixtures.resolve(c.name() + ".json").toFile(), fixture);
    }

    Run ok = run(dapTs, 120, "node", "verify.mjs", fixtures.toString());
    System.out.print(ok.output());
    assertEquals(0, ok.exitCode(), "verify.mjs rejected reports from DapClient:\n" + ok.output());
    assertTrue(ok.output().contains("verified " + CASES.size() + " fixture files"), ok.output());
    for (Case<?> c : CASES) {
      assertTrue(ok.output().lines().anyMatch(line -> line.contains(c.name() + ".json ")
          && line.contains("producer=\"pando-client\"")), ok.output());
    }
    assertTrue(ok.output().contains(reports + " passed, 0 failed"), ok.output());

    // Negative control: the same files with one byte of one report body changed.
    Path tampered = Files.createDirectory(tmp.resolve("tampered"));
    for (Case<?> c : CASES) {
      Files.copy(fixtures.resolve(c.name() + ".json"), tampered.resolve(c.name() + ".json"));
    }
    Path sum = tampered.resolve("prio3sum.json");
    ObjectNode fixture = (ObjectNode) JSON.readTree(sum.toFile());
    ObjectNode request = (ObjectNode) fixture.get("reports").get(2).get("request");
    byte[] body = HEX.parseHex(request.get("body_hex").asText());
    body[body.length / 2] ^= 0x01;
    request.put("body_hex", HEX.formatHex(body));
    JSON.writerWithDefaultPrettyPrinter().writeValue(sum.toFile(), fixture);

    Run bad = run(dapTs, 120, "node", "verify.mjs", tampered.toString());
    System.out.print(bad.output());
    assertNotEquals(0, bad.exitCode(), "verify.mjs accepted a tampered report:\n" + bad.output());
    assertTrue(bad.output().contains("CHECK FAILED: prio3sum.json: prio3sum report 2"),
        bad.output());
  }

  /** Uploads every measurement of a case with {@link DapClient} and builds its fixture. */
  private static <M> ObjectNode capture(Case<M> c) throws Exception {
    TaskId taskId = TaskId.random();
    HpkeKeypair leaderKey =
        HpkeKeypair.generate(HpkeConfigId.of(1), HpkeSuite.X25519_SHA256_AES128GCM);
    HpkeKeypair helperKey =
        HpkeKeypair.generate(HpkeConfigId.of(2), HpkeSuite.X25519_SHA256_AES128GCM);
    ObjectNode fx = JSON.createObjectNode();
    try (CapturingAggregators aggs = new CapturingAggregators(taskId, leaderKey, helperKey)) {
      DapClient<M> client = new DapClient<>(new DapTask<>(taskId, aggs.url("leader"),
          aggs.url("helper"), c.vdaf(), Duration.ofSeconds(TIME_PRECISION)));
      ArrayNode reports = JSON.createArrayNode();
      for (int i = 0; i < c.measurements().size(); i++) {
        M measurement = c.measurements().get(i);
        long timestamp = BASE_TIME + 1234 + 977L * i;
        client.upload(measurement, Instant.ofEpochSecond(timestamp));
        assertEquals(i + 1, aggs.uploads.size(), "one upload per report");
        Upload up = aggs.uploads.get(i);
        ObjectNode report = reports.addObject();
        report.set("measurement", JSON.valueToTree(measurement));
        report.put("client_timestamp", timestamp);
        ObjectNode request = report.putObject("request");
        request.put("method", up.method());
        request.put("path", up.path());
        request.put("content_type", up.contentType());
        request.set("headers", JSON.valueToTree(up.headers()));
        request.put("body_hex", HEX.formatHex(up.body()));
        report.put("response_status", 201);
        report.set("decoded", decoded(up.body(), taskId, leaderKey, helperKey));
      }

      fx.put("format", FORMAT);
      fx.put("case", c.name());
      ObjectNode producer = fx.putObject("producer");
      producer.put("name", "pando-client");
      producer.put("implementation", DapClient.class.getName());
      producer.put("java_version", System.getProperty("java.version"));
      producer.put("dap_version", "dap-09");
      producer.put("vdaf_version", "vdaf-08");
      producer.put("key_source", "random");
      ObjectNode id = fx.putObject("task_id");
      id.put("base64url", taskId.toBase64Url());
      id.put("hex", HEX.formatHex(taskId.bytes()));
      ObjectNode vdaf = fx.putObject("vdaf");
      vdaf.put("name", c.vdaf().name());
      vdaf.put("algorithm_id", c.vdaf().id());
      vdaf.set("parameters", JSON.readTree(c.parameters()));
      vdaf.set("client_spec", JSON.readTree(c.clientSpec()));
      vdaf.put("shares", c.vdaf().shares());
      fx.put("time_precision_seconds", TIME_PRECISION);
      fx.set("leader", aggregatorJson(aggs.url("leader"), leaderKey));
      fx.set("helper", aggregatorJson(aggs.url("helper"), helperKey));
      ArrayNode configRequests = fx.putArray("hpke_config_requests");
      aggs.configRequests.stream()
          .sorted(Comparator.comparing(r -> r.get("role").asText()))
          .forEach(configRequests::add);
      fx.set("reports", reports);
      fx.set("expected_aggregate_result",
          JSON.valueToTree(c.aggregate().apply(c.measurements())));
    }
    return fx;
  }

  private static ObjectNode aggregatorJson(URI url, HpkeKeypair key) {
    HpkeConfig config = key.config();
    ObjectNode agg = JSON.createObjectNode();
    agg.put("url", url.toString());
    ObjectNode c = agg.putArray("hpke_configs").addObject();
    c.put("id", config.id().value());
    c.put("kem_id", config.kemId().code());
    c.put("kdf_id", config.kdfId().code());
    c.put("aead_id", config.aeadId().code());
    c.put("public_key_hex", HEX.formatHex(config.publicKey().bytes()));
    c.put("private_key_hex", HEX.formatHex(key.privateKey().reveal()));
    agg.put("hpke_config_list_hex", HEX.formatHex(HpkeConfigList.of(config).encode()));
    return agg;
  }

  /** The fixture's {@code decoded} view of a body, from Pando's own codecs and HPKE. */
  private static ObjectNode decoded(byte[] body, TaskId taskId, HpkeKeypair leaderKey,
      HpkeKeypair helperKey) throws Exception {
    Report r = Report.decode(body);
    byte[] aad = r.inputShareAad(taskId).encode();
    ApplicationInfo leaderInfo = ApplicationInfo.inputShare(Role.LEADER);
    ApplicationInfo helperInfo = ApplicationInfo.inputShare(Role.HELPER);
    byte[] leaderPlaintext = leaderKey.open(leaderInfo, r.leaderEncryptedInputShare(), aad);
    byte[] helperPlaintext = helperKey.open(helperInfo, r.helperEncryptedInputShare(), aad);
    ObjectNode d = JSON.createObjectNode();
    d.put("report_id_hex", HEX.formatHex(r.metadata().reportId().bytes()));
    d.put("time", r.metadata().time().seconds());
    d.put("public_share_hex", HEX.formatHex(r.publicShare()));
    d.set("leader_encrypted_input_share", ciphertextJson(r.leaderEncryptedInputShare()));
    d.set("helper_encrypted_input_share", ciphertextJson(r.helperEncryptedInputShare()));
    d.put("input_share_aad_hex", HEX.formatHex(aad));
    d.put("leader_input_share_info_hex", HEX.formatHex(leaderInfo.bytes()));
    d.put("helper_input_share_info_hex", HEX.formatHex(helperInfo.bytes()));
    d.put("leader_plaintext_input_share_hex", HEX.formatHex(leaderPlaintext));
    d.put("helper_plaintext_input_share_hex", HEX.formatHex(helperPlaintext));
    d.put("leader_input_share_hex",
        HEX.formatHex(PlaintextInputShare.decode(leaderPlaintext).payload()));
    d.put("helper_input_share_hex",
        HEX.formatHex(PlaintextInputShare.decode(helperPlaintext).payload()));
    return d;
  }

  private static ObjectNode ciphertextJson(HpkeCiphertext ct) {
    ObjectNode c = JSON.createObjectNode();
    c.put("config_id", ct.configId().value());
    c.put("enc_hex", HEX.formatHex(ct.encapsulatedKey()));
    c.put("payload_hex", HEX.formatHex(ct.payload()));
    return c;
  }

  /** One captured upload request, headers with lower-case names and without {@code host}. */
  private record Upload(String method, String path, String contentType,
      Map<String, String> headers, byte[] body) {}

  /**
   * Leader ({@code /leader/}) and helper ({@code /helper/}) on one loopback server: serves each
   * one's HpkeConfigList, records the config requests, and captures report uploads exactly,
   * answering 201 Created.
   */
  private static final class CapturingAggregators implements AutoCloseable {
    final List<ObjectNode> configRequests = new CopyOnWriteArrayList<>();
    final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final TaskId taskId;
    private final HttpServer server;

    CapturingAggregators(TaskId taskId, HpkeKeypair leader, HpkeKeypair helper)
        throws IOException {
      this.taskId = taskId;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/leader/", ex -> handle(ex, "leader", leader));
      server.createContext("/helper/", ex -> handle(ex, "helper", helper));
      server.start();
    }

    URI url(String role) {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + role + "/");
    }

    private void handle(HttpExchange ex, String role, HpkeKeypair key) throws IOException {
      try (ex) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        if (path.equals("/" + role + "/hpke_config") && method.equals("GET")) {
          Map<String, String> params = query(query);
          if (!taskId.toBase64Url().equals(params.get("task_id"))) {
            ex.sendResponseHeaders(400, -1);
            return;
          }
          ObjectNode r = JSON.createObjectNode();
          r.put("role", role);
          r.put("method", method);
          r.put("path", path);
          r.set("query", JSON.valueToTree(params));
          r.put("accept", ex.getRequestHeaders().getFirst("Accept"));
          configRequests.add(r);
          byte[] list = HpkeConfigList.of(key.config()).encode();
          ex.getResponseHeaders().add("Content-Type", MediaTypes.HPKE_CONFIG_LIST);
          ex.sendResponseHeaders(200, list.length);
          ex.getResponseBody().write(list);
          return;
        }
        if (role.equals("leader") && method.equals("PUT")
            && path.equals("/leader/tasks/" + taskId.toBase64Url() + "/reports")) {
          byte[] body = ex.getRequestBody().readAllBytes();
          Map<String, String> headers = new TreeMap<>();
          ex.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("host")) {
              headers.put(lower, String.join(", ", values));
            }
          });
          uploads.add(new Upload(method, query == null ? path : path + "?" + query,
              ex.getRequestHeaders().getFirst("Content-Type"), headers, body));
          ex.sendResponseHeaders(201, -1);
          return;
        }
        ex.sendResponseHeaders(404, -1);
      }
    }

    private static Map<String, String> query(String raw) {
      Map<String, String> params = new TreeMap<>();
      if (raw != null) {
        for (String pair : raw.split("&")) {
          int eq = pair.indexOf('=');
          String k = eq < 0 ? pair : pair.substring(0, eq);
          String v = eq < 0 ? "" : pair.substring(eq + 1);
          params.put(URLDecoder.decode(k, StandardCharsets.UTF_8),
              URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
      }
      return params;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  // ---- Node.js -------------------------------------------------------------------------------

  private record Run(int exitCode, String output) {}

  /** The repository root: the nearest directory above the working directory with interop/. */
  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("interop").resolve("dap-ts").resolve("verify.mjs"))) {
        return p;
      }
    }
    throw new IllegalStateException("interop/dap-ts/verify.mjs not found above "
        + Path.of("").toAbsolutePath());
  }

  /** {@code node --version}, or null when node cannot be run. */
  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Runs interop/dap-ts/install.sh ({@code npm ci} only when node_modules is stale). */
  private void installClient(Path dapTs) throws Exception {
    Run install = run(dapTs, 600, "bash", "install.sh");
    if (install.exitCode() != 0) {
      fail("interop/dap-ts/install.sh failed (exit " + install.exitCode() + "): npm ci could not"
          + " install @divviup/dap 0.9.1 from package-lock.json; this test needs the npm registry"
          + " (or an existing interop/dap-ts/node_modules).\n" + install.output());
    }
  }

  private Run run(Path dir, long timeoutSeconds, String... command) throws Exception {
    Path log = Files.createTempFile(tmp, "run", ".log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
          + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }
}
