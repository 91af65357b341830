package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.ReportId;
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
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.InputShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.PublicShare;
import io.pando.vdaf.prio3.VerifierMessage;
import io.pando.vdaf.prio3.VerifyInit;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DAP-18 upload (draft-ietf-ppm-dap-18 §4.4) against a fake leader and helper that read the
 * request with the real dap18 codecs, open both input shares with the real HPKE (DAP-18 info and
 * the InputShareAad with the TaskConfiguration) and prepare them with the real VDAF and the
 * context "dap-18" || task_id: a wrong AAD, info string or context fails the upload.
 */
class Dap18UploadTest {
  static final long PRECISION = 300;
  static final TaskId TASK = TaskId.random();

  HttpServer server;
  HpkeKeypair leaderKey;
  HpkeKeypair helperKey;
  TaskConfiguration config;
  final byte[] verifyKey = new byte[32];
  /** Accepted reports, opened. */
  final List<Opened> accepted = new CopyOnWriteArrayList<>();
  final List<String> uploadContentTypes = new CopyOnWriteArrayList<>();
  final AtomicInteger leaderConfigFetches = new AtomicInteger();
  final AtomicInteger uploads = new AtomicInteger();
  volatile String cacheControl = "max-age=600";
  /** Reports matching this are refused with report_replayed. */
  volatile Predicate<Opened> refuse = r -> false;

  record Opened(Report report, byte[] leaderPayload, byte[] helperPayload) {}

  final class MutableClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-07T12:07:31Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() throws Exception {
    new SecureRandom().nextBytes(verifyKey);
    leaderKey = HpkeKeypair.generate(HpkeConfigId.of(7), HpkeSuite.X25519_SHA256_AES128GCM);
    helperKey = HpkeKeypair.generate(HpkeConfigId.of(9), HpkeSuite.P256_SHA256_AES128GCM);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/leader/dap-18/", ex -> handle(ex, true));
    server.createContext("/helper/dap-18/", ex -> handle(ex, false));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String base(String who) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + who + "/dap-18/";
  }

  TaskConfiguration configuration(VdafConfig vdaf) {
    config = TaskConfiguration.of(new byte[] {1, 2, 3}, base("leader"), base("helper"),
        TimePrecision.ofSeconds(PRECISION), 10, BatchMode.TIME_INTERVAL, vdaf, List.of());
    return config;
  }

