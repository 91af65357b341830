package io.pando.aggregator.upload;

import static io.pando.aggregator.Management.admin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.codec.Encoder;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.ExtensionType;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.InputShareAad;
import io.pando.dap.messages.dap18.PlaintextInputShare;
import io.pando.dap.messages.dap18.Report;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportMetadata;
import io.pando.dap.messages.dap18.ReportUploadStatus;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.Time;
import io.pando.dap.messages.dap18.UploadErrors;
import io.pando.dap.messages.dap18.UploadRequest;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DAP-18 upload (draft-ietf-ppm-dap-18 §4.4.2): POST {@code /dap-18/tasks/{id}/reports} with an
 * UploadRequest; every report is stored or refused on its own and the refusals come back as
 * UploadErrors in request order; a malformed body is invalidMessage and stores nothing; DAP-09
 * uploads to the same process are unchanged.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class Dap18UploadTest {
  static final String UPLOAD_REQ = MediaTypes.UPLOAD_REQ;
  static final String UPLOAD_ERRORS = "application/ppm-dap;message=upload-errors";
  static final long PRECISION = 3600;

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject HpkeKeys keys;

  @TestHTTPResource("/")
  URI self;

  private final Prio3<Boolean, Long> vdaf = Prio3.Draft20.count();
  private TaskId id;
  private TaskConfiguration configuration;
  private long now;
  private long start;
  private Map<String, Object> definition;

  @BeforeEach
  void task() {
    id = TaskId.random();
    now = System.currentTimeMillis() / 1000;
    start = (now / PRECISION - 10) * PRECISION;
    byte[] verifyKey = new byte[32];
    new SecureRandom().nextBytes(verifyKey);
    Map<String, Object> d = definition = new LinkedHashMap<>();
    d.put("dap_version", "dap-18");
    d.put("role", "leader");
    d.put("task_info", Tasks.b64("upload".getBytes(StandardCharsets.US_ASCII)));
    d.put("leader_aggregator_endpoint", self.toString());
    d.put("helper_aggregator_endpoint", "https://helper.invalid/");
    d.put("batch_mode", "time_interval");
    d.put("vdaf", Map.of("type", "Prio3Count"));
    d.put("vdaf_verify_key", Tasks.b64(verifyKey));
    d.put("min_batch_size", 1);
    d.put("time_precision", PRECISION);
    d.put("task_interval", Map.of("start", start, "duration", 20 * PRECISION));
    d.put("tolerable_clock_skew", 60);
    d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    d.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    d.put("collector_auth_token", Tasks.COLLECTOR_TOKEN);
    admin().contentType(ContentType.JSON).body(d)
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    configuration = tasks.get(id).orElseThrow().dap18().orElseThrow().configuration();
  }

  /** "dap-18 input share" || 0x01 || server_role (§4.4.2), written out here. */
  private static byte[] info(int serverRole) {
    byte[] label = "dap-18 input share".getBytes(StandardCharsets.US_ASCII);
    byte[] out = java.util.Arrays.copyOf(label, label.length + 2);
    out[label.length] = 1;
    out[label.length + 1] = (byte) serverRole;
    return out;
  }

  /** How a test report is built; each field may be spoiled. */
  private final class Builder {
    ReportId reportId = ReportId.random();
    long timeSeconds = now;
    List<Extension> publicExtensions = List.of();
    List<Extension> privateExtensions = List.of();
    ApplicationInfo leaderInfo = ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER);
    TaskConfiguration aadConfiguration = configuration;
    HpkeConfig leaderKey = keys.activeConfigs().get(0);

    Report build() throws Exception {
      Sharded s = vdaf.shard(DapVersion.DAP_18.vdafContext(id), true, reportId.bytes());
      byte[] publicShare = vdaf.encodePublicShare(s.publicShare());
      ReportMetadata md = new ReportMetadata(reportId,
          Time.ofSeconds(timeSeconds, configuration.timePrecision()), publicExtensions);
      byte[] aad = new InputShareAad(id, aadConfiguration, md, publicShare).encode();
      HpkeCiphertext leader = Hpke.sealer(leaderKey).seal(leaderInfo, new PlaintextInputShare(
          privateExtensions, vdaf.encodeInputShare(s.inputShares().get(0))).encode(), aad);
      HpkeCiphertext helper = Hpke.sealer(keys.activeConfigs().get(0)).seal(
          ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER),
          new PlaintextInputShare(List.of(), vdaf.encodeInputShare(s.inputShares().get(1)))
              .encode(), aad);
      return new Report(md, publicShare, leader, helper);
    }
  }

  private HttpResponse<byte[]> post(byte[] body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            self.resolve("/dap-18/tasks/" + id.toBase64Url() + "/reports"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", UPLOAD_REQ).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private long stored() {
    return datastore.inTransaction("test-count", tx -> tx.reports().count(id));
  }

  @Test
  void theInfoStringIsDraft18s() {
    assertArrayEquals(info(2), ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER).bytes());
    assertArrayEquals(info(3), ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER).bytes());
  }

  @Test
  void oneReportIsStoredAndAnsweredWithAnEmptyBody() throws Exception {
    Report r = new Builder().build();
    HttpResponse<byte[]> answer = post(new UploadRequest(List.of(r)).encode());
    assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
    assertEquals(0, answer.body().length);
    assertEquals(1, stored());
    // Stored with its time in seconds (§4.1.1: the wire's time_precision units converted at
    // the boundary): now, rounded down to the hour.
    long hour = now / PRECISION * PRECISION;
    // (By stored time, whether or not the leader has put the report into a job meanwhile.)
    boolean atHour = !datastore.inTransaction("test-time",
        tx -> tx.reports().inInterval(id, hour, hour + 1)).isEmpty();
    boolean later = !datastore.inTransaction("test-time",
        tx -> tx.reports().inInterval(id, hour + 1, hour + PRECISION)).isEmpty();
    assertTrue(atHour);
    assertFalse(later);

    // The same report again: report_replayed, still stored once.
    answer = post(new UploadRequest(List.of(r)).encode());
    assertEquals(200, answer.statusCode());
    assertEquals(UPLOAD_ERRORS, answer.headers().firstValue("content-type").orElseThrow());
    assertEquals(new UploadErrors(List.of(new ReportUploadStatus(r.metadata().reportId(),
        ReportError.REPORT_REPLAYED))), UploadErrors.decode(answer.body()));
    assertEquals(1, stored());

    // The task now holds data: its configuration cannot change.
    definition.put("min_batch_size", 2);
    admin().contentType(ContentType.JSON).body(definition)
        .when().put("/admin/tasks/" + id.toBase64Url())
        .then().statusCode(409).body("detail", containsString("task configuration"));
  }

  @Test
  void eachReportOfABulkUploadIsStoredOrRefusedOnItsOwn() throws Exception {
    List<Report> reports = new ArrayList<>();
    List<ReportUploadStatus> expected = new ArrayList<>();
    Report good = new Builder().build();
    reports.add(good);

    Builder b = new Builder();
    b.leaderKey = new HpkeConfig(HpkeConfigId.of(250), keys.activeConfigs().get(0).kemId(),
        keys.activeConfigs().get(0).kdfId(), keys.activeConfigs().get(0).aeadId(),
        keys.activeConfigs().get(0).publicKey());
    refused(reports, expected, b, ReportError.OUTDATED_CONFIG);

    b = new Builder();
    b.leaderInfo = ApplicationInfo.inputShare(Role.LEADER); // DAP-09's info string
    refused(reports, expected, b, ReportError.HPKE_DECRYPT_ERROR);

    b = new Builder();
    b.aadConfiguration = TaskConfiguration.of("other".getBytes(StandardCharsets.US_ASCII),
        configuration.leaderAggregatorEndpoint(), configuration.helperAggregatorEndpoint(),
        configuration.timePrecision(), configuration.minBatchSize(), configuration.batchMode(),
        configuration.vdaf(), configuration.extensions());
    refused(reports, expected, b, ReportError.HPKE_DECRYPT_ERROR);

    b = new Builder();
    b.timeSeconds = now + 2 * PRECISION;
    refused(reports, expected, b, ReportError.REPORT_TOO_EARLY);

    b = new Builder();
    b.timeSeconds = start - PRECISION;
    refused(reports, expected, b, ReportError.REPORT_DROPPED);

    b = new Builder();
    b.publicExtensions = List.of(new Extension(ExtensionType.of(0x7777), new byte[] {1}));
    refused(reports, expected, b, ReportError.INVALID_MESSAGE);

    b = new Builder();
    b.publicExtensions = List.of(new Extension(ExtensionType.of(0x7778), new byte[0]),
        new Extension(ExtensionType.of(0x7777), new byte[0]));
    refused(reports, expected, b, ReportError.INVALID_MESSAGE);

    b = new Builder();
    b.privateExtensions = List.of(new Extension(ExtensionType.of(0x7777), new byte[0]));
    refused(reports, expected, b, ReportError.INVALID_MESSAGE);

    Report second = new Builder().build();
    reports.add(second);
    // The first report once more in the same request: a replay.
    reports.add(good);
    expected.add(new ReportUploadStatus(good.metadata().reportId(), ReportError.REPORT_REPLAYED));

    HttpResponse<byte[]> answer = post(new UploadRequest(reports).encode());
    assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
    assertEquals(UPLOAD_ERRORS, answer.headers().firstValue("content-type").orElseThrow());
    assertEquals(new UploadErrors(expected), UploadErrors.decode(answer.body()));
    assertEquals(2, stored());
  }

  private static void refused(List<Report> reports, List<ReportUploadStatus> expected,
      Builder b, ReportError error) throws Exception {
    Report r = b.build();
    reports.add(r);
    expected.add(new ReportUploadStatus(r.metadata().reportId(), error));
  }

  @Test
  void aMalformedBodyIsInvalidMessageAndStoresNothing() throws Exception {
    byte[] good = new UploadRequest(List.of(new Builder().build(), new Builder().build()))
        .encode();
    byte[] spoiled = java.util.Arrays.copyOf(good, good.length + 3);
    HttpResponse<byte[]> answer = post(spoiled);
    assertEquals(400, answer.statusCode());
    String problem = new String(answer.body(), StandardCharsets.UTF_8);
    assertTrue(problem.contains("urn:ietf:params:ppm:dap:error:invalidMessage"), problem);
    assertTrue(problem.contains(id.toBase64Url()), problem);
    assertEquals(0, stored());
  }

  @Test
  void anotherDap18MessageTypeIsNotAnUpload() throws Exception {
    HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            self.resolve("/dap-18/tasks/" + id.toBase64Url() + "/reports"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(
            new UploadRequest(List.of(new Builder().build())).encode()))
        .header("Content-Type", "application/ppm-dap;message=collection-job-req").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(415, answer.statusCode());
    assertEquals(0, stored());
  }

  @Test
  void aDap09UploadToTheSameProcessIsUnchanged() throws Exception {
    TaskId dap09 = TaskId.random();
    tasks.put(Tasks.leader(dap09, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    DapClient<Boolean> client = new DapClient<>(new DapTask<>(dap09, self, self, Prio3.count(),
        io.pando.dap.messages.Duration.ofSeconds(3600)));
    client.upload(true);
    assertEquals(1L, (long) datastore.inTransaction("test-count",
        tx -> tx.reports().count(dap09)));
  }
}
