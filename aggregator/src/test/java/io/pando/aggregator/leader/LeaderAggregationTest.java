package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.datastore.AggregationJobStore.JobSummary;
import io.pando.aggregator.datastore.AggregationJobStore.OutstandingBatch;
import io.pando.aggregator.datastore.AggregationJobStore.ReportAggregationRow;
import io.pando.aggregator.datastore.BatchAggregationStore.BatchAggregate;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.Acquisition;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.datastore.LeaseStore.LeaseState;
import io.pando.aggregator.datastore.LeaseStore.ParkedJob;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.jobs.JobBus;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.jobs.JobRunner;
import io.pando.aggregator.jobs.Lease;
import io.pando.aggregator.jobs.StepResult;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.core.hpke.HpkeSuite;
import io.pando.client.DapTask;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader's aggregation end to end against a real PostgreSQL and Kafka and a fake helper:
 * reports uploaded with the Java client are put into jobs, driven over the dispatch bus and
 * aggregated exactly once, through duplicated messages, crashed drivers, stale leases, helper
 * failures and rejections (DAP-09 §4.5).
 */
@QuarkusTest
@TestProfile(LeaderTestProfile.class)
@WithTestResource(Infra.class)
class LeaderAggregationTest {
  private static final String CREATOR = "pando-aggregation-job-creator";
  private static final long PRECISION = 3600;
  private static FakeHelper helper;

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject AggregationJobCreator creator;
  @Inject AggregationJobDriver driver;
  @Inject JobRunner runner;
  @Inject JobBus bus;
  @Inject Scheduler scheduler;
  @Inject MeterRegistry meters;
  @Inject HpkeKeys keys;

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

  /** A leader task, the fake helper's side of it, and a client uploading to both. */
  record Setup<M>(Task task, FakeHelper.HelperTask helper, DapClient<M> client, Prio3<M, ?> vdaf,
      Instant time) {
    TaskId id() {
      return task.id();
    }

    long bucket() {
      return Math.floorDiv(time.getEpochSecond(), PRECISION) * PRECISION;
    }
  }

  private <M> Setup<M> setup(Map<String, Object> vdafJson, Prio3<M, ?> vdaf,
      Optional<long[]> fixedMinMax) {
    TaskId id = TaskId.random();
    TaskDefinition d = Tasks.leader(id, vdafJson, helper.uri().toString());
    if (fixedMinMax.isPresent()) {
      long[] mm = fixedMinMax.get();
      d = new TaskDefinition(d.taskId(), d.role(), d.peerEndpoint(), "fixed_size", mm[1],
          d.vdaf(), d.vdafVerifyKey(), d.maxBatchQueryCount(), d.taskExpiration(),
          d.reportExpiryAge(), mm[0], d.timePrecision(), d.tolerableClockSkew(),
          d.collectorHpkeConfig(), d.aggregatorAuthToken(), d.collectorAuthToken());
    }
    Task task = tasks.put(d);
    FakeHelper.HelperTask ht = helper.add(id, vdaf, d.vdafVerifyKey(), PRECISION);
    URI leader = URI.create("http://localhost:" + port + "/");
    DapClient<M> client = new DapClient<>(new DapTask<>(id, leader, helper.uri(), vdaf,
        Duration.ofSeconds(PRECISION)));
    return new Setup<>(task, ht, client, vdaf, Instant.now());
  }

  private static Setup<Boolean> countTask(LeaderAggregationTest t) {
    return t.setup(Map.of("type", "Prio3Count"), Prio3.count(), Optional.empty());
  }

  private <M> List<ReportId> upload(Setup<M> s, List<M> measurements) throws Exception {
    List<ReportId> ids = new ArrayList<>();
    for (M m : measurements) {
      ids.add(s.client().upload(m, s.time()));
    }
    return ids;
  }

  /** Stops the scheduled creator so that a test decides when jobs are created. */
  private void pauseCreator() throws InterruptedException {
    scheduler.pause(CREATOR);
    Thread.sleep(300);
  }

  private void resumeCreator() {
    scheduler.resume(CREATOR);
  }

