package io.pando.aggregator.leader;

import static io.pando.aggregator.Management.admin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.CollectionJobStore.Job;
import io.pando.aggregator.datastore.CollectionJobStore.Summary;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregateShareAad;
import io.pando.dap.messages.dap18.AggregateShareReq;
import io.pando.dap.messages.dap18.BatchSelector;
import io.pando.dap.messages.dap18.CollectionJobExtension;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.CollectionJobResp;
import io.pando.dap.messages.dap18.Interval;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.Query;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.prio3.Prio3;
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
 * The leader's DAP-18 collection (draft-ietf-ppm-dap-18 §4.6) over a real PostgreSQL and Kafka:
 * {@code POST /dap-18/tasks/{id}/collection_jobs}, {@code GET} and {@code DELETE} of the job,
 * the batch seeded into the leader's datastore (its DAP-18 aggregation is built elsewhere) and a
 * fake DAP-18 helper answering the aggregate share request. The collector's side is written out
 * here: the job's CollectionJobResp is opened with the collector's key, the "dap-18 aggregate
 * share" info and the AggregateShareAad, and unsharded.
 */
@QuarkusTest
@TestProfile(CollectionTestProfile.class)
@WithTestResource(Infra.class)
class Dap18CollectionTest {
  private static final long PRECISION = 3600;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static FakeDap18ShareHelper helper;

  @Inject TaskService tasks;
  @Inject Datastore datastore;

  @TestHTTPResource("/")
  URI self;

  private final Prio3<Boolean, Long> vdaf = Prio3.Draft20.count();

  @BeforeAll
  static void startHelper() throws Exception {
    helper = new FakeDap18ShareHelper();
  }

  @AfterAll
  static void stopHelper() {
    helper.close();
  }

  /** A DAP-18 time-interval Prio3Count leader task; {@code bucket} is the previous hour. */
  record Setup(Task task, TaskConfiguration configuration, long bucket) {
    TaskId id() {
      return task.id();
    }

    /** The bucket's start in time_precision units, as the wire counts it. */
    long bucketUnits() {
      return bucket / PRECISION;
    }

    CollectionJobReq request(long buckets) {
      return new CollectionJobReq(Query.timeInterval(Interval.of(bucketUnits(), buckets)),
          new byte[0]);
    }
  }

  private Setup setup(String batchMode, long minBatchSize) {
    TaskId id = TaskId.random();
    long now = System.currentTimeMillis() / 1000;
    long start = (now / PRECISION - 10) * PRECISION;
    byte[] verifyKey = new byte[32];
    RANDOM.nextBytes(verifyKey);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("dap_version", "dap-18");
    d.put("role", "leader");
    d.put("task_info", Tasks.b64("collection".getBytes(StandardCharsets.US_ASCII)));
    d.put("leader_aggregator_endpoint", self.resolve("dap-18/").toString());
    d.put("helper_aggregator_endpoint", helper.endpoint().toString());
    d.put("batch_mode", batchMode);
    d.put("vdaf", Map.of("type", "Prio3Count"));
    d.put("vdaf_verify_key", Tasks.b64(verifyKey));
    d.put("min_batch_size", minBatchSize);
    d.put("time_precision", PRECISION);
    d.put("task_interval", Map.of("start", start, "duration", 20 * PRECISION));
    d.put("tolerable_clock_skew", 60);
    d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    d.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    d.put("collector_auth_token", Tasks.COLLECTOR_TOKEN);
    admin().contentType(ContentType.JSON).body(d)
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    Task task = tasks.get(id).orElseThrow();
    long bucket = (now / PRECISION - 1) * PRECISION;
    return new Setup(task, task.dap18().orElseThrow().configuration(), bucket);
  }

  /** Prio3Count (Field64) aggregate shares of {@code sum}, split at random. */
  private List<byte[]> split(long sum) {
    BigInteger p = Field64.INSTANCE.modulus();
    BigInteger leader = new BigInteger(63, RANDOM).mod(p);
    BigInteger helperShare = BigInteger.valueOf(sum).subtract(leader).mod(p);
    return List.of(le64(leader), le64(helperShare));
  }

