package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.cli.CliRunner;
import io.pando.cli.keys.CollectorKeyFile;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSealer;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregateShareAad;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.CollectionJobResp;
import io.pando.dap.messages.dap18.Interval;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.dap18.VdafConfig;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import io.pando.vdaf.prio3.VerifierMessage;
import io.pando.vdaf.prio3.VerifyInit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pando collect --dap-version dap-18} against a DAP-18 leader on loopback. */
class Dap18CollectCommandTest {
  private static final String TOKEN = "collector-Tok3n-dap18";
  private static final long PRECISION = 3600;
  private static final long START = 1_700_002_800L; // a multiple of 3600
  private static final List<Integer> MEASUREMENTS = List.of(0, 2, 2, 1, 2);

  @TempDir
  Path dir;

  private final TaskId task = TaskId.random();
  private HttpServer server;
  private HpkeKeypair key;
  private Path keyFile;
  private TaskConfiguration config;
  private final List<CollectionJobReq> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger polls = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    key = HpkeKeypair.generate(HpkeConfigId.of(3), HpkeSuite.X25519_SHA256_AES128GCM);
    keyFile = dir.resolve("collector.json");
    Files.writeString(keyFile, CollectorKeyFile.toJson(key));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/dap-18/", this::handle);
    server.start();
    config = TaskConfiguration.of(new byte[] {1}, "http://127.0.0.1:"
        + server.getAddress().getPort() + "/dap-18/", "https://helper.example/dap-18/",
        TimePrecision.ofSeconds(PRECISION), 1, BatchMode.TIME_INTERVAL,
        new VdafConfig.Prio3Histogram(3, 2), List.of());
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private String jobs() {
    return "/dap-18/tasks/" + task.toBase64Url() + "/collection_jobs";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      String path = ex.getRequestURI().getPath();
      if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.sendResponseHeaders(401, -1);
      } else if (path.equals(jobs()) && ex.getRequestMethod().equals("POST")) {
        requests.add(CollectionJobReq.decode(body));
        ex.getResponseHeaders().add("Location", jobs() + "/"
            + CollectionJobId.random().toBase64Url());
        ex.getResponseHeaders().add("Retry-After", "0");
        ex.sendResponseHeaders(201, -1);
      } else if (path.startsWith(jobs() + "/") && ex.getRequestMethod().equals("GET")) {
        if (polls.incrementAndGet() == 1) {
          ex.getResponseHeaders().add("Retry-After", "0");
          ex.sendResponseHeaders(200, -1);
          return;
        }
        CollectionJobReq req = requests.get(requests.size() - 1);
        byte[][] s = shares(Prio3.Draft20.histogram(3, 2));
        byte[] aad = new AggregateShareAad(task, config, req).encode();
        HpkeSealer sealer = Hpke.sealer(key.config());
        byte[] out = new CollectionJobResp(MEASUREMENTS.size(), req.query().batchInterval(),
            sealer.seal(ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.LEADER), s[0],
                aad),
            sealer.seal(ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER), s[1],
                aad)).encode();
        ex.getResponseHeaders().add("Content-Type", MediaTypes.COLLECTION_JOB_RESP);
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    } catch (Exception e) {
      ex.sendResponseHeaders(500, -1);
    }
  }

  private byte[][] shares(Prio3<Integer, List<Long>> vdaf) throws Exception {
    byte[] ctx = DapVersion.DAP_18.vdafContext(task);
    byte[] verifyKey = new byte[vdaf.verifyKeySize()];
    List<OutputShare> l = new ArrayList<>();
    List<OutputShare> h = new ArrayList<>();
    for (int m : MEASUREMENTS) {
      byte[] nonce = new byte[16];
      new SecureRandom().nextBytes(nonce);
      Sharded s = vdaf.shard(ctx, m, nonce);
      VerifyInit a = vdaf.verifyInit(verifyKey, ctx, 0, nonce, s.publicShare(),
          s.inputShares().get(0));
      VerifyInit b = vdaf.verifyInit(verifyKey, ctx, 1, nonce, s.publicShare(),
          s.inputShares().get(1));
      VerifierMessage msg = vdaf.verifierSharesToMessage(ctx, List.of(a.share(), b.share()));
      l.add(vdaf.verifyNext(a.state(), msg));
      h.add(vdaf.verifyNext(b.state(), msg));
    }
    return new byte[][] {vdaf.encodeAggregateShare(vdaf.aggregate(l)),
        vdaf.encodeAggregateShare(vdaf.aggregate(h))};
  }

  private CliRunner.Result run(String taskConfigArg, String... extra) {
    List<String> a = new ArrayList<>(List.of("collect", "--dap-version", "dap-18",
        "--task-id", task.toBase64Url(), "--task-config", taskConfigArg,
        "--key-file", keyFile.toString()));
    a.addAll(List.of(extra));
    return CliRunner.run(Map.of("PANDO_COLLECTOR_TOKEN", TOKEN), a.toArray(String[]::new));
  }

  @Test
  void collectsAHistogramWithTheTaskConfigurationAsBase64Url() {
    CliRunner.Result r = run(Base64.getUrlEncoder().withoutPadding()
        .encodeToString(config.encode()), "--interval-start", Long.toString(START),
        "--interval-duration", Long.toString(2 * PRECISION));

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.outLines().contains("Aggregate:    [1, 1, 3]"), r.out());
    assertTrue(r.outLines().contains("Reports:      5"), r.out());
    assertEquals(Interval.of(START / PRECISION, 2), requests.get(0).query().batchInterval());
    assertEquals(2, polls.get());
  }

  @Test
  void readsTheTaskConfigurationFromAFileOfItsBytes() throws Exception {
    Path file = dir.resolve("task-config.bin");
    Files.write(file, config.encode());

    CliRunner.Result r = run(file.toString(), "--interval-start", Long.toString(START),
        "--interval-duration", Long.toString(PRECISION), "--json");

    assertEquals(0, r.exitCode(), r.toString());
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertEquals("[1,1,3]", json.get("aggregate").toString(), r.out());
    assertEquals(5, json.get("report_count").asInt(), r.out());
    assertEquals(START, json.get("interval").get("start").asLong(), r.out());
  }

  @Test
  void usageErrors() {
    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(config.encode());
    // Not a multiple of the time precision.
    assertEquals(2, run(b64, "--interval-start", Long.toString(START + 60),
        "--interval-duration", Long.toString(PRECISION)).exitCode());
    // The VDAF is the configuration's.
    assertEquals(2, run(b64, "--vdaf", "count", "--current-batch").exitCode());
    // A time_interval task has no current batch.
    assertEquals(2, run(b64, "--current-batch").exitCode());
    // Not a TaskConfiguration.
    assertEquals(2, run("AAAA", "--current-batch").exitCode());
    assertTrue(requests.isEmpty());
  }
}
