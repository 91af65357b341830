package io.pando.aggregator.leader;

import static io.pando.aggregator.Management.admin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.datastore.AggregationJobStore.JobSummary;
import io.pando.aggregator.datastore.AggregationJobStore.ReportAggregationRow;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.BatchAggregationStore.BatchAggregate;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.ParkedJob;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.jobs.JobBus;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.vdaf.DapVdaf;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregationJobContinueReq;
import io.pando.dap.messages.dap18.AggregationJobExtension;
import io.pando.dap.messages.dap18.AggregationJobInitReq;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.PlaintextInputShare;
import io.pando.dap.messages.dap18.Report;
import io.pando.dap.messages.dap18.ReportMetadata;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.Time;
import io.pando.dap.messages.dap18.UploadRequest;
import io.pando.dap.messages.dap18.VerifyInit;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader's aggregation of DAP-18 tasks (draft-ietf-ppm-dap-18 §4.5) against a real
 * PostgreSQL and Kafka and a fake DAP-18 helper that runs the real helper-side VDAF under the
 * DAP-18 context: reports uploaded with {@code POST /dap-18/tasks/{id}/reports} are put into
 * jobs, POSTed as AggregationJobInitReqs, and their output shares summed exactly once, through
 * a 500 (the retry replays the identical body), an answer "processing" (polled with GET at the
 * Location), and a refusal (the job parks with the helper's problem type).
 */
@QuarkusTest
@TestProfile(LeaderTestProfile.class)
@WithTestResource(Infra.class)
class Dap18LeaderAggregationTest {
  private static final long PRECISION = 3600;
  private static Dap18FakeHelper helper;

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject HpkeKeys keys;
  @Inject JobBus bus;

  @TestHTTPResource("/")
  URI self;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = new Dap18FakeHelper();
  }

  @AfterAll
  static void stopHelper() {
    helper.close();
  }

  /** A DAP-18 leader task and the fake helper's side of it. */
  record Setup(Task task, Dap18FakeHelper.HelperTask helper, long now) {
    TaskId id() {
      return task.id();
    }

    TaskConfiguration configuration() {
      return task.dap18().orElseThrow().configuration();
    }

    long bucket() {
      return Math.floorDiv(now, PRECISION) * PRECISION;
    }
  }

  private Setup setup(String batchMode, Map<String, Object> vdaf, Long maxBatchSize,
      long minBatchSize) {
    TaskId id = TaskId.random();
    long now = System.currentTimeMillis() / 1000;
    byte[] verifyKey = new byte[32];
    new SecureRandom().nextBytes(verifyKey);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("dap_version", "dap-18");
    d.put("role", "leader");
    d.put("task_info", Tasks.b64("leader aggregation".getBytes(StandardCharsets.US_ASCII)));
    d.put("leader_aggregator_endpoint", self.resolve("/dap-18/").toString());
    d.put("helper_aggregator_endpoint", helper.endpoint().toString());
    d.put("batch_mode", batchMode);
    d.put("vdaf", vdaf);
    d.put("vdaf_verify_key", Tasks.b64(verifyKey));
    d.put("min_batch_size", minBatchSize);
    if (maxBatchSize != null) {
      d.put("max_batch_size", maxBatchSize);
    }
    d.put("time_precision", PRECISION);
    d.put("tolerable_clock_skew", 60);
    d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    d.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    d.put("collector_auth_token", Tasks.COLLECTOR_TOKEN);
    admin().contentType(ContentType.JSON).body(d)
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    Task task = tasks.get(id).orElseThrow();
    return new Setup(task, helper.add(task), now);
  }

  /** A report as a DAP-18 client builds it (§4.4.2), the helper's share sealed to the fake. */
  private <M> Report report(Setup s, Prio3<M, ?> vdaf, M measurement) throws Exception {
    ReportId reportId = ReportId.random();
    Sharded sh = vdaf.shard(s.task().vdafContext(), measurement, reportId.bytes());
    byte[] publicShare = vdaf.encodePublicShare(sh.publicShare());
    ReportMetadata md = new ReportMetadata(reportId,
        Time.ofSeconds(s.now(), s.configuration().timePrecision()));
    byte[] aad = new io.pando.dap.messages.dap18.InputShareAad(s.id(),
        s.configuration(), md, publicShare).encode();
    HpkeCiphertext leader = Hpke.sealer(keys.activeConfigs().get(0)).seal(
        ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER), new PlaintextInputShare(
            List.of(), vdaf.encodeInputShare(sh.inputShares().get(0))).encode(), aad);
    HpkeCiphertext helperShare = Hpke.sealer(helper.key().config()).seal(
        ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER), new PlaintextInputShare(
            List.of(), vdaf.encodeInputShare(sh.inputShares().get(1))).encode(), aad);
    return new Report(md, publicShare, leader, helperShare);
  }

  /** Uploads the reports in one UploadRequest; all must be accepted. */
  private List<Report> upload(Setup s, List<Report> reports) throws Exception {
    HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            self.resolve("/dap-18/tasks/" + s.id().toBase64Url() + "/reports"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new UploadRequest(reports).encode()))
        .header("Content-Type", MediaTypes.UPLOAD_REQ).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
    assertEquals(0, answer.body().length, "every report accepted");
    return reports;
  }

  private List<ReportAggregationRow> reportAggregations(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.aggregationJobs().reportAggregations(id));
  }

  private List<JobSummary> jobs(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.aggregationJobs().jobs(id));
  }

  private Map<String, Long> counters(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.counters().get(id));
  }

  private void awaitAllEnded(TaskId id, int n) throws InterruptedException {
    Waits.until(n + " report aggregations ended", 60, () -> {
      List<ReportAggregationRow> ras = reportAggregations(id);
      return ras.size() == n && datastore.inTransaction("test",
          tx -> tx.reports().countUnaggregated(id)) == 0
          && ras.stream().noneMatch(r -> r.state().equals("START"));
    });
  }

  private BatchAggregate leaderAggregate(Setup s, byte[] identifier) {
    return datastore.inTransaction("test", tx -> tx.batchAggregations().read(s.id(),
        List.of(identifier), s.task().dapVdaf()));
  }

  /** The collector's view of one batch: both aggregate shares unsharded. */
  private Object unshard(Setup s, byte[] leaderIdentifier, String helperBatch, long count)
      throws Exception {
    DapVdaf vdaf = s.task().dapVdaf();
    BatchAggregate leader = leaderAggregate(s, leaderIdentifier);
    assertEquals(count, leader.reportCount(), "leader report count");
    assertEquals(count, s.helper().count(helperBatch), "helper report count");
    return vdaf.unshard(new byte[0], List.of(vdaf.encodeAggregateShare(leader.share()),
        vdaf.encodeAggregateShare(s.helper().share(helperBatch))), count);
  }

  private static boolean containsIdentical(List<byte[]> bodies, byte[] body, int times) {
    return bodies.stream().filter(b -> Arrays.equals(b, body)).count() >= times;
  }

  @Test
  void aTimeIntervalSumTaskIsAggregatedThroughARetryAndAnAnswerProcessing() throws Exception {
    Setup s = setup("time_interval", Map.of("type", "Prio3Sum", "max_measurement", 255), null, 1);
    s.helper().failNext.set(1);
    s.helper().processingNext.set(1);
    Prio3<Long, BigInteger> vdaf = Prio3.Draft20.sum(255);
    List<Long> measurements = List.of(3L, 0L, 250L, 7L, 1L, 100L);
    List<Report> reports = new ArrayList<>();
    for (long m : measurements) {
      reports.add(report(s, vdaf, m));
    }
    upload(s, reports);

    awaitAllEnded(s.id(), measurements.size());
    Object sum = unshard(s, BatchAggregationStore.intervalIdentifier(s.bucket()),
        Long.toString(s.bucket()), measurements.size());
    assertEquals(BigInteger.valueOf(361), sum);

    List<JobSummary> jobs = jobs(s.id());
    assertEquals(2, jobs.size(), "six reports in jobs of at most four");
    assertTrue(jobs.stream().allMatch(j -> j.state().equals("FINISHED")), "jobs finished");
    assertTrue(reportAggregations(s.id()).stream().allMatch(r -> r.state().equals("FINISHED")));
    assertEquals(measurements.size(), counters(s.id()).get("aggregation_success"));
    assertEquals(0, s.helper().replays.get(), "no report sent to the helper twice");

    // The 500 was answered by a retry with the byte-identical body (DAP-18 §4.5.3.1), which
    // the helper then took as its job.
    List<byte[]> failed = s.helper().failedBodies();
    assertEquals(1, failed.size());
    assertTrue(containsIdentical(s.helper().initBodies(), failed.get(0), 2),
        "the retried init request is byte-identical");
    // The answer "processing" made the leader poll GET at the Location.
    assertTrue(s.helper().gets.get() >= 1, "the leader polled the job's resource");
    assertTrue(s.helper().requestContentTypes.stream().allMatch(
        t -> t.equals("application/ppm-dap;message=aggregation-job-init-req")));

    // Each request is DAP-18's: key id 0, no parameter, no extensions for time_interval, the
    // uploaded report's metadata in time_precision units, the helper's share as uploaded.
    Map<ReportId, Report> byId = new LinkedHashMap<>();
    for (Report r : reports) {
      byId.put(r.metadata().reportId(), r);
    }
    for (byte[] body : s.helper().initBodies()) {
      AggregationJobInitReq req = AggregationJobInitReq.decode(body);
      assertEquals(0, req.verificationKeyId());
      assertEquals(0, req.aggregationParameter().length);
      assertEquals(List.of(), req.extensions());
      for (VerifyInit init : req.verifyInits()) {
        Report uploaded = byId.get(init.reportId());
        assertEquals(uploaded.metadata(), init.reportShare().metadata());
        assertArrayEquals(uploaded.publicShare(), init.reportShare().publicShare());
        assertEquals(uploaded.helperEncryptedInputShare(),
            init.reportShare().encryptedInputShare());
      }
    }

    // The helper's resource is kept with each job and the finished job deleted there.
    for (JobSummary j : jobs) {
      String location = datastore.inTransaction("test",
          tx -> tx.aggregationJobs().helperLocation(s.id(), j.jobId())).orElseThrow();
      assertTrue(location.startsWith(helper.endpoint().resolve("tasks/" + s.id().toBase64Url()
          + "/aggregation_jobs/").toString()), location);
    }
    Waits.until("the helper saw DELETEs", 10, () -> s.helper().deletes.get() == jobs.size());
  }

  @Test
  void aLeaderSelectedTaskNamesEachJobsBatchInTheExtension() throws Exception {
    Setup s = setup("leader_selected", Map.of("type", "Prio3Count"), 3L, 3);
    Prio3<Boolean, Long> vdaf = Prio3.Draft20.count();
    List<Boolean> measurements = List.of(true, false, true, true, true, false);
    List<Report> reports = new ArrayList<>();
    for (boolean m : measurements) {
      reports.add(report(s, vdaf, m));
    }
    upload(s, reports);
    awaitAllEnded(s.id(), measurements.size());

    List<JobSummary> jobs = jobs(s.id());
    assertTrue(jobs.stream().allMatch(j -> j.state().equals("FINISHED")));
    List<BatchId> batches = new ArrayList<>();
    for (byte[] body : s.helper().initBodies()) {
      AggregationJobInitReq req = AggregationJobInitReq.decode(body);
      assertEquals(1, req.extensions().size());
      assertEquals(AggregationJobExtension.LEADER_SELECTED_BATCH_ID,
          req.extensions().get(0).extensionType());
      batches.add(req.leaderSelectedBatchId().orElseThrow());
    }
    // Each job's extension names the batch the leader put it in.
    assertEquals(jobs.stream().map(j -> j.batchId().orElseThrow()).sorted(
        (a, b) -> Arrays.compare(a.bytes(), b.bytes())).toList(),
        batches.stream().sorted((a, b) -> Arrays.compare(a.bytes(), b.bytes())).toList());
    long ones = 0;
    long total = 0;
    for (BatchId b : batches.stream().distinct().toList()) {
      BatchAggregate leader = leaderAggregate(s, b.bytes());
      long n = leader.reportCount();
      assertEquals(3, n, "batches of max_batch_size");
      ones += (Long) unshard(s, b.bytes(), FakeHelper.b64(b.bytes()), n);
      total += n;
    }
    assertEquals(6, total);
    assertEquals(4, ones);
  }

  @Test
  void aHelperThatDoesNotKnowTheTaskParksTheJobWithThatReason() throws Exception {
    Setup s = setup("time_interval", Map.of("type", "Prio3Count"), null, 1);
    s.helper().refuse = DapProblemType.UNRECOGNIZED_TASK;
    s.helper().refuseStatus = 400;
    Prio3<Boolean, Long> vdaf = Prio3.Draft20.count();
    upload(s, List.of(report(s, vdaf, true), report(s, vdaf, false)));

    Waits.until("the job is parked", 60, () -> !parked(s.id()).isEmpty());
    ParkedJob p = parked(s.id()).get(0);
    assertEquals("IN_PROGRESS", p.state());
    assertTrue(p.reason().contains("unrecognizedTask"), p.reason());
    assertTrue(p.reason().contains("HTTP 400"), p.reason());
    assertTrue(p.reason().contains("does not know the task"), p.reason());
    // Nothing counted: the reports wait in the job, no output share was accumulated.
    assertTrue(reportAggregations(s.id()).stream().allMatch(r -> r.state().equals("START")));
    assertNull(counters(s.id()).get("aggregation_success"));
    assertEquals(0, leaderAggregate(s, BatchAggregationStore.intervalIdentifier(s.bucket()))
        .reportCount());
    assertFalse(datastore.inTransaction("test", tx -> tx.aggregationJobs()
        .helperLocation(s.id(), p.job().jobId())).isPresent());
  }

  @Test
  void aPoplar1TaskIsAggregatedInTwoRoundsUnderItsParameter() throws Exception {
    Setup s = setup("time_interval", Map.of("type", "Poplar1", "bits", 4), null, 1);
    Poplar1 poplar = new Poplar1(VdafVersion.DRAFT_20, 4);
    List<Report> reports = new ArrayList<>();
    for (long m : new long[] {0b1010, 0b0110, 0b1111}) {
      reports.add(poplar1Report(s, poplar, m));
    }
    upload(s, reports);
    // The second round's first POST fails: the leader sends the identical continuation again
    // from the states it kept (WAITING), and the helper's job finishes once.
    s.helper().failContinueNext.set(1);
    // Draft-20 encodes the parameter its own way (encode_agg_param of the instance).
    byte[] param = poplar.encodeAggParam(Poplar1AggParam.of(0, 0, 1));
    long bucket = s.bucket();
    List<JobKey> created = datastore.inTransaction("test", tx ->
        CollectionAggregation.createJobs(tx, s.task(), param, bucket, bucket + PRECISION, 4));
    assertEquals(1, created.size());
    bus.announce(JobKind.AGGREGATION, created.get(0), "test");
    Waits.until("the Poplar1 reports ended", 60, () -> {
      List<ReportAggregationRow> ras = reportAggregations(s.id());
      return ras.size() == 3 && ras.stream().allMatch(r -> r.state().equals("FINISHED")
          || r.state().equals("FAILED"));
    });
    assertTrue(reportAggregations(s.id()).stream().allMatch(r -> r.state().equals("FINISHED")),
        () -> reportAggregations(s.id()).toString());

    DapVdaf vdaf = s.task().dapVdaf();
    BatchAggregate leader = datastore.inTransaction("test", tx -> tx.batchAggregations().read(
        s.id(), List.of(BatchAggregationStore.intervalIdentifier(bucket)), vdaf, param));
    assertEquals(3, leader.reportCount());
    String helperBatch = bucket + "/" + FakeHelper.b64(param);
    assertEquals(3, s.helper().count(helperBatch));
    assertEquals(List.of(1L, 2L), vdaf.unshard(param, List.of(
        vdaf.encodeAggregateShare(leader.share()),
        vdaf.encodeAggregateShare(s.helper().share(helperBatch))), 3));

    List<byte[]> failed = s.helper().failedContinueBodies();
    assertEquals(1, failed.size());
    assertTrue(containsIdentical(s.helper().continueBodies(), failed.get(0), 2),
        "the resent continuation is byte-identical");
    AggregationJobContinueReq cont = AggregationJobContinueReq.decode(failed.get(0));
    assertEquals(1, cont.step().value());
    assertEquals(3, cont.verifyContinues().size());
    assertArrayEquals(param, AggregationJobInitReq.decode(s.helper().initBodies().get(0))
        .aggregationParameter());
    Waits.until("the helper saw the DELETE", 10, () -> s.helper().deletes.get() == 1);
  }

  /** A Poplar1 report as a DAP-18 client builds it, sharded under the task's context. */
  private Report poplar1Report(Setup s, Poplar1 poplar, long measurement) throws Exception {
    ReportId reportId = ReportId.random();
    Poplar1Sharded sh = poplar.shard(s.task().vdafContext(), BigInteger.valueOf(measurement),
        reportId.bytes());
    byte[] publicShare = poplar.encodePublicShare(sh.publicShare());
    ReportMetadata md = new ReportMetadata(reportId,
        Time.ofSeconds(s.now(), s.configuration().timePrecision()));
    byte[] aad = new io.pando.dap.messages.dap18.InputShareAad(s.id(), s.configuration(), md,
        publicShare).encode();
    HpkeCiphertext leader = Hpke.sealer(keys.activeConfigs().get(0)).seal(
        ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER), new PlaintextInputShare(
            List.of(), poplar.encodeInputShare(sh.inputShares().get(0))).encode(), aad);
    HpkeCiphertext helperShare = Hpke.sealer(helper.key().config()).seal(
        ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER), new PlaintextInputShare(
            List.of(), poplar.encodeInputShare(sh.inputShares().get(1))).encode(), aad);
    return new Report(md, publicShare, leader, helperShare);
  }

  private List<ParkedJob> parked(TaskId id) {
    return datastore.inTransaction("test",
        tx -> tx.leases().parked(JobKind.AGGREGATION.table(), 100)).stream()
        .filter(p -> p.job().taskId().equals(id)).toList();
  }
}