  private static byte[] le64(BigInteger v) {
    byte[] out = new byte[8];
    long x = v.longValue();
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (x >>> (8 * i));
    }
    return out;
  }

  /** The batch's checksum over {@code reports} (XOR of SHA-256 of the report ids). */
  private static byte[] checksum(List<ReportId> reports) {
    byte[] sum = new byte[32];
    for (ReportId r : reports) {
      byte[] h = FakeHelper.sha256(r.bytes());
      for (int i = 0; i < 32; i++) {
        sum[i] ^= h[i];
      }
    }
    return sum;
  }

  /**
   * Seeds the leader's batch aggregation of the setup's bucket: {@code share} over {@code
   * reports}, client times (seconds) {@code bucket + 5} and {@code bucket + 100}.
   */
  private void seed(Setup s, byte[] share, List<ReportId> reports) throws Exception {
    seed(s, BatchAggregationStore.intervalIdentifier(s.bucket()), share, reports);
  }

  /** {@link #seed} into the batch aggregation {@code batch}. */
  private void seed(Setup s, byte[] batch, byte[] share, List<ReportId> reports)
      throws Exception {
    Object decoded = s.task().dapVdaf().decodeAggregateShare(new byte[0], share);
    datastore.inTransaction("seed-dap18-batch", tx -> {
      tx.batchAggregations().ensureShards(s.id(), batch, 1, s.task().dapVdaf());
      tx.batchAggregations().accumulate(s.id(), batch, 1, s.task().dapVdaf(), decoded,
          reports.size(), checksum(reports), s.bucket() + 5, s.bucket() + 100);
      return null;
    });
  }

  private static List<ReportId> reports(int n) {
    List<ReportId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ReportId.random());
    }
    return out;
  }

  private HttpResponse<byte[]> post(TaskId task, String contentType, byte[] body)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(self.resolve("dap-18/tasks/" + task.toBase64Url()
            + "/collection_jobs"))
        .header("Authorization", "Bearer " + Tasks.COLLECTOR_TOKEN)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> post(TaskId task, byte[] body) throws Exception {
    return post(task, MediaTypes.COLLECTION_JOB_REQ, body);
  }

  private HttpResponse<byte[]> call(String method, String location) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(self.resolve(location))
        .header("Authorization", "Bearer " + Tasks.COLLECTOR_TOKEN)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String location(HttpResponse<byte[]> r) {
    return r.headers().firstValue("Location").orElseThrow(
        () -> new AssertionError("no Location: " + r.statusCode()));
  }

  private static ProblemDocument problem(HttpResponse<byte[]> r) {
    assertEquals(io.pando.dap.messages.MediaTypes.PROBLEM_JSON,
        r.headers().firstValue("Content-Type").orElse(""));
    return ProblemDocument.parse(new String(r.body(), StandardCharsets.UTF_8));
  }

  private static DapProblemType problemType(HttpResponse<byte[]> r) {
    return problem(r).dapType(DapVersion.DAP_18).orElseThrow(() -> new AssertionError("no DAP problem type: "
        + new String(r.body(), StandardCharsets.UTF_8)));
  }

  private List<Summary> jobs(Setup s) {
    return datastore.inTransaction("test", tx -> tx.collectionJobs().list(s.id()));
  }

  private Job job(Setup s, String location) {
    CollectionJobId id = CollectionJobId.fromBase64Url(
        location.substring(location.lastIndexOf('/') + 1));
    return datastore.inTransaction("test", tx -> tx.collectionJobs().get(s.id(), id.bytes()))
        .orElseThrow();
  }

  /** GETs the job until it answers with a body or a problem. */
  private HttpResponse<byte[]> await(String location) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<byte[]> r = call("GET", location);
      if (r.statusCode() != 200 || r.body().length > 0) {
        return r;
      }
      assertTrue(r.headers().firstValue("Retry-After").isPresent(), "no Retry-After");
      assertTrue(System.nanoTime() < deadline, "the collection job did not finish");
      Thread.sleep(200);
    }
  }

  @Test
  void malformedOrMistypedRequestsAreRefusedAndStoreNothing() throws Exception {
    Setup s = setup("time_interval", 1);
    record Case(String what, byte[] body, DapProblemType expected) {}
    List<Case> cases = List.of(
        new Case("garbage", new byte[] {1, 2, 3}, DapProblemType.INVALID_MESSAGE),
        new Case("trailing bytes", Arrays.copyOf(s.request(1).encode(),
            s.request(1).encode().length + 1), DapProblemType.INVALID_MESSAGE),
        new Case("a leader_selected query to a time_interval task",
            new CollectionJobReq(Query.leaderSelected(), new byte[0]).encode(),
            DapProblemType.INVALID_MESSAGE),
        new Case("Prio3 with a non-empty aggregation parameter",
            new CollectionJobReq(s.request(1).query(), new byte[] {1}).encode(),
            DapProblemType.INVALID_AGGREGATION_PARAMETER),
        new Case("a zero-length interval", new CollectionJobReq(
            Query.timeInterval(Interval.of(s.bucketUnits(), 0)), new byte[0]).encode(),
            DapProblemType.BATCH_INVALID),
        new Case("an interval whose seconds overflow", new CollectionJobReq(
            Query.timeInterval(Interval.of(Long.MAX_VALUE / 2, 1)), new byte[0]).encode(),
            DapProblemType.BATCH_INVALID),
        new Case("an unknown extension", new CollectionJobReq(s.request(1).query(),
            new byte[0], List.of(new CollectionJobExtension(7, new byte[] {1}))).encode(),
            DapProblemType.UNSUPPORTED_EXTENSION),
        new Case("extensions out of order", new CollectionJobReq(s.request(1).query(),
            new byte[0], List.of(new CollectionJobExtension(9, new byte[0]),
                new CollectionJobExtension(7, new byte[0]))).encode(),
            DapProblemType.INVALID_EXTENSION));
    for (Case c : cases) {
      HttpResponse<byte[]> r = post(s.id(), c.body());
      assertEquals(400, r.statusCode(), c.what());
      assertEquals(c.expected(), problemType(r), c.what());
      assertEquals(s.id().toBase64Url(), problem(r).taskId(), c.what());
    }
    // Another message than collection-job-req: 415.
    assertEquals(415, post(s.id(), MediaTypes.AGGREGATE_SHARE_REQ, s.request(1).encode())
        .statusCode());
    // The DAP-09 route of a DAP-18 task: unknown there.
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(self.resolve("tasks/"
            + s.id().toBase64Url() + "/collection_jobs/" + CollectionJobId.random()
            .toBase64Url()))
        .header("Authorization", "Bearer " + Tasks.COLLECTOR_TOKEN)
        .header("Content-Type", io.pando.dap.messages.MediaTypes.COLLECT_REQ)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(s.request(1).encode())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(DapProblemType.UNRECOGNIZED_TASK, problemType(r));
    assertTrue(jobs(s).isEmpty(), "a refused request stored a job");
  }

  @Test
  void aLeaderSelectedTaskRefusesATimeIntervalQuery() throws Exception {
    Setup s = setup("leader_selected", 1);
    HttpResponse<byte[]> r = post(s.id(), new CollectionJobReq(
        Query.timeInterval(Interval.of(s.bucketUnits(), 1)), new byte[0]).encode());
    assertEquals(DapProblemType.INVALID_MESSAGE, problemType(r));
    assertTrue(jobs(s).isEmpty());
    // Its own query is taken.
    r = post(s.id(), new CollectionJobReq(Query.leaderSelected(), new byte[0]).encode());
    assertEquals(201, r.statusCode());
    assertEquals(1, jobs(s).size());
  }

  @Test
  void theSamePostNamesTheSameJobWhichRunsUntilDeleted() throws Exception {
    Setup s = setup("time_interval", 100);
    byte[] body = s.request(1).encode();
    HttpResponse<byte[]> first = post(s.id(), body);
    assertEquals(201, first.statusCode());
    assertEquals(0, first.body().length);
    assertTrue(first.headers().firstValue("Retry-After").isPresent());
    String location = location(first);
    assertTrue(location.startsWith("/dap-18/tasks/" + s.id().toBase64Url() + "/collection_jobs/"),
        location);
    HttpResponse<byte[]> again = post(s.id(), body);
    assertEquals(201, again.statusCode());
    assertEquals(location, location(again));
    // The id is the leader's: SHA-256("pando dap-18 collection job" || task_id || body).
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update("pando dap-18 collection job".getBytes(StandardCharsets.UTF_8));
    sha.update(s.id().bytes());
    sha.update(body);
    assertEquals("/dap-18/tasks/" + s.id().toBase64Url() + "/collection_jobs/"
        + Tasks.b64(Arrays.copyOf(sha.digest(), 16)), location);
    assertEquals(1, jobs(s).size());
    // Another interval is another job.
    HttpResponse<byte[]> other = post(s.id(), s.request(2).encode());
    assertNotEquals(location, location(other));
    assertEquals(2, jobs(s).size());
    call("DELETE", location(other));

    // The job waits for min_batch_size reports: 200, empty, Retry-After.
    HttpResponse<byte[]> running = call("GET", location);
    assertEquals(200, running.statusCode());
    assertEquals(0, running.body().length);
    assertEquals("1", running.headers().firstValue("Retry-After").orElse(""));
    // The query is kept in seconds: the bucket's start and end.
    Job stored = job(s, location);
    assertEquals(s.bucket(), stored.batchStart());
    assertEquals(s.bucket() + PRECISION, stored.batchEnd());

    assertEquals(204, call("DELETE", location).statusCode());
    assertEquals(404, call("GET", location).statusCode());
    assertEquals("DELETED", job(s, location).state());
    assertEquals(404, call("DELETE", "/dap-18/tasks/" + s.id().toBase64Url()
        + "/collection_jobs/" + CollectionJobId.random().toBase64Url()).statusCode());
  }

  @Test
  void aFinishedJobDecryptsToTheExactSumAfterTheHelperDeferredItsShare() throws Exception {
    Setup s = setup("time_interval", 3);
    List<ReportId> reports = reports(5);
    long sum = 4;
    List<byte[]> shares = split(sum);
    seed(s, shares.get(0), reports);
    FakeDap18ShareHelper.ShareTask h = helper.add(s.id(), s.configuration(), shares.get(1),
        reports.size(), checksum(reports));
    h.deferPosts.set(1);
    CollectionJobReq req = new CollectionJobReq(
        Query.timeInterval(Interval.of(s.bucketUnits() - 1, 3)), new byte[0]);

    HttpResponse<byte[]> created = post(s.id(), req.encode());
    assertEquals(201, created.statusCode());
    String location = location(created);
    HttpResponse<byte[]> done = await(location);
    assertEquals(200, done.statusCode(), new String(done.body(), StandardCharsets.UTF_8));
    assertEquals(MediaTypes.COLLECTION_JOB_RESP, done.headers().firstValue("Content-Type")
        .orElse(""));
    CollectionJobResp resp = CollectionJobResp.decode(done.body());

    // §4.6.1: the report count and the smallest interval holding the reports, in units.
    assertEquals(5, resp.reportCount());
    assertEquals(Interval.of(s.bucketUnits(), 1), resp.interval());
    // Kept in seconds in the datastore.
    Job stored = job(s, location);
    assertEquals(s.bucket() - PRECISION, stored.batchStart());
    assertEquals(s.bucket() + 2 * PRECISION, stored.batchEnd());
    assertEquals(s.bucket(), stored.intervalStart());
    assertEquals(PRECISION, stored.intervalDuration());

    // §4.6.7: both shares open with the dap-18 info of their sender and the AAD of the task
    // configuration and the request; together they are the sum.
    byte[] aad = new AggregateShareAad(s.id(), s.configuration(), req).encode();
    byte[] leader = Tasks.COLLECTOR_KEY.open(
        ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.LEADER),
        resp.leaderEncryptedAggregateShare(), aad);
    byte[] helperShare = Tasks.COLLECTOR_KEY.open(
        ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER),
        resp.helperEncryptedAggregateShare(), aad);
    assertArrayEquals(shares.get(1), helperShare);
    assertEquals(Long.valueOf(sum), vdaf.unshard(List.of(vdaf.decodeAggregateShare(leader),
        vdaf.decodeAggregateShare(helperShare)), resp.reportCount()));

    // §4.6.4: what the helper was asked, once deferred and fetched with GET at its Location.
    assertTrue(h.gets.get() >= 1, "the leader did not poll the deferred share");
    assertEquals(MediaTypes.AGGREGATE_SHARE_REQ, h.contentTypes.get(0));
    AggregateShareReq asked = AggregateShareReq.decode(h.requests.get(0));
    assertEquals(req, asked.collectionJobReq());
    assertEquals(BatchSelector.timeInterval(Interval.of(s.bucketUnits() - 1, 3)),
        asked.batchSelector());
    assertEquals(5, asked.reportCount());
    assertArrayEquals(checksum(reports), asked.checksum().bytes());

    // The same POST again names the finished job and answers its representation.
    HttpResponse<byte[]> again = post(s.id(), req.encode());
    assertEquals(201, again.statusCode());
    assertEquals(location, location(again));
    assertArrayEquals(done.body(), again.body());
    assertEquals(1, jobs(s).size());
    assertEquals("FINISHED", jobs(s).get(0).state());
  }

  @Test
  void aLeaderSelectedJobCollectsTheFilledBatchTheLeaderPicks() throws Exception {
    Setup s = setup("leader_selected", 2);
    BatchId batch = BatchId.random();
    List<ReportId> reports = reports(3);
    List<byte[]> shares = split(3);
    datastore.inTransaction("seed-dap18-outstanding-batch", tx -> {
      tx.aggregationJobs().insertBatch(s.id(), batch, reports.size());
      tx.aggregationJobs().markFilled(s.id(), batch);
      return null;
    });
    seed(s, batch.bytes(), shares.get(0), reports);
    FakeDap18ShareHelper.ShareTask h = helper.add(s.id(), s.configuration(), shares.get(1),
        reports.size(), checksum(reports));
    CollectionJobReq req = new CollectionJobReq(Query.leaderSelected(), new byte[0]);
    String location = location(post(s.id(), req.encode()));
    HttpResponse<byte[]> done = await(location);
    assertEquals(200, done.statusCode(), new String(done.body(), StandardCharsets.UTF_8));
    CollectionJobResp resp = CollectionJobResp.decode(done.body());
    assertEquals(3, resp.reportCount());
    // §5.2: the helper is sent the batch the leader picked.
    AggregateShareReq asked = AggregateShareReq.decode(h.requests.get(0));
    assertEquals(BatchSelector.leaderSelected(batch), asked.batchSelector());
    assertEquals(req, asked.collectionJobReq());
    assertArrayEquals(batch.bytes(), job(s, location).batchIdentifier());
    byte[] aad = new AggregateShareAad(s.id(), s.configuration(), req).encode();
    byte[] leader = Tasks.COLLECTOR_KEY.open(
        ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.LEADER),
        resp.leaderEncryptedAggregateShare(), aad);
    byte[] helperShare = Tasks.COLLECTOR_KEY.open(
        ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER),
        resp.helperEncryptedAggregateShare(), aad);
    assertEquals(Long.valueOf(3), vdaf.unshard(List.of(vdaf.decodeAggregateShare(leader),
        vdaf.decodeAggregateShare(helperShare)), resp.reportCount()));
  }

  @Test
  void aHelperBatchProblemFailsTheJobWithItsReason() throws Exception {
    Setup s = setup("time_interval", 1);
    List<ReportId> reports = reports(2);
    List<byte[]> shares = split(2);
    seed(s, shares.get(0), reports);
    // The helper counts one report more than the leader.
    helper.add(s.id(), s.configuration(), shares.get(1), 3, checksum(reports));
    String location = location(post(s.id(), s.request(1).encode()));
    HttpResponse<byte[]> failed = await(location);
    assertEquals(400, failed.statusCode());
    assertEquals(DapProblemType.BATCH_MISMATCH, problemType(failed));
    assertTrue(problem(failed).detail().contains("the helper refused"),
        problem(failed).detail());
    assertEquals("FAILED", job(s, location).state());
  }

  @Test
  void aHelperThatDoesNotKnowTheTaskParksTheJob() throws Exception {
    Setup s = setup("time_interval", 1);
    List<ReportId> reports = reports(2);
    seed(s, split(2).get(0), reports);
    FakeDap18ShareHelper.ShareTask h = helper.add(s.id(), s.configuration(), split(2).get(1),
        2, checksum(reports));
    h.refuse = DapProblemType.UNRECOGNIZED_TASK;
    String location = location(post(s.id(), s.request(1).encode()));
    Waits.until("the collection job is parked", 30, () -> datastore.inTransaction("test",
        tx -> tx.leases().parked(JobKind.COLLECTION.table(), 100)).stream()
        .anyMatch(p -> p.job().taskId().equals(s.id())
            && p.reason().contains("does not know the task")));
    HttpResponse<byte[]> running = call("GET", location);
    assertEquals(200, running.statusCode());
    assertEquals(0, running.body().length);
    assertEquals("COLLECTABLE", job(s, location).state());
    assertNull(job(s, location).helperEncryptedShare());
  }
}
