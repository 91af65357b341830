package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.aggregator.tracing.TestSpans;
import io.pando.aggregator.tracing.Tracing;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.pando.dap.messages.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A report is followed through its upload, its aggregation job's creation and step, and the
 * leader's request to the helper, which carries the step's trace context ({@code traceparent});
 * the helper's endpoints continue a trace a leader sends; a job step's log lines carry its task
 * and job ids in the MDC.
 */
@QuarkusTest
@TestProfile(LeaderTestProfile.class)
@WithTestResource(Infra.class)
class TracingTest {
  private static final long PRECISION = 3600;
  private static FakeHelper helper;

  @Inject TaskService tasks;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int port;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = new FakeHelper();
  }

  @AfterAll
  static void stopHelper() {
    helper.close();
  }

  private static String attr(SpanData s, AttributeKey<String> key) {
    return s.getAttributes().get(key);
  }

  private static Optional<SpanData> span(String name, String taskId) {
    return TestSpans.EXPORTER.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name) && taskId.equals(attr(s, Tracing.TASK_ID)))
        .findFirst();
  }

  @Test
  void aReportIsTracedFromUploadToTheHelper() throws Exception {
    TaskId id = TaskId.random();
    TaskDefinition d = Tasks.leader(id, Map.of("type", "Prio3Count"), helper.uri().toString());
    tasks.put(d);
    FakeHelper.HelperTask ht = helper.add(id, Prio3.count(), d.vdafVerifyKey(), PRECISION);
    URI leader = URI.create("http://localhost:" + port + "/");
    DapClient<Boolean> client = new DapClient<>(new DapTask<>(id, leader, helper.uri(),
        Prio3.count(), Duration.ofSeconds(PRECISION)));
    ReportId report = client.upload(true, Instant.now());
    String task = id.toBase64Url();

    SpanData upload = span("PUT /tasks/{task-id}/reports", task).orElseThrow();
    assertEquals(SpanKind.SERVER, upload.getKind());
    assertEquals(report.toBase64Url(), attr(upload, Tracing.REPORT_ID));
    assertEquals(201L, upload.getAttributes().get(
        AttributeKey.longKey("http.response.status_code")));

    Waits.until("the helper got the job", 30, () -> !ht.traceparents.isEmpty()
        && span("aggregation job step", task).isPresent());
    SpanData creation = span("aggregation job creation", task).orElseThrow();
    SpanData step = span("aggregation job step", task).orElseThrow();
    List<String> jobIds = creation.getAttributes().get(AttributeKey.stringArrayKey("dap.job_ids"));
    assertTrue(jobIds.contains(attr(step, Tracing.JOB_ID)), jobIds + " " + step);
    SpanData put = TestSpans.EXPORTER.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT
            && s.getParentSpanId().equals(step.getSpanId()))
        .findFirst().orElseThrow();
    assertEquals("PUT /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}", put.getName());
    assertEquals(step.getTraceId(), put.getTraceId());
    // What the helper received: version-traceid-parentid-flags, the parent being the request.
    String traceparent = ht.traceparents.get(0);
    assertNotNull(traceparent, "no traceparent sent");
    assertTrue(traceparent.startsWith("00-" + put.getTraceId() + "-" + put.getSpanId() + "-"),
        traceparent);
    assertTrue((Integer.parseInt(traceparent.substring(53), 16) & 1) == 1, "sampled: "
        + traceparent);
  }

  @Test
  void theHelperContinuesTheLeadersTrace() throws Exception {
    TaskId id = TaskId.random();
    tasks.put(Tasks.definition(id, "helper", Map.of("type", "Prio3Count"),
        "http://leader.invalid/"));
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parent = "00f067aa0ba902b7";
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + "/tasks/" + id.toBase64Url()
            + "/aggregation_jobs/" + AggregationJobId.random().toBase64Url()))
        .header("Authorization", "Bearer " + Tasks.AGGREGATOR_TOKEN)
        .header("Content-Type", MediaTypes.AGGREGATION_JOB_INIT_REQ)
        .header("traceparent", "00-" + traceId + "-" + parent + "-01")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode(), r.body());
    String task = id.toBase64Url();
    Waits.until("the helper's span", 10, () -> span(
        "PUT /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}", task).isPresent());
    SpanData s = span("PUT /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}", task)
        .orElseThrow();
    assertEquals(SpanKind.SERVER, s.getKind());
    assertEquals(traceId, s.getTraceId());
    assertEquals(parent, s.getParentSpanId());
    assertEquals(400L, s.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
  }

  @Test
  void aJobStepLogsItsTaskAndJobIds() throws Exception {
    List<ExtLogRecord> records = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record instanceof ExtLogRecord e) {
          e.copyMdc(); // the MDC of the thread that logged, read later on the test's
          synchronized (records) {
            records.add(e);
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger jobs = java.util.logging.Logger.getLogger("io.pando.aggregator.jobs");
    jobs.addHandler(capture);
    try {
      TaskId id = TaskId.random();
      TaskDefinition d = Tasks.leader(id, Map.of("type", "Prio3Count"), helper.uri().toString());
      tasks.put(d);
      FakeHelper.HelperTask ht = helper.add(id, Prio3.count(), d.vdafVerifyKey(), PRECISION);
      ht.refuse = DapProblemType.UNAUTHORIZED_REQUEST; // the job is parked, with a warning
      URI leader = URI.create("http://localhost:" + port + "/");
      new DapClient<>(new DapTask<>(id, leader, helper.uri(), Prio3.count(),
          Duration.ofSeconds(PRECISION))).upload(true, Instant.now());
      String task = id.toBase64Url();
      Waits.until("a parked job's warning and its step's span", 30, () -> {
        synchronized (records) {
          return records.stream().anyMatch(r -> task.equals(r.getMdc("task_id")))
              && span("aggregation job step", task).isPresent();
        }
      });
      ExtLogRecord warning;
      synchronized (records) {
        warning = records.stream().filter(r -> task.equals(r.getMdc("task_id"))).findFirst()
            .orElseThrow();
      }
      SpanData step = span("aggregation job step", task).orElseThrow();
      assertEquals(attr(step, Tracing.JOB_ID), warning.getMdc("job_id"));
      assertEquals(step.getTraceId(), warning.getMdc("trace_id"));
      assertTrue(warning.getFormattedMessage().contains("parked"), warning.getFormattedMessage());
    } finally {
      jobs.removeHandler(capture);
    }
  }
}
