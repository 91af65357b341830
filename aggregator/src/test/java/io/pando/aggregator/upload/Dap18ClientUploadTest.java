package io.pando.aggregator.upload;

import static io.pando.aggregator.Management.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.client.HttpTransport;
import io.pando.client.UploadResult;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportUploadStatus;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DAP-18 client library (client/, {@code DapClient} with a DAP-18 {@code DapTask}) against
 * this aggregator's {@code /dap-18/hpke_config} and {@code POST /dap-18/tasks/{id}/reports}: the
 * reports it builds are accepted and stored, one refused report comes back in its UploadErrors.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class Dap18ClientUploadTest {
  static final long PRECISION = 3600;

  @Inject TaskService tasks;
  @Inject Datastore datastore;

  @TestHTTPResource("/")
  URI self;

  @Test
  void theDap18ClientsBulkUploadIsStoredAndARefusalComesBackPerReport() throws Exception {
    TaskId id = TaskId.random();
    long now = System.currentTimeMillis() / 1000;
    long start = (now / PRECISION - 10) * PRECISION;
    byte[] verifyKey = new byte[32];
    new SecureRandom().nextBytes(verifyKey);
    String endpoint = self.resolve("/dap-18/").toString();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("dap_version", "dap-18");
    d.put("role", "leader");
    d.put("task_info", Tasks.b64("client".getBytes(StandardCharsets.US_ASCII)));
    d.put("leader_aggregator_endpoint", endpoint);
    // This process's global HPKE configs stand in for the helper's: the leader never opens the
    // helper's share.
    d.put("helper_aggregator_endpoint", endpoint);
    d.put("batch_mode", "time_interval");
    d.put("vdaf", Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2));
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
    // What a client is given: the encoded TaskConfiguration.
    TaskConfiguration config = TaskConfiguration.decode(
        tasks.get(id).orElseThrow().dap18().orElseThrow().configuration().encode());

    DapClient<Integer> client = new DapClient<>(
        DapTask.dap18(id, config, Prio3.Draft20.histogram(4, 2)), HttpTransport.platformDefault());
    assertEquals(DapVersion.DAP_18, client.version());

    UploadResult inTime = client.uploadAll(List.of(0, 3, 3));
    assertEquals(List.of(), inTime.refused());
    assertEquals(3L, (long) datastore.inTransaction("test-count", tx -> tx.reports().count(id)));

    // Before the task interval: report_dropped (§4.4.2), the other report stored.
    UploadResult early = client.uploadAll(List.of(1), Instant.ofEpochSecond(start - PRECISION));
    assertEquals(List.of(new ReportUploadStatus(early.reportIds().get(0),
        ReportError.REPORT_DROPPED)), early.refused());
    client.upload(2);
    assertEquals(4L, (long) datastore.inTransaction("test-count", tx -> tx.reports().count(id)));
  }
}
