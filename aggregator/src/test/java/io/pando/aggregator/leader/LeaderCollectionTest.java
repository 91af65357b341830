package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.datastore.AggregationJobStore.ReportAggregationRow;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.CollectionJobStore.Summary;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader's collection (DAP-09 §4.6) over a real PostgreSQL and Kafka against a fake helper:
 * reports uploaded with the Java client, collected with the real collector library, and every
 * refusal checked to leave the datastore as it was.
 */
@QuarkusTest
@TestProfile(CollectionTestProfile.class)
@WithTestResource(Infra.class)
class LeaderCollectionTest {
  private static final String CREATOR = "pando-aggregation-job-creator";
  private static final long PRECISION = 3600;
  private static final String TOKEN = "collector-M3nB8vC5xZ1qW7eR";
  private static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static FakeHelper helper;

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject Scheduler scheduler;
  @Inject MeterRegistry meters;

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

  /** A leader task, the fake helper's side of it, an upload client and a collector. */
  record Setup<M, R>(Task task, FakeHelper.HelperTask helper, DapClient<M> client,
      Collector<R> collector, Prio3<M, R> vdaf, long bucket) {
    TaskId id() {
      return task.id();
    }

    Instant time() {
      return Instant.ofEpochSecond(bucket);
    }

    Query<?> query(long buckets) {
      return Query.timeInterval(Interval.of(bucket, buckets * PRECISION));
    }
  }

  private <M, R> Setup<M, R> setup(Map<String, Object> vdafJson, Prio3<M, R> vdaf,
      String queryType, Long maxBatchSize, long minBatchSize, long maxQueries) {
    return setup(vdafJson, vdaf, queryType, maxBatchSize, minBatchSize, maxQueries, null);
  }

  private <M, R> Setup<M, R> setup(Map<String, Object> vdafJson, Prio3<M, R> vdaf,
      String queryType, Long maxBatchSize, long minBatchSize, long maxQueries,
      Map<String, Object> dpStrategy) {
    TaskId id = TaskId.random();
    TaskDefinition d = Tasks.leader(id, vdafJson, helper.uri().toString());
    d = new TaskDefinition(d.taskId(), d.role(), d.peerEndpoint(), queryType, maxBatchSize,
        d.vdaf(), d.vdafVerifyKey(), maxQueries, d.taskExpiration(), d.reportExpiryAge(),
        minBatchSize, d.timePrecision(), d.tolerableClockSkew(), d.collectorHpkeConfig(),
        d.aggregatorAuthToken(), d.collectorAuthToken()).withDpStrategy(dpStrategy);
    Task task = tasks.put(d);
    FakeHelper.HelperTask ht = helper.add(id, vdaf, d.vdafVerifyKey(), PRECISION);
    URI leader = leaderUri();
    DapClient<M> client = new DapClient<>(new DapTask<>(id, leader, helper.uri(), vdaf,
        Duration.ofSeconds(PRECISION)));
    Collector<R> collector = new Collector<>(id, leader, TOKEN, Tasks.COLLECTOR_KEY, vdaf);
    // The previous hour: every report of a test lands in one bucket.
    long bucket = (Instant.now().getEpochSecond() / PRECISION - 1) * PRECISION;
    return new Setup<>(task, ht, client, collector, vdaf, bucket);
  }

  private Setup<Boolean, Long> count(long minBatchSize, long maxQueries) {
    return setup(Map.of("type", "Prio3Count"), Prio3.count(), "time_interval", null,
        minBatchSize, maxQueries);
  }

  private URI leaderUri() {
    return URI.create("http://localhost:" + port + "/");
  }

  private static <M> void upload(Setup<M, ?> s, long bucketOffset, List<M> measurements)
      throws Exception {
    for (M m : measurements) {
      s.client().upload(m, s.time().plusSeconds(bucketOffset * PRECISION));
    }
  }