  private List<ReportAggregationRow> reportAggregations(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.aggregationJobs().reportAggregations(id));
  }

  private List<JobSummary> jobs(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.aggregationJobs().jobs(id));
  }

  private long unaggregated(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.reports().countUnaggregated(id));
  }

  private Map<String, Long> counters(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.counters().get(id));
  }

  /** Waits until every one of {@code n} reports has ended (FINISHED or FAILED). */
  private void awaitAllEnded(TaskId id, int n) throws InterruptedException {
    Waits.until(n + " report aggregations ended", 30, () -> {
      List<ReportAggregationRow> ras = reportAggregations(id);
      return ras.size() == n && unaggregated(id) == 0
          && ras.stream().noneMatch(r -> r.state().equals("START"));
    });
  }

  private BatchAggregate leaderAggregate(Setup<?> s, List<byte[]> identifiers) {
    return datastore.inTransaction("test",
        tx -> tx.batchAggregations().read(s.id(), identifiers,
            new io.pando.core.vdaf.Prio3DapVdaf(s.vdaf())));
  }

  private <M, R> R unshardTimeInterval(Setup<M> s, long expectedCount) {
    BatchAggregate leader = leaderAggregate(s,
        List.of(BatchAggregationStore.intervalIdentifier(s.bucket())));
    String batch = Long.toString(s.bucket());
    assertEquals(expectedCount, leader.reportCount(), "leader report count");
    assertEquals(expectedCount, s.helper().count(List.of(batch)), "helper report count");
    assertArrayEquals(s.helper().checksum(batch), leader.checksum(), "report id checksums");
    @SuppressWarnings("unchecked")
    Prio3<M, R> vdaf = (Prio3<M, R>) s.vdaf();
    return vdaf.unshard(List.of((AggregateShare) leader.share(), s.helper().share(List.of(batch))),
        expectedCount);
  }

  private double counter(String name, String... tags) {
    Counter c = meters.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void countAndHistogramReportsAreAggregatedExactlyOnce() throws Exception {
    Setup<Boolean> count = countTask(this);
    Setup<Integer> histogram = setup(
        Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        Prio3.histogram(4, 2), Optional.empty());
    List<Boolean> bools = List.of(true, false, true, true, false, true, true, false, true, true);
    List<Integer> buckets = List.of(0, 1, 1, 3, 3, 3, 2, 0, 3);
    upload(count, bools);
    upload(histogram, buckets);

    awaitAllEnded(count.id(), bools.size());
    awaitAllEnded(histogram.id(), buckets.size());

    Long ones = unshardTimeInterval(count, bools.size());
    assertEquals(7L, ones);
    List<Long> hist = unshardTimeInterval(histogram, buckets.size());
    assertEquals(List.of(2L, 2L, 1L, 4L), hist);

    for (Setup<?> s : List.of(count, histogram)) {
      List<JobSummary> jobs = jobs(s.id());
      assertTrue(jobs.stream().allMatch(j -> j.state().equals("FINISHED")), "jobs finished");
      assertTrue(jobs.stream().allMatch(j -> j.reports() <= 4), "max job size");
      assertEquals(0, s.helper().replays.get(), "no report sent to the helper twice");
      assertEquals(jobs.size(), s.helper().puts.get(), "one request per job");
      assertTrue(reportAggregations(s.id()).stream().allMatch(r -> r.state().equals("FINISHED")));
    }
    assertEquals(bools.size(), counters(count.id()).get("aggregation_success"));
    assertEquals((double) bools.size(), counter("pando_reports_aggregated_total",
        "task", count.id().toBase64Url(), "outcome", "success"));
    Waits.until("the helper saw DELETEs", 10,
        () -> count.helper().deletes.get() == jobs(count.id()).size());
  }

  @Test
  void reportsSealedToAKeyThatExpiredMeanwhileAreAcceptedAndAggregated() throws Exception {
    Setup<Boolean> s = countTask(this);
    List<Boolean> measurements = List.of(true, true, false);
    List<io.pando.dap.messages.Report> sealed = new ArrayList<>();
    for (Boolean m : measurements) {
      sealed.add(s.client().prepareReport(m, s.time()));
    }
    int used = sealed.get(0).leaderEncryptedInputShare().configId().value();
    HpkeKeys.Key successor = keys.generate(HpkeSuite.X25519_SHA256_AES128GCM,
        HpkeKeys.State.ACTIVE);
    assertTrue(keys.setState(used, HpkeKeys.State.EXPIRED));
    try {
      for (io.pando.dap.messages.Report r : sealed) {
        s.client().put(r);
      }
      awaitAllEnded(s.id(), measurements.size());
      Long ones = unshardTimeInterval(s, measurements.size());
      assertEquals(2L, ones);
      assertEquals(measurements.size(), counters(s.id()).get("aggregation_success"));
    } finally {
      keys.setState(used, HpkeKeys.State.ACTIVE);
      keys.delete(successor.keypair().config().id().value());
    }
  }

  @Test
  void duplicatedAndRedeliveredMessagesChangeNothing() throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      upload(s, List.of(true, true, false, true, true, false));
      List<JobKey> jobs = creator.createJobs(s.task());
      assertEquals(2, jobs.size());
      // Every job announced three times and driven from two more threads at once.
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Optional<Lease>>> runs = new ArrayList<>();
      for (JobKey job : jobs) {
        for (int i = 0; i < 3; i++) {
          bus.announce(JobKind.AGGREGATION, job, "test");
        }
        for (int i = 0; i < 2; i++) {
          runs.add(pool.submit(() -> runner.run(JobKind.AGGREGATION, job)));
        }
      }
      for (Future<Optional<Lease>> f : runs) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      awaitAllEnded(s.id(), 6);
      assertEquals(4L, (Long) unshardTimeInterval(s, 6));
      assertEquals(2, s.helper().puts.get(), "each job was sent once");

      // Delivered again after the jobs finished: nothing to acquire, nothing changes.
      for (JobKey job : jobs) {
        bus.announce(JobKind.AGGREGATION, job, "test");
        bus.announce(JobKind.AGGREGATION, job, "test");
        assertTrue(runner.run(JobKind.AGGREGATION, job).isEmpty());
      }
      Thread.sleep(1500);
      assertEquals(2, s.helper().puts.get());
      assertEquals(0, s.helper().replays.get());
      assertEquals(4L, (Long) unshardTimeInterval(s, 6));
      for (JobSummary j : jobs(s.id())) {
        assertEquals("FINISHED", j.state());
        assertEquals(1, j.attempts());
      }
    } finally {
      resumeCreator();
    }
  }

  @Test
  void aCrashedDriversJobIsSweptAndFinishesOnce() throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      upload(s, List.of(true, false, true, true, true));
      List<JobKey> jobs = creator.createJobs(s.task());
      assertEquals(2, jobs.size());
      // A driver acquires every job and dies without releasing (and nothing is announced).
      List<Lease> crashed = new ArrayList<>();
      for (JobKey job : jobs) {
        Optional<Lease> lease = runner.acquire(driver, job);
        assertTrue(lease.isPresent());
        assertEquals(1, lease.get().attempts());
        crashed.add(lease.get());
      }
      // The leases expire (3 s); the sweeper announces the jobs and a driver finishes them.
      awaitAllEnded(s.id(), 5);
      assertEquals(4L, (Long) unshardTimeInterval(s, 5));
      for (JobSummary j : jobs(s.id())) {
        assertEquals("FINISHED", j.state());
        assertEquals(2, j.attempts());
      }
      assertEquals(2, s.helper().puts.get());
      // The dead driver's token no longer releases anything, and its step finds the job done.
      for (Lease lease : crashed) {
        boolean released = datastore.inTransaction("test", tx -> tx.leases().release(
            JobKind.AGGREGATION.table(), lease.job(), lease.token(), java.time.Duration.ZERO, null));
        assertFalse(released);
        assertEquals(new StepResult.Done("gone"), runner.step(driver, lease));
      }
      assertEquals(2, s.helper().puts.get());
      assertEquals(4L, (Long) unshardTimeInterval(s, 5));
    } finally {
      resumeCreator();
    }
  }

  @Test
  void aStaleLeaseCannotCommitAndTheRetrySendsTheSameRequest() throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      upload(s, List.of(true, true, false));
      List<JobKey> jobs = creator.createJobs(s.task());
      assertEquals(1, jobs.size());
      JobKey job = jobs.get(0);
      SecureRandom random = new SecureRandom();
      byte[] tokenA = new byte[16];
      byte[] tokenB = new byte[16];
      random.nextBytes(tokenA);
      random.nextBytes(tokenB);
      // Driver A's lease runs out at once; driver B takes the job over and then dies.
      Acquisition a = datastore.inTransaction("test", tx -> tx.leases().tryAcquire(
          JobKind.AGGREGATION.table(), job, java.time.Duration.ofMillis(1), tokenA, "driver-a"));
      assertInstanceOf(Acquisition.Acquired.class, a);
      Thread.sleep(50);
      Acquisition b = datastore.inTransaction("test", tx -> tx.leases().tryAcquire(
          JobKind.AGGREGATION.table(), job, java.time.Duration.ofSeconds(3), tokenB, "driver-b"));
      assertInstanceOf(Acquisition.Acquired.class, b);
      // A, unaware, completes its step: the helper answers, but A cannot commit.
      Lease stale = new Lease(JobKind.AGGREGATION, job, tokenA, 1, Instant.now(),
          "driver-a");
      assertEquals(new StepResult.LostLease(), runner.step(driver, stale));
      assertEquals(1, s.helper().puts.get());
      assertEquals(0L, leaderAggregate(s,
          List.of(BatchAggregationStore.intervalIdentifier(s.bucket()))).reportCount());

      // After B's lease expires the job is swept and finished, with the very same request.
      awaitAllEnded(s.id(), 3);
      assertEquals(2L, (Long) unshardTimeInterval(s, 3));
      assertEquals(2, s.helper().puts.get());
      assertEquals(1, s.helper().repeatedPuts.get(), "the retry repeated the identical request");
      LeaseState state = datastore.inTransaction("test",
          tx -> tx.leases().state(JobKind.AGGREGATION.table(), job)).orElseThrow();
      assertEquals("FINISHED", state.state());
      assertEquals(3, state.attempts());
    } finally {
      resumeCreator();
    }
  }

  @Test
  void helperServerErrorsAreRetriedUntilTheJobSucceeds() throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      s.helper().failNext.set(2);
      double retriedBefore = counter("pando_jobs_retried_total", "kind", "aggregation");
      upload(s, List.of(true, false, true));
      assertEquals(1, creator.createAndAnnounce(s.task()).size());
      awaitAllEnded(s.id(), 3);
      assertEquals(2L, (Long) unshardTimeInterval(s, 3));
      JobSummary job = jobs(s.id()).get(0);
      assertEquals("FINISHED", job.state());
      assertEquals(3, job.attempts());
      assertEquals(3, s.helper().puts.get());
      assertTrue(counter("pando_jobs_retried_total", "kind", "aggregation")
          >= retriedBefore + 2);
    } finally {
      resumeCreator();
    }
  }

  @Test
  void reportsTheHelperRejectsAreLeftOutAndCounted() throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      List<ReportId> ids = upload(s, List.of(true, true, true, false, true, true));
      s.helper().reject.add(ids.get(0));
      s.helper().reject.add(ids.get(4));
      creator.createAndAnnounce(s.task());
      awaitAllEnded(s.id(), 6);
      assertEquals(3L, (Long) unshardTimeInterval(s, 4));
      Map<ReportId, ReportAggregationRow> byId = new HashMap<>();
      for (ReportAggregationRow r : reportAggregations(s.id())) {
        byId.put(r.reportId(), r);
      }
      for (int i = 0; i < ids.size(); i++) {
        ReportAggregationRow r = byId.get(ids.get(i));
        if (i == 0 || i == 4) {
          assertEquals("FAILED", r.state());
          assertEquals(PrepareError.VDAF_PREP_ERROR.code(), r.errorCode());
        } else {
          assertEquals("FINISHED", r.state());
        }
      }
      Map<String, Long> counters = counters(s.id());
      assertEquals(2L, counters.get("aggregation_vdaf_prep_error"));
      assertEquals(4L, counters.get("aggregation_success"));
      assertEquals(2.0, counter("pando_reports_aggregated_total",
          "task", s.id().toBase64Url(), "outcome", "vdaf_prep_error"));
    } finally {
      resumeCreator();
    }
  }

  @Test
  void fixedSizeTasksFillBatchesAndNameThemInEveryJob() throws Exception {
    pauseCreator();
    Setup<Boolean> s = setup(Map.of("type", "Prio3Count"), Prio3.count(),
        Optional.of(new long[] {4, 5}));
    try {
      List<Boolean> ms = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ms.add(i % 3 != 0);
      }
      List<ReportId> ids = upload(s, ms);
      creator.createAndAnnounce(s.task());
      awaitAllEnded(s.id(), 12);

      // Two batches filled to max_batch_size, the rest in a third (all created in one round).
      List<OutstandingBatch> batches = new ArrayList<>(datastore.inTransaction("test",
          tx -> tx.aggregationJobs().batches(s.id())));
      batches.sort((x, y) -> Long.compare(y.assigned(), x.assigned()));
      assertEquals(List.of(5L, 5L, 2L), batches.stream().map(OutstandingBatch::assigned).toList());
      assertEquals(List.of(5L, 5L, 2L),
          batches.stream().map(OutstandingBatch::aggregated).toList());
      assertEquals(List.of(true, true, false),
          batches.stream().map(OutstandingBatch::filled).toList());

      // Each report is in the same batch at both aggregators, and the shares add up per batch.
      Map<ReportId, Boolean> measurement = new HashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        measurement.put(ids.get(i), ms.get(i));
      }
      Map<ReportId, String> helperBatches = s.helper().reportBatches();
      Map<String, Long> expectedOnes = new LinkedHashMap<>();
      for (ReportAggregationRow r : reportAggregations(s.id())) {
        assertEquals("FINISHED", r.state());
        String batch = FakeHelper.b64(r.batchId().orElseThrow().bytes());
        assertEquals(batch, helperBatches.get(r.reportId()), "batch of " + r.reportId());
        expectedOnes.merge(batch, measurement.get(r.reportId()) ? 1L : 0L, Long::sum);
      }
      for (OutstandingBatch b : batches) {
        String batch = FakeHelper.b64(b.batchId().bytes());
        BatchAggregate leader = leaderAggregate(s, List.of(b.batchId().bytes()));
        assertEquals(b.aggregated(), leader.reportCount());
        assertEquals(b.aggregated(), s.helper().count(List.of(batch)));
        assertArrayEquals(s.helper().checksum(batch), leader.checksum());
        AggregateShare helperShare = s.helper().share(List.of(batch));
        assertEquals(expectedOnes.get(batch), Prio3.count().unshard(
            List.of((AggregateShare) leader.share(), helperShare), leader.reportCount()));
      }
      for (JobSummary j : jobs(s.id())) {
        assertTrue(j.batchId().isPresent());
      }

      // More reports go to the batch that is not full yet.
      upload(s, List.of(true, true, true));
      creator.createAndAnnounce(s.task());
      awaitAllEnded(s.id(), 15);
      List<OutstandingBatch> after = datastore.inTransaction("test",
          tx -> tx.aggregationJobs().batches(s.id()));
      assertEquals(3, after.size());
      OutstandingBatch third = after.stream()
          .filter(b -> b.batchId().equals(batches.get(2).batchId())).findFirst().orElseThrow();
      assertEquals(5L, third.aggregated());
      assertTrue(third.filled());
    } finally {
      resumeCreator();
    }
  }

  @Test
  void aHelperOutageFarLongerThanAnyAttemptLimitDelaysAggregationAndLosesNothing()
      throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      // 503 with Retry-After: 0 (honoured, so the test does not wait out the backoff), then
      // plain 500s, then 429: each is transient, and the job is retried past any old limit.
      s.helper().failStatus = 503;
      s.helper().failRetryAfter = "0";
      s.helper().failNext.set(1000);
      upload(s, List.of(true, false, true));
      assertEquals(1, creator.createAndAnnounce(s.task()).size());
      Waits.until("the helper was asked 20 times", 60, () -> s.helper().puts.get() >= 20);
      s.helper().failStatus = 500;
      s.helper().failRetryAfter = null;
      Waits.until("the helper was asked 24 times", 60, () -> s.helper().puts.get() >= 24);
      s.helper().failStatus = 429;
      s.helper().failRetryAfter = "0";
      Waits.until("the helper was asked 28 times", 60, () -> s.helper().puts.get() >= 28);
      JobSummary during = jobs(s.id()).get(0);
      assertEquals("IN_PROGRESS", during.state());
      LeaseState lease = datastore.inTransaction("test", tx -> tx.leases().state(
          JobKind.AGGREGATION.table(), new JobKey(s.id(), during.jobId()))).orElseThrow();
      assertTrue(lease.lastError().orElse("").contains("HTTP 429"), lease.lastError().toString());
      assertTrue(lease.parkedReason().isEmpty());
      assertTrue(reportAggregations(s.id()).stream().allMatch(r -> r.state().equals("START")));

      s.helper().failNext.set(0);
      awaitAllEnded(s.id(), 3);
      assertEquals("FINISHED", jobs(s.id()).get(0).state());
      assertTrue(reportAggregations(s.id()).stream().allMatch(r -> r.state().equals("FINISHED")));
      assertEquals(2L, (long) unshardTimeInterval(s, 3));
      assertEquals(3L, counters(s.id()).get("aggregation_success"));
      assertNull(counters(s.id()).get("aggregation_report_dropped"));
    } finally {
      resumeCreator();
    }
  }

  @Test
  void aJobTheHelperRefusesIsParkedWithItsReportsAndResumesOnceFixed() throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      s.helper().refuse = DapProblemType.UNAUTHORIZED_REQUEST;
      double parkedBefore = counter("pando_jobs_parkings_total", "kind", "aggregation");
      upload(s, List.of(true, false));
      creator.createAndAnnounce(s.task());
      Waits.until("the job is parked", 30, () -> !parked(s.id()).isEmpty());
      ParkedJob p = parked(s.id()).get(0);
      assertEquals("IN_PROGRESS", p.state());
      assertTrue(p.reason().contains("aggregator token"), p.reason());
      assertTrue(p.reason().contains("HTTP 403"), p.reason());
      assertTrue(counter("pando_jobs_parkings_total", "kind", "aggregation") > parkedBefore);
      runner.refreshParkedGauge();
      assertTrue(meters.find("pando_jobs_parked").tags("kind", "aggregation").gauge().value()
          >= 1);
      assertTrue(reportAggregations(s.id()).stream().allMatch(r -> r.state().equals("START")));
      assertEquals(1, s.helper().puts.get(), "parked: not tried again before its interval");

      // The operator fixes the token; an admin retry makes the job due at once.
      s.helper().refuse = null;
      assertTrue(datastore.<Boolean>inTransaction("test",
          tx -> tx.leases().resume(JobKind.AGGREGATION.table(), p.job())));
      runner.run(JobKind.AGGREGATION, p.job());
      awaitAllEnded(s.id(), 2);
      assertEquals("FINISHED", jobs(s.id()).get(0).state());
      assertTrue(parked(s.id()).isEmpty());
      assertEquals(1L, (long) unshardTimeInterval(s, 2));
    } finally {
      resumeCreator();
    }
  }

  private List<ParkedJob> parked(TaskId id) {
    return datastore.inTransaction("test",
        tx -> tx.leases().parked(JobKind.AGGREGATION.table(), 100)).stream()
        .filter(p -> p.job().taskId().equals(id)).toList();
  }

  @Test
  void reportsInACollectedBatchAreFailedNotAggregated() throws Exception {
    pauseCreator();
    Setup<Boolean> s = countTask(this);
    try {
      datastore.inTransaction("test", tx -> {
        tx.batchAggregations().markCollected(s.id(),
            List.of(BatchAggregationStore.intervalIdentifier(s.bucket())),
            new io.pando.core.vdaf.Prio3DapVdaf(s.vdaf()));
        return null;
      });
      upload(s, List.of(true, true));
      assertEquals(List.of(), creator.createAndAnnounce(s.task()));
      List<ReportAggregationRow> ras = reportAggregations(s.id());
      assertEquals(2, ras.size());
      for (ReportAggregationRow r : ras) {
        assertEquals(PrepareError.BATCH_COLLECTED.code(), r.errorCode());
      }
      assertEquals("FINISHED", jobs(s.id()).get(0).state());
      assertEquals(2L, counters(s.id()).get("aggregation_batch_collected"));
      assertEquals(0, s.helper().puts.get());
      assertEquals(0, unaggregated(s.id()));
    } finally {
      resumeCreator();
    }
  }
}
