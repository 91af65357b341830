package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.cli.CliRunner;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.PlaintextInputShare;
import io.pando.dap.messages.dap18.Report;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportUploadStatus;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.dap18.UploadErrors;
import io.pando.dap.messages.dap18.UploadRequest;
import io.pando.dap.messages.dap18.VdafConfig;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.PublicShare;
import io.pando.vdaf.prio3.VerifierMessage;
import io.pando.vdaf.prio3.VerifyInit;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code pando upload --dap-version dap-18} against a DAP-18 leader and helper on loopback. */
class UploadCommandTest {
  private static final long PRECISION = 60;

  private final TaskId task = TaskId.random();
  private HttpServer server;
  private HpkeKeypair leaderKey;
  private HpkeKeypair helperKey;
  private TaskConfiguration config;
  private final Prio3<Long, BigInteger> vdaf = Prio3.Draft20.sum(100);
  /** The accepted reports' aggregate, prepared by both sides with the DAP-18 context. */
  private final List<OutputShare[]> outputs = new CopyOnWriteArrayList<>();
  private final List<Long> times = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    leaderKey = HpkeKeypair.generate(HpkeConfigId.of(1), HpkeSuite.X25519_SHA256_AES128GCM);
    helperKey = HpkeKeypair.generate(HpkeConfigId.of(2), HpkeSuite.X25519_SHA256_AES128GCM);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    config = TaskConfiguration.of(new byte[] {5}, base + "/l/dap-18/", base + "/h/dap-18/",
        TimePrecision.ofSeconds(PRECISION), 1, BatchMode.LEADER_SELECTED,
        new VdafConfig.Prio3Sum(100), List.of());
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.endsWith("/dap-18/hpke_config")) {
        byte[] b = HpkeConfigList.of((path.startsWith("/l/") ? leaderKey : helperKey).config())
            .encode();
        ex.getResponseHeaders().add("Content-Type", MediaTypes.HPKE_CONFIG_LIST);
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        return;
      }
      if (path.equals("/l/dap-18/tasks/" + task.toBase64Url() + "/reports")
          && MediaTypes.is(ex.getRequestHeaders().getFirst("Content-Type"),
              MediaTypes.Message.UPLOAD_REQ)) {
        List<ReportUploadStatus> refused = new ArrayList<>();
        byte[] ctx = DapVersion.DAP_18.vdafContext(task);
        byte[] key = new byte[vdaf.verifyKeySize()];
        for (Report r : UploadRequest.decode(body).reports()) {
          byte[] aad = r.inputShareAad(task, config).encode();
          byte[] l = PlaintextInputShare.decode(leaderKey.open(ApplicationInfo.inputShare(
              DapVersion.DAP_18, Role.LEADER), r.leaderEncryptedInputShare(), aad)).payload();
          byte[] h = PlaintextInputShare.decode(helperKey.open(ApplicationInfo.inputShare(
              DapVersion.DAP_18, Role.HELPER), r.helperEncryptedInputShare(), aad)).payload();
          byte[] nonce = r.metadata().reportId().bytes();
          PublicShare ps = vdaf.decodePublicShare(r.publicShare());
          VerifyInit a = vdaf.verifyInit(key, ctx, 0, nonce, ps, vdaf.decodeInputShare(0, l));
          VerifyInit b = vdaf.verifyInit(key, ctx, 1, nonce, ps, vdaf.decodeInputShare(1, h));
          VerifierMessage m = vdaf.verifierSharesToMessage(ctx, List.of(a.share(), b.share()));
          OutputShare[] o = {vdaf.verifyNext(a.state(), m), vdaf.verifyNext(b.state(), m)};
          times.add(r.metadata().time().units());
          // The leader refuses the report whose measurement is 13.
          if (vdaf.unshard(List.of(vdaf.aggregate(List.of(o[0])),
              vdaf.aggregate(List.of(o[1]))), 1).equals(BigInteger.valueOf(13))) {
            refused.add(new ReportUploadStatus(r.metadata().reportId(),
                ReportError.REPORT_TOO_EARLY));
          } else {
            outputs.add(o);
          }
        }
        if (refused.isEmpty()) {
          ex.sendResponseHeaders(200, -1);
          return;
        }
        byte[] b = new UploadErrors(refused).encode();
        ex.getResponseHeaders().add("Content-Type", MediaTypes.UPLOAD_ERRORS);
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        return;
      }
      ex.sendResponseHeaders(404, -1);
    } catch (Exception e) {
      ex.sendResponseHeaders(500, -1);
    }
  }

  private CliRunner.Result upload(String... measurements) {
    List<String> a = new ArrayList<>(List.of("upload", "--dap-version", "dap-18", "--task-id",
        task.toBase64Url(), "--task-config",
        Base64.getUrlEncoder().withoutPadding().encodeToString(config.encode()),
        "--time", "1765000000"));
    for (String m : measurements) {
      a.add("--measurement");
      a.add(m);
    }
    return CliRunner.run(a.toArray(String[]::new));
  }

  private BigInteger aggregate() {
    List<OutputShare> l = new ArrayList<>();
    List<OutputShare> h = new ArrayList<>();
    for (OutputShare[] o : outputs) {
      l.add(o[0]);
      h.add(o[1]);
    }
    return vdaf.unshard(List.of(vdaf.aggregate(l), vdaf.aggregate(h)), outputs.size());
  }

  @Test
  void uploadsAllMeasurementsInOneRequestAndPrintsEachReportsOutcome() {
    CliRunner.Result r = upload("7", "13", "30");

    assertEquals(1, r.exitCode(), r.toString());
    List<String> lines = r.outLines();
    assertEquals(3, lines.size(), r.toString());
    assertTrue(lines.get(0).endsWith("  accepted"), r.out());
    assertTrue(lines.get(1).endsWith("  refused: report_too_early"), r.out());
    assertTrue(lines.get(2).endsWith("  accepted"), r.out());
    assertEquals(BigInteger.valueOf(37), aggregate());
    assertEquals(List.of(1765000000L / PRECISION), times.stream().distinct().toList());
  }

  @Test
  void allAcceptedExitsZeroAndBadInputIsAUsageError() {
    assertEquals(0, upload("1", "2").exitCode());
    assertEquals(BigInteger.valueOf(3), aggregate());
    assertEquals(2, upload("101").exitCode(), "above max_measurement: refused before sending");
    assertEquals(2, upload("x").exitCode());
    assertEquals(2, outputs.size());
  }
}