  private void pauseCreator() throws InterruptedException {
    scheduler.pause(CREATOR);
    Thread.sleep(600);
  }

  private void resumeCreator() {
    scheduler.resume(CREATOR);
  }

  /** A raw request to a collection job. */
  private HttpResponse<byte[]> call(String method, TaskId task, CollectionJobId job, String token,
      byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(leaderUri().resolve("tasks/"
        + task.toBase64Url() + "/collection_jobs/" + job.toBase64Url()))
        .timeout(java.time.Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", MediaTypes.COLLECT_REQ);
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] collectReq(Query<?> query) {
    return new CollectionReq<>(query, new byte[0]).encode();
  }

  private static DapProblemType problemType(HttpResponse<byte[]> r) {
    assertEquals(MediaTypes.PROBLEM_JSON, r.headers().firstValue("Content-Type").orElse(""));
    return ProblemDocument.parse(new String(r.body(), StandardCharsets.UTF_8)).dapType()
        .orElseThrow(() -> new AssertionError("no DAP problem type: "
            + new String(r.body(), StandardCharsets.UTF_8)));
  }

  /**
   * What collection left in the datastore for a task: its jobs, the query counts and collected
   * flags of the buckets around the setup's bucket.
   */
  private String snapshot(Setup<?, ?> s) {
    return datastore.inTransaction("test", tx -> {
      StringBuilder sb = new StringBuilder();
      for (Summary j : tx.collectionJobs().list(s.id())) {
        sb.append(Tasks.b64(j.jobId())).append(' ').append(j.state()).append(' ')
            .append(j.recorded()).append(' ').append(j.reportCount()).append('\n');
      }
      List<byte[]> ids = new ArrayList<>();
      for (long i = -2; i < 4; i++) {
        ids.add(BatchAggregationStore.intervalIdentifier(s.bucket() + i * PRECISION));
      }
      tx.batchQueries().counts(s.id(), ids).forEach((k, v) ->
          sb.append("queried ").append(Tasks.b64(k.array())).append(' ').append(v).append('\n'));
      for (byte[] id : ids) {
        sb.append(tx.batchAggregations().isCollected(s.id(), id) ? 'C' : '-');
      }
      return sb.toString();
    });
  }

  private List<Summary> jobs(Setup<?, ?> s) {
    return datastore.inTransaction("test", tx -> tx.collectionJobs().list(s.id()));
  }

  private double counter(String name, String... tags) {
    Counter c = meters.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aPollIsAcceptedUntilTheBatchIsAggregatedThenTheCollectionDecrypts() throws Exception {
    Setup<Boolean, Long> s = count(3, 1);
    double finished = counter("pando_collection_jobs_total", "outcome", "finished");
    pauseCreator();
    try {
      upload(s, 0, List.of(true, false, true, true, true));
      CollectionJobId id = s.collector().start(s.query(1));
      Thread.sleep(1000);
      HttpResponse<byte[]> r = call("POST", s.id(), id, TOKEN, null);
      assertEquals(202, r.statusCode());
      assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
      // Waiting for the reports' aggregation uses up no attempt.
      assertTrue(jobs(s).get(0).attempts() <= 1, "attempts: " + jobs(s).get(0).attempts());
      assertEquals("START", jobs(s).get(0).state());
    } finally {
      resumeCreator();
    }
    CollectionJobId id = CollectionJobId.of(jobs(s).get(0).jobId());
    CollectionResult<Long> result = null;
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (result == null) {
      Collector.Poll<Long> p = s.collector().poll(id);
      if (p instanceof Collector.Poll.Ready<Long> ready) {
        result = ready.result();
      } else {
        assertTrue(System.nanoTime() < deadline, "collection not ready");
        Thread.sleep(200);
      }
    }
    assertEquals(4L, result.aggregate());
    assertEquals(5, result.reportCount());
    assertEquals(Interval.of(s.bucket(), PRECISION), result.interval());
    assertEquals(finished + 1, counter("pando_collection_jobs_total", "outcome", "finished"));
    // The query is recorded, the bucket collected, and the helper asked once.
    assertTrue(snapshot(s).contains(" FINISHED true 5\n"), snapshot(s));
    assertEquals(1, s.helper().shareRequests().size());
    // A finished job answers the same Collection again.
    HttpResponse<byte[]> again = call("POST", s.id(), id, TOKEN, null);
    assertEquals(200, again.statusCode());
    assertEquals(MediaTypes.COLLECTION, again.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void misalignedOrMistypedQueriesAreRefusedAndStoreNothing() throws Exception {
    Setup<Boolean, Long> s = count(1, 1);
    upload(s, 0, List.of(true));
    String before = snapshot(s);
    for (Interval bad : List.of(Interval.of(s.bucket() + 1, PRECISION),
        Interval.of(s.bucket(), PRECISION / 2), Interval.of(s.bucket(), PRECISION + 60),
        Interval.of(s.bucket(), 0))) {
      HttpResponse<byte[]> r = call("PUT", s.id(), CollectionJobId.random(), TOKEN,
          collectReq(Query.timeInterval(bad)));
      assertEquals(400, r.statusCode(), bad.toString());
      assertEquals(DapProblemType.BATCH_INVALID, problemType(r));
    }
    // A fixed-size query to a time-interval task, a non-empty aggregation parameter, garbage.
    HttpResponse<byte[]> r = call("PUT", s.id(), CollectionJobId.random(), TOKEN,
        collectReq(Query.currentBatch()));
    assertEquals(DapProblemType.INVALID_MESSAGE, problemType(r));
    r = call("PUT", s.id(), CollectionJobId.random(), TOKEN,
        new CollectionReq<>(s.query(1), new byte[] {1}).encode());
    assertEquals(DapProblemType.INVALID_MESSAGE, problemType(r));
    r = call("PUT", s.id(), CollectionJobId.random(), TOKEN, new byte[] {1, 2, 3});
    assertEquals(DapProblemType.INVALID_MESSAGE, problemType(r));
    // Unknown task; a wrong or missing collector token.
    r = call("PUT", TaskId.random(), CollectionJobId.random(), TOKEN, collectReq(s.query(1)));
    assertEquals(DapProblemType.UNRECOGNIZED_TASK, problemType(r));
    for (String token : new String[] {"wrong", null}) {
      CollectionJobId id = CollectionJobId.random();
      r = call("PUT", s.id(), id, token, collectReq(s.query(1)));
      assertEquals(403, r.statusCode());
      assertEquals(DapProblemType.UNAUTHORIZED_REQUEST, problemType(r));
      assertEquals(403, call("POST", s.id(), id, token, null).statusCode());
      assertEquals(403, call("DELETE", s.id(), id, token, null).statusCode());
    }
    // An unknown job: 404.
    assertEquals(404, call("POST", s.id(), CollectionJobId.random(), TOKEN, null).statusCode());
    assertEquals(404, call("DELETE", s.id(), CollectionJobId.random(), TOKEN, null)
        .statusCode());
    assertEquals(before, snapshot(s));
    assertTrue(jobs(s).isEmpty());
  }

  @Test
  void theSamePutAgainIsCreatedAgainAndAnotherOneConflicts() throws Exception {
    Setup<Boolean, Long> s = count(1, 1);
    CollectionJobId id = CollectionJobId.random();
    assertEquals(201, call("PUT", s.id(), id, TOKEN, collectReq(s.query(1))).statusCode());
    String after = snapshot(s);
    assertEquals(201, call("PUT", s.id(), id, TOKEN, collectReq(s.query(1))).statusCode());
    assertEquals(after, snapshot(s));
    HttpResponse<byte[]> r = call("PUT", s.id(), id, TOKEN, collectReq(s.query(2)));
    assertEquals(409, r.statusCode());
    assertEquals(MediaTypes.PROBLEM_JSON, r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(after, snapshot(s));
    assertEquals(1, jobs(s).size());
  }

  @Test
  void aDeletedJobAnswersNoContent() throws Exception {
    Setup<Boolean, Long> s = count(100, 1);
    double deleted = counter("pando_collection_jobs_total", "outcome", "deleted");
    CollectionJobId id = s.collector().start(s.query(1));
    assertEquals(202, call("POST", s.id(), id, TOKEN, null).statusCode());
    s.collector().delete(id);
    assertEquals(204, call("POST", s.id(), id, TOKEN, null).statusCode());
    assertEquals(204, call("DELETE", s.id(), id, TOKEN, null).statusCode());
    assertEquals("DELETED", jobs(s).get(0).state());
    assertEquals(deleted + 1, counter("pando_collection_jobs_total", "outcome", "deleted"));
    // The same PUT again changes nothing (Janus 0.7 does the same).
    assertEquals(201, call("PUT", s.id(), id, TOKEN, collectReq(s.query(1))).statusCode());
    assertEquals("DELETED", jobs(s).get(0).state());
    Thread.sleep(1000);
    assertEquals(0, s.helper().shareRequests().size());
  }

  @Test
  void aSecondQueryOfACollectedIntervalIsQueriedTooManyTimes() throws Exception {
    Setup<Boolean, Long> s = count(2, 1);
    upload(s, 0, List.of(true, true, false));
    CollectionResult<Long> first = s.collector().collect(s.query(1), DEADLINE, null);
    assertEquals(2L, first.aggregate());
    String before = snapshot(s);
    HttpResponse<byte[]> r = call("PUT", s.id(), CollectionJobId.random(), TOKEN,
        collectReq(s.query(1)));
    assertEquals(DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES, problemType(r));
    // A longer interval that includes the bucket: the bucket was queried once already.
    r = call("PUT", s.id(), CollectionJobId.random(), TOKEN, collectReq(s.query(2)));
    assertEquals(DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES, problemType(r));
    assertEquals(before, snapshot(s));
  }

  @Test
  void overlappingIntervalsAreRefusedAtCreationAndWhenTheJobRuns() throws Exception {
    Setup<Boolean, Long> s = count(1, 2);
    pauseCreator();
    CollectionJobId a;
    CollectionJobId b;
    try {
      upload(s, 0, List.of(true, true));
      upload(s, 1, List.of(true));
      // Both created before either runs: only the driver can tell they overlap.
      a = s.collector().start(s.query(2));
      b = s.collector().start(Query.timeInterval(Interval.of(s.bucket() + PRECISION,
          2 * PRECISION)));
    } finally {
      resumeCreator();
    }
    Waits.until("both jobs ended", 30, () -> jobs(s).stream()
        .allMatch(j -> j.state().equals("FINISHED") || j.state().equals("FAILED")));
    List<String> states = new ArrayList<>();
    for (CollectionJobId id : List.of(a, b)) {
      HttpResponse<byte[]> r = call("POST", s.id(), id, TOKEN, null);
      if (r.statusCode() == 200) {
        states.add("finished");
      } else {
        assertEquals(400, r.statusCode());
        assertEquals(DapProblemType.BATCH_OVERLAP, problemType(r));
        states.add("overlap");
      }
    }
    states.sort(null);
    assertEquals(List.of("finished", "overlap"), states);

    // Now decidable at creation: an interval sharing a collected bucket that holds reports.
    String before = snapshot(s);
    HttpResponse<byte[]> r = call("PUT", s.id(), CollectionJobId.random(), TOKEN,
        collectReq(Query.timeInterval(Interval.of(s.bucket() + PRECISION, PRECISION))));
    assertEquals(DapProblemType.BATCH_OVERLAP, problemType(r));
    assertEquals(before, snapshot(s));
  }

  @Test
  void theSameIntervalMayBeQueriedAgainUpToTheQueryCount() throws Exception {
    Setup<Integer, List<Long>> s = setup(
        Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        Prio3.histogram(4, 2), "time_interval", null, 3, 2);
    upload(s, 0, List.of(0, 3, 3, 1));
    CollectionResult<List<Long>> first = s.collector().collect(s.query(1), DEADLINE, null);
    CollectionResult<List<Long>> second = s.collector().collect(s.query(1), DEADLINE, null);
    assertEquals(List.of(1L, 1L, 0L, 2L), first.aggregate());
    assertEquals(first.aggregate(), second.aggregate());
    assertEquals(4, second.reportCount());
    // The helper got the identical request twice.
    List<byte[]> requests = s.helper().shareRequests();
    assertEquals(2, requests.size());
    assertArrayEquals(requests.get(0), requests.get(1));
    HttpResponse<byte[]> r = call("PUT", s.id(), CollectionJobId.random(), TOKEN,
        collectReq(s.query(1)));
    assertEquals(DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES, problemType(r));
  }

  @Test
  void reportsUploadedAfterTheirBucketWasCollectedAreNotAggregated() throws Exception {
    Setup<Boolean, Long> s = count(1, 1);
    upload(s, 0, List.of(true, true));
    assertEquals(2L, s.collector().collect(s.query(1), DEADLINE, null).aggregate());
    int puts = s.helper().puts.get();
    upload(s, 0, List.of(true, true, true));
    Waits.until("late reports failed", 20, () -> datastore.inTransaction("test",
        tx -> tx.aggregationJobs().reportAggregations(s.id())).stream()
        .filter(ra -> ra.state().equals("FAILED")).count() == 3);
    for (ReportAggregationRow ra : datastore.inTransaction("test",
        tx -> tx.aggregationJobs().reportAggregations(s.id()))) {
      if (ra.state().equals("FAILED")) {
        assertEquals(PrepareError.BATCH_COLLECTED.code(), ra.errorCode());
      }
    }
    assertEquals(puts, s.helper().puts.get());
  }

  @Test
  void aHelperRefusalReachesTheCollectorAndGivesTheQueryBack() throws Exception {
    // max_batch_query_count = 1: the failed query must not use up the batch's only query.
    Setup<Boolean, Long> s = count(1, 1);
    s.helper().shareRefuse = DapProblemType.BATCH_MISMATCH;
    double failed = counter("pando_collection_jobs_total", "outcome", "failed");
    upload(s, 0, List.of(true, true, false));
    CollectorException e = assertThrows(CollectorException.class,
        () -> s.collector().collect(s.query(1), DEADLINE, null));
    assertEquals(400, e.status());
    assertEquals(DapProblemType.BATCH_MISMATCH, e.problemType().orElseThrow());
    assertEquals("FAILED", jobs(s).get(0).state());
    assertEquals(failed + 1, counter("pando_collection_jobs_total", "outcome", "failed"));

    s.helper().shareRefuse = null;
    assertEquals(2L, s.collector().collect(s.query(1), DEADLINE, null).aggregate());
  }

  @Test
  void aJobTheHelperRefusesForItsTokenIsParkedAndFinishesOnceFixed() throws Exception {
    Setup<Boolean, Long> t = count(1, 1);
    t.helper().shareRefuse = DapProblemType.UNAUTHORIZED_REQUEST;
    upload(t, 0, List.of(true, true));
    CollectionJobId id = t.collector().start(t.query(1));
    Waits.until("the collection job is parked", 30, () -> datastore.inTransaction("test",
        tx -> tx.leases().parked(JobKind.COLLECTION.table(), 100)).stream()
        .anyMatch(p -> p.job().taskId().equals(t.id())
            && p.reason().contains("aggregator token")));
    assertInstanceOf(Collector.Poll.InProgress.class, t.collector().poll(id));
    t.helper().shareRefuse = null;
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    Collector.Poll<Long> p;
    while (!((p = t.collector().poll(id)) instanceof Collector.Poll.Ready<Long>)) {
      assertTrue(System.nanoTime() < deadline, "collection not ready");
      Thread.sleep(200);
    }
    assertEquals(2L, ((Collector.Poll.Ready<Long>) p).result().aggregate());
  }

  /**
   * A noised task (pure DP, epsilon = 1, 20-bucket histogram; the fake helper adds no noise):
   * the leader's share carries discrete Laplace noise of scale 1 per bucket, so the result
   * differs from the truth in some bucket (all 20 exact: probability below 3e-7) and by less
   * than 25 in every bucket (P[|X| >= 25] = 2 e^-25 / (1 + e^-1) < 2e-11 each). The helper
   * fails once, so the job's step runs again: the leader's share is noised once, when it is
   * recorded, and every answer for the job carries those same bytes.
   */
  @Test
  void aNoisedTasksLeaderShareIsNoisedOnceWithinTheBudget() throws Exception {
    Map<String, Object> dp = Map.of("type", "pure_dp_discrete_laplace", "epsilon", "1");
    Setup<Integer, List<Long>> s = setup(
        Map.of("type", "Prio3Histogram", "length", 20, "chunk_length", 5),
        Prio3.histogram(20, 5), "time_interval", null, 1, 1, dp);
    assertEquals(Map.of("type", "pure_dp_discrete_laplace", "epsilon", "1"),
        tasks.describe(s.task()).get("dp_strategy"));
    double noised = counter("pando_dp_noised_shares_total", "role", "leader", "type",
        "pure_dp_discrete_laplace");
    s.helper().shareFailNext.set(1);
    long[] truth = new long[20];
    List<Integer> measurements = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      measurements.add((i * 7) % 20);
      truth[(i * 7) % 20]++;
    }
    upload(s, 0, measurements);
    Collector<List<Long>> collector = s.collector()
        .withDpStrategy(s.task().dpStrategy().orElseThrow());
    CollectionJobId id = collector.start(s.query(1));
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    Collector.Poll<List<Long>> p;
    while (!((p = collector.poll(id)) instanceof Collector.Poll.Ready<List<Long>>)) {
      assertTrue(System.nanoTime() < deadline, "collection not ready");
      Thread.sleep(200);
    }
    CollectionResult<List<Long>> result = ((Collector.Poll.Ready<List<Long>>) p).result();
    assertEquals(s.task().dpStrategy(), result.dpStrategy());
    int differing = 0;
    for (int i = 0; i < 20; i++) {
      long diff = result.aggregate().get(i) - truth[i];
      assertTrue(Math.abs(diff) < 25, "bucket " + i + " off by " + diff);
      differing += diff != 0 ? 1 : 0;
    }
    assertTrue(differing > 0, "no bucket was noised: " + result.aggregate());
    assertEquals(2, s.helper().shareRequests().size());
    assertEquals(noised + 1, counter("pando_dp_noised_shares_total", "role", "leader", "type",
        "pure_dp_discrete_laplace"));
    HttpResponse<byte[]> again = call("POST", s.id(), id, TOKEN, null);
    assertEquals(200, again.statusCode());
    assertArrayEquals(again.body(), call("POST", s.id(), id, TOKEN, null).body());
  }

  @Test
  void helperFailuresAreRetriedWithTheIdenticalRequest() throws Exception {
    Setup<Boolean, Long> s = count(1, 1);
    s.helper().shareFailNext.set(2);
    upload(s, 0, List.of(true, false, true));
    assertEquals(2L, s.collector().collect(s.query(1), DEADLINE, null).aggregate());
    List<byte[]> requests = s.helper().shareRequests();
    assertEquals(3, requests.size());
    assertArrayEquals(requests.get(0), requests.get(2));
    assertArrayEquals(requests.get(1), requests.get(2));
  }

  @Test
  void aJobWaitsForMinBatchSizeWithoutUsingUpAttempts() throws Exception {
    Setup<Boolean, Long> s = count(4, 1);
    upload(s, 0, List.of(true, true));
    CollectionJobId id = s.collector().start(s.query(1));
    Thread.sleep(3000);
    assertInstanceOf(Collector.Poll.InProgress.class, s.collector().poll(id));
    Summary job = jobs(s).get(0);
    assertEquals("START", job.state());
    assertTrue(job.attempts() <= 1, "attempts: " + job.attempts());
    upload(s, 0, List.of(false, true));
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!(s.collector().poll(id) instanceof Collector.Poll.Ready<Long>)) {
      assertTrue(System.nanoTime() < deadline, "collection not ready");
      Thread.sleep(200);
    }
  }

  @Test
  void fixedSizeCurrentBatchThenByBatchId() throws Exception {
    Setup<Integer, List<Long>> s = setup(
        Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        Prio3.histogram(4, 2), "fixed_size", 3L, 3, 2);
    // by_batch_id of a batch no collection returned: batchInvalid.
    HttpResponse<byte[]> r = call("PUT", s.id(), CollectionJobId.random(), TOKEN,
        collectReq(Query.byBatchId(BatchId.random())));
    assertEquals(DapProblemType.BATCH_INVALID, problemType(r));
    assertTrue(jobs(s).isEmpty());

    upload(s, 0, List.of(2, 2, 0, 1, 3, 3));
    CollectionResult<List<Long>> a = s.collector().collect(Query.currentBatch(), DEADLINE, null);
    CollectionResult<List<Long>> b = s.collector().collect(Query.currentBatch(), DEADLINE, null);
    assertEquals(3, a.reportCount());
    assertEquals(3, b.reportCount());
    BatchId first = a.batchId().orElseThrow();
    assertTrue(!first.equals(b.batchId().orElseThrow()), "two different batches");
    List<Long> total = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      total.add(a.aggregate().get(i) + b.aggregate().get(i));
    }
    assertEquals(List.of(1L, 1L, 2L, 2L), total);

    CollectionResult<List<Long>> again = s.collector().collect(Query.byBatchId(first), DEADLINE,
        null);
    assertEquals(a.aggregate(), again.aggregate());
    assertEquals(first, again.batchId().orElseThrow());
    // max_batch_query_count = 2: a third query of the batch is refused.
    r = call("PUT", s.id(), CollectionJobId.random(), TOKEN, collectReq(Query.byBatchId(first)));
    assertEquals(DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES, problemType(r));
    // No filled batch is left: a current_batch job waits.
    CollectionJobId waiting = s.collector().start(Query.currentBatch());
    Thread.sleep(1500);
    assertInstanceOf(Collector.Poll.InProgress.class, s.collector().poll(waiting));
    assertEquals("START", jobs(s).get(jobs(s).size() - 1).state());
  }

  @Test
  void aCurrentBatchJobDeletedBeforeItRecordedGivesItsBatchBack() {
    Setup<Integer, List<Long>> s = setup(
        Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        Prio3.histogram(4, 2), "fixed_size", 3L, 3, 1);
    BatchId batch = BatchId.random();
    byte[] job = CollectionJobId.random().bytes();
    datastore.inTransaction("test", tx -> {
      tx.aggregationJobs().insertBatch(s.id(), batch, 3);
      tx.aggregationJobs().markFilled(s.id(), batch);
      tx.collectionJobs().insert(s.id(), job, Query.currentBatch().encode(), null, null,
          batch.bytes());
      return null;
    });
    assertTrue(datastore.inTransaction("test",
        tx -> tx.collectionJobs().pickFilledBatch(s.id())).isEmpty());
    datastore.inTransaction("test", tx -> tx.collectionJobs().delete(s.id(), job));
    assertEquals(batch, datastore.inTransaction("test",
        tx -> tx.collectionJobs().pickFilledBatch(s.id())).orElseThrow());
  }
}