  private void handle(HttpExchange ex, boolean leader) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      byte[] body = ex.getRequestBody().readAllBytes();
      String prefix = leader ? "/leader/dap-18/" : "/helper/dap-18/";
      if (path.equals(prefix + "hpke_config") && "GET".equals(ex.getRequestMethod())
          && ex.getRequestURI().getQuery() == null) {
        if (leader) {
          leaderConfigFetches.incrementAndGet();
        }
        byte[] list = HpkeConfigList.of((leader ? leaderKey : helperKey).config()).encode();
        ex.getResponseHeaders().add("Content-Type", MediaTypes.HPKE_CONFIG_LIST);
        if (cacheControl != null) {
          ex.getResponseHeaders().add("Cache-Control", cacheControl);
        }
        ex.sendResponseHeaders(200, list.length);
        ex.getResponseBody().write(list);
        return;
      }
      if (leader && path.equals(prefix + "tasks/" + TASK.toBase64Url() + "/reports")
          && "POST".equals(ex.getRequestMethod())) {
        uploads.incrementAndGet();
        uploadContentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
        if (!MediaTypes.is(ex.getRequestHeaders().getFirst("Content-Type"),
            MediaTypes.Message.UPLOAD_REQ)) {
          ex.sendResponseHeaders(415, -1);
          return;
        }
        List<ReportUploadStatus> refused = new ArrayList<>();
        for (Report r : UploadRequest.decode(body).reports()) {
          if (!r.leaderEncryptedInputShare().configId().equals(leaderKey.config().id())) {
            refused.add(new ReportUploadStatus(r.metadata().reportId(),
                ReportError.OUTDATED_CONFIG));
            continue;
          }
          byte[] aad = r.inputShareAad(TASK, config).encode();
          PlaintextInputShare l = PlaintextInputShare.decode(leaderKey.open(
              ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER),
              r.leaderEncryptedInputShare(), aad));
          PlaintextInputShare h = PlaintextInputShare.decode(helperKey.open(
              ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER),
              r.helperEncryptedInputShare(), aad));
          assertTrue(l.privateExtensions().isEmpty());
          Opened o = new Opened(r, l.payload(), h.payload());
          if (refuse.test(o)) {
            refused.add(new ReportUploadStatus(r.metadata().reportId(),
                ReportError.REPORT_REPLAYED));
          } else {
            accepted.add(o);
          }
        }
        if (refused.isEmpty()) {
          ex.sendResponseHeaders(200, -1);
        } else {
          byte[] out = new UploadErrors(refused).encode();
          ex.getResponseHeaders().add("Content-Type", MediaTypes.UPLOAD_ERRORS);
          ex.sendResponseHeaders(200, out.length);
          ex.getResponseBody().write(out);
        }
        return;
      }
      ex.sendResponseHeaders(404, -1);
    } catch (Exception e) {
      byte[] msg = e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, msg.length);
      ex.getResponseBody().write(msg);
    }
  }

  /** Both aggregators' side of Prio3 with the DAP-18 context: the output shares of a report. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<OutputShare> prepare(Prio3 vdaf, byte[] verifyKey, Opened o) throws Exception {
    byte[] ctx = DapVersion.DAP_18.vdafContext(TASK);
    byte[] nonce = o.report().metadata().reportId().bytes();
    PublicShare ps = vdaf.decodePublicShare(o.report().publicShare());
    InputShare l = vdaf.decodeInputShare(0, o.leaderPayload());
    InputShare h = vdaf.decodeInputShare(1, o.helperPayload());
    VerifyInit li = vdaf.verifyInit(verifyKey, ctx, 0, nonce, ps, l);
    VerifyInit hi = vdaf.verifyInit(verifyKey, ctx, 1, nonce, ps, h);
    VerifierMessage m = vdaf.verifierSharesToMessage(ctx, List.of(li.share(), hi.share()));
    return List.of(vdaf.verifyNext(li.state(), m), vdaf.verifyNext(hi.state(), m));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  BigInteger aggregate(Prio3 vdaf, List<Opened> reports) throws Exception {
    List<OutputShare> leader = new ArrayList<>();
    List<OutputShare> helper = new ArrayList<>();
    for (Opened o : reports) {
      List<OutputShare> out = prepare(vdaf, verifyKey, o);
      leader.add(out.get(0));
      helper.add(out.get(1));
    }
    List<AggregateShare> shares = List.of(vdaf.aggregate(leader), vdaf.aggregate(helper));
    return (BigInteger) vdaf.unshard(shares, reports.size());
  }

  @Test
  void aSingleUploadIsTheDap18ReportTheHelperSidePreparesToTheMeasurement() throws Exception {
    TaskConfiguration c = configuration(new VdafConfig.Prio3Sum(1000));
    Prio3<Long, BigInteger> vdaf = Prio3.Draft20.sum(1000);
    MutableClock clock = new MutableClock();
    DapClient<Long> client = new DapClient<>(DapTask.dap18(TASK, c, vdaf),
        HttpTransport.platformDefault(), clock);
    assertEquals(DapVersion.DAP_18, client.version());

    ReportId id = client.upload(737L);

    assertEquals(1, accepted.size());
    Report r = accepted.get(0).report();
    assertEquals(id, r.metadata().reportId());
    // §4.4.2 time: floor(now / precision) in time_precision units.
    assertEquals(clock.now.getEpochSecond() / PRECISION, r.metadata().time().units());
    assertTrue(r.metadata().publicExtensions().isEmpty());
    assertEquals(BigInteger.valueOf(737), aggregate(vdaf, accepted));
    assertEquals(List.of(MediaTypes.UPLOAD_REQ), uploadContentTypes);
  }

  @Test
  void aBulkUploadReturnsTheLeadersUploadErrorsAndAggregatesTheRest() throws Exception {
    TaskConfiguration c = configuration(new VdafConfig.Prio3Sum(1000));
    Prio3<Long, BigInteger> vdaf = Prio3.Draft20.sum(1000);
    DapClient<Long> client = new DapClient<>(DapTask.dap18(TASK, c, vdaf),
        HttpTransport.platformDefault(), new MutableClock());
    // The leader refuses exactly the report whose measurement is 500.
    refuse = o -> {
      try {
        return aggregate(vdaf, List.of(o)).equals(BigInteger.valueOf(500));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };

    UploadResult result = client.uploadAll(List.of(3L, 500L, 40L));

    assertEquals(1, uploads.get(), "one request for all three reports");
    assertEquals(3, result.reportIds().size());
    assertEquals(List.of(new ReportUploadStatus(result.reportIds().get(1),
        ReportError.REPORT_REPLAYED)), result.refused());
    assertEquals(List.of(result.reportIds().get(0), result.reportIds().get(2)),
        result.accepted());
    assertFalse(result.allAccepted());
    assertEquals(BigInteger.valueOf(43), aggregate(vdaf, accepted));
  }

  @Test
  void theAndroidTransportUploadsAndReadsUploadErrorsAlike() throws Exception {
    TaskConfiguration c = configuration(new VdafConfig.Prio3Sum(1000));
    Prio3<Long, BigInteger> vdaf = Prio3.Draft20.sum(1000);
    DapClient<Long> client = new DapClient<>(DapTask.dap18(TASK, c, vdaf),
        new UrlConnectionTransport(), new MutableClock());
    refuse = o -> {
      try {
        return aggregate(vdaf, List.of(o)).equals(BigInteger.valueOf(9));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };

    UploadResult all = client.uploadAll(List.of(1L, 2L));
    UploadResult one = client.uploadAll(List.of(9L, 4L));

    assertTrue(all.allAccepted());
    assertEquals(List.of(new ReportUploadStatus(one.reportIds().get(0),
        ReportError.REPORT_REPLAYED)), one.refused());
    assertEquals(BigInteger.valueOf(7), aggregate(vdaf, accepted));
  }

  @Test
  void aSingleRefusedReportFailsWithItsReportError() throws Exception {
    TaskConfiguration c = configuration(new VdafConfig.Prio3Count());
    DapClient<Boolean> client = new DapClient<>(DapTask.dap18(TASK, c, Prio3.Draft20.count()),
        HttpTransport.platformDefault(), new MutableClock());
    refuse = o -> true;

    DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));

    assertEquals(ReportError.REPORT_REPLAYED, e.reportError().orElseThrow());
  }

  @Test
  void outdatedConfigRefetchesTheConfigsAndRetriesWithAFreshReport() throws Exception {
    TaskConfiguration c = configuration(new VdafConfig.Prio3Count());
    Prio3<Boolean, Long> vdaf = Prio3.Draft20.count();
    DapClient<Boolean> client = new DapClient<>(DapTask.dap18(TASK, c, vdaf),
        HttpTransport.platformDefault(), new MutableClock());
    client.upload(true);
    leaderKey = HpkeKeypair.generate(HpkeConfigId.of(8), HpkeSuite.X25519_SHA256_AES128GCM);

    UploadResult r = client.uploadAll(List.of(true, false));

    assertTrue(r.allAccepted(), r.toString());
    assertEquals(2, leaderConfigFetches.get());
    assertEquals(3, accepted.size());
    assertEquals(List.of(accepted.get(1).report().metadata().reportId(),
        accepted.get(2).report().metadata().reportId()), r.reportIds());
  }

  @Test
  void theConfigListIsCachedForItsMaxAge() throws Exception {
    TaskConfiguration c = configuration(new VdafConfig.Prio3Count());
    MutableClock clock = new MutableClock();
    DapClient<Boolean> client = new DapClient<>(DapTask.dap18(TASK, c, Prio3.Draft20.count()),
        HttpTransport.platformDefault(), clock);
    cacheControl = "public, max-age=600";
    client.upload(true);
    clock.now = clock.now.plusSeconds(599);
    client.upload(true);
    assertEquals(1, leaderConfigFetches.get());
    clock.now = clock.now.plusSeconds(1);
    client.upload(true);
    assertEquals(2, leaderConfigFetches.get());
    cacheControl = "no-store";
    client.refreshConfigs();
    client.upload(true);
    client.upload(true);
    assertEquals(4, leaderConfigFetches.get());
  }

  @Test
  void poplar1SharesWithTheDraft20VdafAndTheDap18Context() throws Exception {
    TaskConfiguration c = configuration(new VdafConfig.Poplar1(4));
    DapClient<String> client = DapClient.poplar1(TASK, c, HttpTransport.platformDefault(),
        new MutableClock());

    client.upload("1011");

    assertEquals(1, accepted.size());
    Opened o = accepted.get(0);
    Poplar1 vdaf = Dap18Vdafs.poplar1(c.vdaf());
    assertArrayEquals(o.report().publicShare(),
        vdaf.encodePublicShare(vdaf.decodePublicShare(o.report().publicShare())));
    vdaf.decodeInputShare(o.leaderPayload());
    vdaf.decodeInputShare(o.helperPayload());
    assertThrows(IllegalArgumentException.class, () -> client.upload("10"));
  }

  @Test
  void theTaskRefusesAVdafThatIsNotTheConfigurations() {
    TaskConfiguration c = configuration(new VdafConfig.Prio3Sum(1000));
    assertThrows(IllegalArgumentException.class,
        () -> DapTask.dap18(TASK, c, Prio3.Draft20.sum(7)));
    assertThrows(IllegalArgumentException.class,
        () -> DapTask.dap18(TASK, c, Prio3.sum(10)));
    DapTask<Long> t = DapTask.dap18(TASK, c, Prio3.Draft20.sum(1000));
    assertEquals(URI.create(base("leader")), t.leader());
    DapClient<Long> client = new DapClient<>(t, HttpTransport.platformDefault());
    assertThrows(IllegalStateException.class, () -> client.prepareReport(1L, Instant.now()));
  }

  @Test
  void cacheControlMaxAgeIsRead() {
    assertEquals(java.util.Optional.of(86400L), DapClient.maxAge("max-age=86400"));
    assertEquals(java.util.Optional.of(0L), DapClient.maxAge("no-cache, max-age=5"));
    assertEquals(java.util.Optional.empty(), DapClient.maxAge("public"));
  }
}
