package io.pando.aggregator.it;

import io.pando.devstack.AggregatorProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.core.vdaf.DpStrategies;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole DAP-09 flow between real processes: a leader and a helper started from the packaged
 * application (each on its own database, with Kafka topics and a consumer group of its own on
 * the shared broker), tasks provisioned on both through the admin API, reports uploaded with the
 * Java client (which fetches each aggregator's HPKE config), aggregated by the two processes,
 * and collected with the collector library; every aggregate is checked exactly. Then the things
 * that must change nothing: reports uploaded again, the leader killed with SIGKILL while
 * aggregation jobs run, and job messages delivered twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PRECISION = 3600;
  private static final String AGGREGATOR_TOKEN = "e2e-aggregator-G7kP2xQ9rT4vW8nZ";
  private static final String COLLECTOR_TOKEN = "e2e-collector-M3nB8vC5xZ1qW7eR";
  private static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(60);

  /** The verify key of every task provisioned, to define a task again. */
  private static final Map<TaskId, String> VERIFY_KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static AggregatorProcess leader;
  private static AggregatorProcess helper;
  /** The previous hour: reports of the time-interval tasks land in one bucket. */
  private static long bucket;

  /** Short intervals so that the test runs in a couple of minutes. */
  private static Map<String, String> env() {
    return Processes.env(
        "PANDO_AGGREGATION_CREATION_INTERVAL", "PT1S",
        "PANDO_AGGREGATION_MAX_JOB_SIZE", "8",
        "PANDO_JOBS_SWEEP_INTERVAL", "PT1S",
        "PANDO_JOBS_LEASE_DURATION", "PT6S",
        "PANDO_JOBS_RETRY_INITIAL_BACKOFF", "PT0.5S",
        "PANDO_JOBS_RETRY_MAX_BACKOFF", "PT2S",
        "PANDO_JOBS_RETRY_PARKED_RETRY_INTERVAL", "PT5S",
        "PANDO_LEADER_HELPER_REQUEST_TIMEOUT", "PT4S",
        "PANDO_COLLECTION_WAIT_INTERVAL", "PT1S",
        // A restarted leader gets its partitions once the killed one's session has expired.
        "PANDO_KAFKA_SESSION_TIMEOUT_MS", "6000",
        "PANDO_KAFKA_HEARTBEAT_INTERVAL_MS", "2000",
        // The leader's OHTTP gateway (reportsUploadedThroughAnOhttpRelay...).
        "PANDO_OHTTP_ENABLED", "true");
  }

  @BeforeAll
  static void start() throws Exception {
    bucket = (Instant.now().getEpochSecond() / PRECISION - 1) * PRECISION;
    helper = Processes.start("e2e-helper", env());
    leader = Processes.start("e2e-leader", env());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (leader != null) {
        leader.close();
      }
    } finally {
      if (helper != null) {
        helper.close();
      }
    }
  }

  /** A task provisioned on both processes, with an upload client and a collector. */
  record E2eTask<M, R>(TaskId id, DapClient<M> client, Collector<R> collector, Prio3<M, R> vdaf) {}

  private static <M, R> E2eTask<M, R> provision(Map<String, Object> vdafJson, Prio3<M, R> vdaf,
      String queryType, Long maxBatchSize, long minBatchSize, long maxBatchQueryCount)
      throws Exception {
    return provision(vdafJson, vdaf, queryType, maxBatchSize, minBatchSize, maxBatchQueryCount,
        null);
  }

  /** As above, with a {@code dp_strategy} on both aggregators (null: none). */
  private static <M, R> E2eTask<M, R> provision(Map<String, Object> vdafJson, Prio3<M, R> vdaf,
      String queryType, Long maxBatchSize, long minBatchSize, long maxBatchQueryCount,
      Map<String, Object> dpStrategy) throws Exception {
    TaskId id = TaskId.random();
    byte[] verifyKey = new byte[16];
    new SecureRandom().nextBytes(verifyKey);
    VERIFY_KEYS.put(id, Tasks.b64(verifyKey));
    String collectorConfig = Tasks.b64(Tasks.COLLECTOR_KEY.config().encode());
    for (AggregatorProcess p : List.of(leader, helper)) {
      boolean isLeader = p == leader;
      TaskDefinition d = new TaskDefinition(id.toBase64Url(), isLeader ? "leader" : "helper",
          (isLeader ? helper : leader).uri().toString(), queryType, maxBatchSize,
          new LinkedHashMap<>(vdafJson), Tasks.b64(verifyKey), maxBatchQueryCount, null, null,
          minBatchSize, PRECISION, 60L, collectorConfig, AGGREGATOR_TOKEN,
          isLeader ? COLLECTOR_TOKEN : null).withDpStrategy(dpStrategy);
      HttpResponse<String> put = p.admin("PUT", "tasks/" + id.toBase64Url(),
          JSON.writeValueAsString(d));
      assertEquals(200, put.statusCode(), put.body());
    }
    DapClient<M> client = new DapClient<>(new DapTask<>(id, leader.uri(), helper.uri(), vdaf,
        Duration.ofSeconds(PRECISION)));
    Collector<R> collector = new Collector<>(id, leader.uri(), COLLECTOR_TOKEN,
        Tasks.COLLECTOR_KEY, vdaf);
    if (dpStrategy != null) {
      collector = collector.withDpStrategy(DpStrategies.fromJson(dpStrategy));
    }
    return new E2eTask<>(id, client, collector, vdaf);
  }

  private static <M, R> E2eTask<M, R> timeIntervalTask(Map<String, Object> vdafJson,
      Prio3<M, R> vdaf) throws Exception {
    return provision(vdafJson, vdaf, "time_interval", null, 10, 1);
  }

  /** Encrypted reports for the measurements, timestamped in {@code time}'s bucket. */
  private static <M> List<Report> prepare(E2eTask<M, ?> t, List<M> measurements, long time)
      throws DapClientException {
    List<Report> out = new ArrayList<>();
    for (M m : measurements) {
      out.add(t.client().prepareReport(m, Instant.ofEpochSecond(time)));
    }
    return out;
  }

  private static void put(E2eTask<?, ?> t, List<Report> reports) throws DapClientException {
    for (Report r : reports) {
      t.client().put(r);
    }
  }

  private static Query<?> previousHour() {
    return Query.timeInterval(Interval.of(bucket, PRECISION));
  }

  /** Polls a started collection job until it is ready. */
  private static <R> CollectionResult<R> await(E2eTask<?, R> t, CollectionJobId id)
      throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Collector.Poll<R> p = t.collector().poll(id);
      if (p instanceof Collector.Poll.Ready<R> ready) {
        return ready.result();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("collection job " + id + " not ready after " + DEADLINE);
      }
      Thread.sleep(((Collector.Poll.InProgress<R>) p).retryAfter().toMillis());
    }
  }

  private static <R> CollectionResult<R> collect(E2eTask<?, R> t, Query<?> query)
      throws Exception {
    return await(t, t.collector().start(query));
  }

  /** Runs a test body; on failure, adds the tails of both processes' logs. */
  private interface Body {
    void run() throws Exception;
  }

  private static void withLogs(Body body) throws Exception {
    try {
      body.run();
    } catch (Exception | AssertionError e) {
      System.err.println("---- leader log tail ----\n" + leader.tail(120));
      System.err.println("---- helper log tail ----\n" + helper.tail(60));
      throw e;
    }
  }

  /** A query on the leader's database. */
  /** The sum of a counter over its labels in the leader's Prometheus metrics. */
  private static String leaderMetric(String name) throws Exception {
    double sum = 0;
    for (String line : leader.get("q/metrics").split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Long.toString((long) sum);
  }

  private static List<String> leaderRows(String sql, TaskId task) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = Infra.stack().postgres().connect(leader.database());
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setBytes(1, task.bytes());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Measurements per task in the tests that cover every VDAF. */
  private static final int N = 20;

  /** A VDAF, its parameters in a task definition, measurements and their exact aggregate. */
  record VdafCase<M, R>(Map<String, Object> json, Prio3<M, R> vdaf, List<M> measurements,
      R aggregate) {
    String name() {
      return (String) json.get("type");
    }
  }

  /** The five VDAFs, with {@link #N} measurements each. */
  private static List<VdafCase<?, ?>> everyVdaf() {
    List<Boolean> counts = new ArrayList<>();
    List<Long> sums = new ArrayList<>();
    List<List<Long>> vectors = new ArrayList<>();
    List<Integer> buckets = new ArrayList<>();
    List<List<Boolean>> multihot = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      counts.add(i % 3 == 0);
      sums.add((long) (i * 37 % 256));
      vectors.add(List.of((long) (i % 4), (long) ((i + 1) % 4), (long) (i * 3 % 4), 3L));
      buckets.add(i * 7 % 4);
      multihot.add(List.of(i % 2 == 0, i % 3 == 0 && i % 2 != 0, i % 5 == 0, false));
    }
    List<BigInteger> vectorSums = new ArrayList<>();
    List<Long> multihotCounts = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      int k = j;
      vectorSums.add(BigInteger.valueOf(vectors.stream().mapToLong(v -> v.get(k)).sum()));
      multihotCounts.add(multihot.stream().filter(v -> v.get(k)).count());
    }
    List<VdafCase<?, ?>> out = new ArrayList<>();
    out.add(new VdafCase<>(Map.of("type", "Prio3Count"), Prio3.count(), counts,
        counts.stream().filter(b -> b).count()));
    out.add(new VdafCase<>(Map.of("type", "Prio3Sum", "bits", 8), Prio3.sum(8), sums,
        BigInteger.valueOf(sums.stream().mapToLong(Long::longValue).sum())));
    out.add(new VdafCase<>(Map.of("type", "Prio3SumVec", "length", 4, "bits", 2,
        "chunk_length", 2), Prio3.sumVec(4, 2, 2), vectors, vectorSums));
    out.add(new VdafCase<>(Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        Prio3.histogram(4, 2), buckets, histogramOf(buckets, 4)));
    out.add(new VdafCase<>(Map.of("type", "Prio3MultihotCountVec", "length", 4,
        "max_weight", 2, "chunk_length", 2), Prio3.multihotCountVec(4, 2, 2), multihot,
        multihotCounts));
    return out;
  }

  /** A case's task, provisioned on both processes, with the case's reports uploaded. */
  record Uploaded<M, R>(VdafCase<M, R> c, E2eTask<M, R> task, List<Report> reports) {}

  /**
   * Provisions the case's task, time-interval or fixed-size (batches of exactly {@link #N}
   * reports, each queried at most twice), and uploads its reports timestamped {@code time}.
   */
  private static <M, R> Uploaded<M, R> upload(VdafCase<M, R> c, boolean fixedSize, long time)
      throws Exception {
    E2eTask<M, R> t = fixedSize
        ? provision(c.json(), c.vdaf(), "fixed_size", (long) N, N, 2)
        : timeIntervalTask(c.json(), c.vdaf());
    List<Report> reports = prepare(t, c.measurements(), time);
    put(t, reports);
    return new Uploaded<>(c, t, reports);
  }

  /** Starts one collection job per task, all before any is polled. */
  private static List<CollectionJobId> startAll(List<Uploaded<?, ?>> tasks,
      IntFunction<Query<?>> query) throws Exception {
    List<CollectionJobId> jobs = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      jobs.add(tasks.get(i).task().collector().start(query.apply(i)));
    }
    return jobs;
  }

  /** Awaits a task's job; checks the exact aggregate, the report count and the interval. */
  private static CollectionResult<?> awaitExact(Uploaded<?, ?> u, CollectionJobId job,
      Interval interval) throws Exception {
    CollectionResult<?> r = await(u.task(), job);
    assertEquals(u.c().aggregate(), r.aggregate(), u.c().name());
    assertEquals(N, r.reportCount(), u.c().name());
    assertEquals(interval, r.interval(), u.c().name());
    return r;
  }

  /** Five VDAFs, each its own time-interval task: the exact aggregate of 20 reports. */
  @Test
  @Order(1)
  void everyVdafIsAggregatedAndCollectedExactly() throws Exception {
    withLogs(() -> {
      List<Uploaded<?, ?>> tasks = new ArrayList<>();
      for (VdafCase<?, ?> c : everyVdaf()) {
        tasks.add(upload(c, false, bucket + 60L * tasks.size()));
      }
      List<CollectionJobId> jobs = startAll(tasks, i -> previousHour());
      for (int i = 0; i < tasks.size(); i++) {
        CollectionResult<?> r = awaitExact(tasks.get(i), jobs.get(i),
            Interval.of(bucket, PRECISION));
        assertTrue(r.batchId().isEmpty());
      }

      // The same reports again (same report ids): refused as replays, and nothing changes.
      Uploaded<?, ?> count = tasks.get(0);
      for (Report r : count.reports()) {
        DapClientException e = assertThrows(DapClientException.class,
            () -> count.task().client().put(r));
        assertEquals(DapProblemType.REPORT_REJECTED, e.problemType().orElseThrow());
      }
      Thread.sleep(2000);
      TaskId countId = count.task().id();
      assertEquals(List.of(Integer.toString(N)),
          leaderRows("SELECT count(*) FROM client_reports WHERE task_id = ?", countId));
      assertEquals(List.of("FINISHED/" + N), leaderRows("""
          SELECT state || '/' || count(*) FROM report_aggregations WHERE task_id = ?
           GROUP BY state""", countId));
      // The interval was queried once (max_batch_query_count = 1): a second query is refused.
      CollectorException refused = assertThrows(CollectorException.class,
          () -> count.task().collector().start(previousHour()));
      assertEquals(DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES,
          refused.problemType().orElseThrow());
    });
  }

  private static List<Long> histogramOf(List<Integer> values, int length) {
    List<Long> out = new ArrayList<>();
    for (int j = 0; j < length; j++) {
      int k = j;
      out.add(values.stream().filter(v -> v == k).count());
    }
    return out;
  }

  /**
   * Five VDAFs, each its own fixed-size task whose batches hold all 20 reports: collected by
   * current_batch, then the returned batch again by its id. The batch id is the leader's only
   * batch of the task.
   */
  @Test
  @Order(2)
  void everyVdafIsCollectedByCurrentBatchThenByBatchId() throws Exception {
    withLogs(() -> {
      long now = Instant.now().getEpochSecond();
      Interval span = Interval.of(now / PRECISION * PRECISION, PRECISION);
      List<Uploaded<?, ?>> tasks = new ArrayList<>();
      for (VdafCase<?, ?> c : everyVdaf()) {
        tasks.add(upload(c, true, now));
      }
      List<CollectionJobId> current = startAll(tasks, i -> Query.currentBatch());
      List<BatchId> batches = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        Uploaded<?, ?> u = tasks.get(i);
        BatchId batch = awaitExact(u, current.get(i), span).batchId().orElseThrow();
        assertEquals(List.of(batch.toBase64Url()), leaderRows(
            "SELECT encode(batch_id, 'base64') FROM outstanding_batches WHERE task_id = ?",
            u.task().id()).stream().map(EndToEndIT::toBase64Url).toList(), u.c().name());
        batches.add(batch);
      }

      List<CollectionJobId> byId = startAll(tasks, i -> Query.byBatchId(batches.get(i)));
      for (int i = 0; i < tasks.size(); i++) {
        assertEquals(batches.get(i),
            awaitExact(tasks.get(i), byId.get(i), span).batchId().orElseThrow());
      }
    });
  }

  /** SIGKILL of the leader while aggregation jobs run: the totals stay exact after a restart. */
  @Test
  @Order(3)
  void aLeaderKilledWhileAggregatingLosesAndDuplicatesNothing() throws Exception {
    withLogs(() -> {
      E2eTask<Boolean, Long> t = timeIntervalTask(Map.of("type", "Prio3Count"), Prio3.count());
      List<Boolean> values = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        values.add(i % 4 != 0);
      }
      List<Report> reports = prepare(t, values, bucket + 600);
      put(t, reports);
      // Kill as soon as the leader has an aggregation job of the task under way.
      long deadline = System.nanoTime() + 20_000_000_000L;
      String sql = "SELECT count(*) FROM aggregation_jobs WHERE task_id = ?"
          + " AND state = 'IN_PROGRESS'";
      while (Integer.parseInt(leaderRows(sql, t.id()).get(0)) == 0) {
        assertTrue(System.nanoTime() < deadline, "no aggregation job started");
        Thread.sleep(20);
      }
      leader.kill();
      String inFlight = leaderRows(sql, t.id()).get(0);
      System.out.println("leader killed with " + inFlight + " aggregation jobs in progress");
      leader.launch();

      CollectionResult<Long> r = collect(t, previousHour());
      assertEquals(45L, r.aggregate());
      assertEquals(60, r.reportCount());
    });
  }

  /**
   * The helper frozen (SIGSTOP) for 40 s while the leader aggregates: with backoffs of 0.5 s
   * doubling to 2 s, far longer than any attempt limit would allow. The jobs wait with their
   * last error, and once the helper resumes every report is aggregated once.
   */
  @Test
  @Order(5)
  void aHelperFrozenFarLongerThanAnyRetryLimitDelaysAggregationAndLosesNothing()
      throws Exception {
    withLogs(() -> {
      E2eTask<Boolean, Long> t = timeIntervalTask(Map.of("type", "Prio3Count"), Prio3.count());
      List<Boolean> values = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        values.add(i % 3 == 0);
      }
      List<Report> reports = prepare(t, values, bucket + 1800);
      helper.pause();
      try {
        put(t, reports);
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (System.nanoTime() < deadline) {
          Thread.sleep(1000);
        }
        List<String> waiting = leaderRows("""
            SELECT last_error FROM aggregation_jobs
             WHERE task_id = ? AND state = 'IN_PROGRESS' AND last_error IS NOT NULL""", t.id());
        assertTrue(!waiting.isEmpty(), "jobs wait with their last error");
        assertEquals("0", leaderRows("""
            SELECT count(*) FROM aggregation_jobs
             WHERE task_id = ? AND state <> 'IN_PROGRESS'""", t.id()).get(0));
      } finally {
        helper.resume();
      }
      CollectionResult<Long> r = collect(t, previousHour());
      assertEquals(10L, r.aggregate());
      assertEquals(30, r.reportCount());
    });
  }

  /**
   * The helper refuses the leader's token (it was changed at the helper only): the jobs are
   * parked and listed by the admin API with the cause; once the token is fixed and the jobs are
   * retried, everything is aggregated.
   */
  @Test
  @Order(6)
  void jobsRefusedForTheirTokenAreParkedAndFinishOnceItIsFixed() throws Exception {
    withLogs(() -> {
      E2eTask<Boolean, Long> t = timeIntervalTask(Map.of("type", "Prio3Count"), Prio3.count());
      String path = "tasks/" + t.id().toBase64Url();
      String helperDef = JSON.readTree(helper.admin("GET", path, null).body()).toString();
      TaskDefinition current = definition(t, false, AGGREGATOR_TOKEN);
      assertEquals(200, helper.admin("PUT", path, JSON.writeValueAsString(
          definition(t, false, "a-rotated-token-the-leader-lacks"))).statusCode(), helperDef);
      List<Boolean> values = List.of(true, true, false, true, false, true, true, false, true,
          false);
      put(t, prepare(t, values, bucket + 2400));
      long deadline = System.nanoTime() + 30_000_000_000L;
      List<String> parked;
      while (true) {
        parked = new ArrayList<>();
        for (var job : JSON.readTree(leader.admin("GET", "jobs/parked", null).body())) {
          if (job.get("task_id").asText().equals(t.id().toBase64Url())) {
            assertTrue(job.get("reason").asText().contains("aggregator token"), job.toString());
            parked.add(job.get("job_id").asText());
          }
        }
        if (!parked.isEmpty() && leaderRows("""
            SELECT count(*) FROM client_reports
             WHERE task_id = ? AND NOT aggregation_started""", t.id()).get(0).equals("0")) {
          break;
        }
        assertTrue(System.nanoTime() < deadline, "no job parked");
        Thread.sleep(500);
      }
      assertEquals(200, helper.admin("PUT", path, JSON.writeValueAsString(current)).statusCode());
      for (var job : JSON.readTree(leader.admin("GET", "jobs/parked", null).body())) {
        if (job.get("task_id").asText().equals(t.id().toBase64Url())) {
          int status = leader.admin("POST", "jobs/aggregation/" + t.id().toBase64Url() + "/"
              + job.get("job_id").asText() + "/retry", null).statusCode();
          assertTrue(status == 202 || status == 409, "retry: " + status);
        }
      }
      CollectionResult<Long> r = collect(t, previousHour());
      assertEquals(6L, r.aggregate());
      assertEquals(10, r.reportCount());
    });
  }

  /** The task definition of {@code t} for the leader or the helper, with this token. */
  private static TaskDefinition definition(E2eTask<?, ?> t, boolean isLeader, String token)
      throws Exception {
    var d = JSON.readTree(leader.admin("GET", "tasks/" + t.id().toBase64Url(), null).body());
    return new TaskDefinition(t.id().toBase64Url(), isLeader ? "leader" : "helper",
        (isLeader ? helper : leader).uri().toString(), "time_interval", null,
        JSON.convertValue(d.get("vdaf"), LinkedHashMap.class), VERIFY_KEYS.get(t.id()), 1L,
        null, null, 10L, PRECISION, 60L, Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()), token,
        isLeader ? COLLECTOR_TOKEN : null);
  }

  /**
   * An upload whose helper share is a megabyte is refused with invalidMessage and stored
   * nowhere, while the honest reports around it are aggregated and collected exactly.
   */
  @Test
  @Order(7)
  void aPoisonedUploadIsRefusedWhileTheHonestOnesAggregate() throws Exception {
    withLogs(() -> {
      E2eTask<Long, BigInteger> t = timeIntervalTask(Map.of("type", "Prio3Sum", "bits", 8),
          Prio3.sum(8));
      List<Long> values = new ArrayList<>();
      for (long i = 0; i < 20; i++) {
        values.add(i * 7 % 256);
      }
      List<Report> reports = prepare(t, values, bucket + 3000);
      Report honest = reports.get(0);
      var h = honest.helperEncryptedInputShare();
      // The honest report's own metadata (the leader share's AAD binds it), a helper share a
      // megabyte long (refused from its Content-Length) or a byte too long (refused once read).
      put(t, reports.subList(0, 10));
      for (int length : new int[] {1 << 20, h.payload().length + 1}) {
        Report poisoned = new Report(honest.metadata(), honest.publicShare(),
            honest.leaderEncryptedInputShare(),
            new io.pando.dap.messages.HpkeCiphertext(h.configId(), h.encapsulatedKey(),
                java.util.Arrays.copyOf(h.payload(), length)));
        DapClientException e = assertThrows(DapClientException.class,
            () -> t.client().put(poisoned));
        if (length == 1 << 20) {
          assertEquals(413, e.status());
        } else {
          assertEquals(DapProblemType.INVALID_MESSAGE, e.problemType().orElseThrow());
        }
      }
      put(t, reports.subList(10, 20));
      CollectionResult<BigInteger> r = collect(t, previousHour());
      assertEquals(20, r.reportCount());
      assertEquals(BigInteger.valueOf(values.stream().mapToLong(Long::longValue).sum()),
          r.aggregate());
      assertEquals("20", leaderRows("SELECT count(*) FROM client_reports WHERE task_id = ?",
          t.id()).get(0));
    });
  }

  /**
   * The Kafka broker SIGKILLed while the leader aggregates, and kept down through the whole
   * collection: the sweepers of both aggregators find the due jobs in PostgreSQL and drive them,
   * uploads go on, and the collection is exact. The broker is started again afterwards.
   */
  @Test
  @Order(8)
  void kafkaStoppedDuringAggregationLosesNothing() throws Exception {
    withLogs(() -> {
      E2eTask<Long, BigInteger> t = timeIntervalTask(Map.of("type", "Prio3Sum", "bits", 8),
          Prio3.sum(8));
      List<Long> values = new ArrayList<>();
      for (long i = 0; i < 24; i++) {
        values.add(i * 11 % 256);
      }
      List<Report> reports = prepare(t, values, bucket + 2400);
      put(t, reports.subList(0, 12));
      Infra.stack().crashKafka();
      try {
        put(t, reports.subList(12, 24));
        CollectionResult<BigInteger> r = collect(t, previousHour());
        assertEquals(24, r.reportCount());
        assertEquals(BigInteger.valueOf(values.stream().mapToLong(Long::longValue).sum()),
            r.aggregate());
      } finally {
        Infra.stack().startKafka();
      }
      assertTrue(Long.parseLong(leaderMetric("pando_jobs_polled_total")) > 0,
          "the leader's sweeper drove jobs itself");
    });
  }

  /**
   * PostgreSQL SIGKILLed while the leader's jobs are in flight and started again on its data
   * after 5 s: job steps fail and are retried, leases run out and are taken again, and every
   * report is aggregated once.
   */
  @Test
  @Order(9)
  void postgresRestartedMidJobLosesNothingAndCountsNothingTwice() throws Exception {
    withLogs(() -> {
      E2eTask<Long, BigInteger> t = timeIntervalTask(Map.of("type", "Prio3Sum", "bits", 8),
          Prio3.sum(8));
      List<Long> values = new ArrayList<>();
      for (long i = 0; i < 40; i++) {
        values.add(i * 13 % 256);
      }
      List<Report> reports = prepare(t, values, bucket + 2700);
      put(t, reports);
      // Jobs are created every second and driven at once: some are in flight now.
      Thread.sleep(1200);
      Infra.stack().crashPostgres();
      Thread.sleep(5000);
      Infra.stack().startPostgres();
      CollectionResult<BigInteger> r = collect(t, previousHour());
      assertEquals(40, r.reportCount());
      assertEquals(BigInteger.valueOf(values.stream().mapToLong(Long::longValue).sum()),
          r.aggregate());
      assertEquals("40", leaderRows("""
          SELECT count(*) FROM report_aggregations
           WHERE task_id = ? AND state = 'FINISHED'""", t.id()).get(0));
    });
  }

  /** Job messages produced twice (and for finished jobs) on the leader's topics. */
  @Test
  @Order(4)
  void duplicatedJobAnnouncementsChangeNothing() throws Exception {
    withLogs(() -> {
      E2eTask<Integer, List<Long>> t = timeIntervalTask(Map.of("type", "Prio3Histogram",
          "length", 4, "chunk_length", 2), Prio3.histogram(4, 2));
      List<Integer> values = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        values.add(i % 3);
      }
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          Infra.stack().kafka().bootstrapServers());
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        Function<String, String> value = job -> t.id().toBase64Url() + "/" + job;
        put(t, prepare(t, values, bucket + 1200));
        // Every aggregation job of the task, announced twice more as soon as it exists.
        List<String> announced = new ArrayList<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
          // Read in this order: once no report waits, every job is in the list that follows.
          String unaggregated = leaderRows("""
              SELECT count(*) FROM client_reports
               WHERE task_id = ? AND NOT aggregation_started""", t.id()).get(0);
          List<String> jobs = leaderRows("""
              SELECT encode(aggregation_job_id, 'base64') FROM aggregation_jobs
               WHERE task_id = ?""", t.id());
          for (String b64 : jobs) {
            String job = toBase64Url(b64);
            if (!announced.contains(job)) {
              announced.add(job);
              for (int i = 0; i < 2; i++) {
                producer.send(new ProducerRecord<>(leader.aggregationTopic(),
                    t.id().toBase64Url(), value.apply(job)));
              }
            }
          }
          producer.flush();
          if (unaggregated.equals("0") && !jobs.isEmpty()) {
            break;
          }
          assertTrue(System.nanoTime() < deadline, "reports not put into jobs");
          Thread.sleep(50);
        }
        CollectionJobId id = t.collector().start(previousHour());
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>(leader.collectionTopic(), t.id().toBase64Url(),
              value.apply(id.toBase64Url())));
        }
        producer.flush();
        CollectionResult<List<Long>> r = await(t, id);
        assertEquals(histogramOf(values, 4), r.aggregate());
        assertEquals(40, r.reportCount());
        // Announced again once finished: still nothing changes.
        for (String job : announced) {
          producer.send(new ProducerRecord<>(leader.aggregationTopic(), t.id().toBase64Url(),
              value.apply(job)));
        }
        producer.send(new ProducerRecord<>(leader.collectionTopic(), t.id().toBase64Url(),
            value.apply(id.toBase64Url())));
        producer.flush();
        Thread.sleep(2000);
        CollectionResult<List<Long>> again = await(t, id);
        assertEquals(r.aggregate(), again.aggregate());
        assertEquals(List.of("FINISHED/40"), leaderRows("""
            SELECT state || '/' || count(*) FROM report_aggregations WHERE task_id = ?
             GROUP BY state""", t.id()));
        assertNotEquals(0, announced.size());
      }
    });
  }

  /**
   * Uploads through a relay and the leader's OHTTP gateway (aggregator/README.md, "OHTTP"): the
   * client's DapClient over ObliviousHttpTransport, the helper asked directly for its config;
   * both processes aggregate and the collection is exact.
   */
  @Test
  @Order(10)
  void reportsUploadedThroughAnOhttpRelayAreAggregatedAndCollectedExactly() throws Exception {
    withLogs(() -> {
      E2eTask<Long, BigInteger> t = timeIntervalTask(Map.of("type", "Prio3Sum", "bits", 8),
          Prio3.sum(8));
      try (io.pando.devstack.OhttpRelay relay = io.pando.devstack.OhttpRelay.start("127.0.0.1",
          0, leader.uri().resolve("gateway"))) {
        DapClient<Long> oblivious = new DapClient<>(new DapTask<>(t.id(), leader.uri(),
            helper.uri(), t.vdaf(), Duration.ofSeconds(PRECISION)),
            new io.pando.client.ObliviousHttpTransport(new io.pando.client.JdkHttpTransport(),
                relay.uri(), leader.uri().resolve("ohttp-keys"), leader.uri()));
        long sum = 0;
        for (long v = 0; v < 12; v++) {
          oblivious.upload(v * 21 % 256, Instant.ofEpochSecond(bucket + 3000));
          sum += v * 21 % 256;
        }
        assertEquals(List.of("12"),
            leaderRows("SELECT count(*) FROM client_reports WHERE task_id = ?", t.id()));
        CollectionResult<BigInteger> r = collect(t, previousHour());
        assertEquals(12, r.reportCount());
        assertEquals(BigInteger.valueOf(sum), r.aggregate());
      }
    });
  }

  /** PostgreSQL's base64 (padded, standard alphabet) as unpadded base64url. */
  private static String toBase64Url(String b64) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        Base64.getDecoder().decode(b64.replace("\n", "")));
  }

  /**
   * Noise on: both processes noise their own share. A 20-bucket histogram with pure DP, epsilon
   * = 1 (discrete Laplace of scale 1 at each aggregator) and an 8-entry SumVec (2 bits) with
   * zCDP, rho = 1 (discrete Gaussian, sigma^2 = 8 * 3^2 / 2 = 36 at each). Bounds, per entry:
   * the Laplace gives P[|X| >= 25] = 2 e^-25 / (1 + e^-1) < 2e-11 at each aggregator; the
   * discrete Gaussian is sub-Gaussian with variance proxy sigma^2 (Canonne-Kamath-Steinke), so
   * P[|X| >= 60] <= 2 e^-50. An entry is exact only if the two draws cancel: at most 0.47 for
   * the Laplace sum and about 1/(sqrt(2 pi) 8.5) < 0.05 for the Gaussian sum, so each result
   * has a noised entry but with probability below 3e-7. Noise off is exact: {@link
   * #everyVdafIsAggregatedAndCollectedExactly}.
   */
  @Test
  @Order(10)
  void noisedTasksDifferFromTheTruthWithinTheirBudgetsTailBounds() throws Exception {
    withLogs(() -> {
      List<Integer> buckets = new ArrayList<>();
      List<List<Long>> vectors = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        buckets.add(i * 7 % 20);
        List<Long> v = new ArrayList<>();
        for (int j = 0; j < 8; j++) {
          v.add((long) ((i + j) % 4));
        }
        vectors.add(v);
      }
      E2eTask<Integer, List<Long>> hist = provision(
          Map.of("type", "Prio3Histogram", "length", 20, "chunk_length", 5),
          Prio3.histogram(20, 5), "time_interval", null, 10, 1,
          Map.of("type", "pure_dp_discrete_laplace", "epsilon", "1"));
      E2eTask<List<Long>, List<BigInteger>> vec = provision(
          Map.of("type", "Prio3SumVec", "length", 8, "bits", 2, "chunk_length", 3),
          Prio3.sumVec(8, 2, 3), "time_interval", null, 10, 1,
          Map.of("type", "zcdp_discrete_gaussian", "rho", "1"));
      put(hist, prepare(hist, buckets, bucket + 30));
      put(vec, prepare(vec, vectors, bucket + 40));
      CollectionJobId histJob = hist.collector().start(previousHour());
      CollectionJobId vecJob = vec.collector().start(previousHour());

      CollectionResult<List<Long>> h = await(hist, histJob);
      assertTrue(h.dpStrategy().isPresent());
      List<Long> truth = histogramOf(buckets, 20);
      int differing = 0;
      for (int j = 0; j < 20; j++) {
        long diff = h.aggregate().get(j) - truth.get(j);
        assertTrue(Math.abs(diff) < 50, "bucket " + j + " off by " + diff);
        differing += diff != 0 ? 1 : 0;
      }
      assertTrue(differing > 0, "no bucket noised: " + h.aggregate());

      CollectionResult<List<BigInteger>> v = await(vec, vecJob);
      differing = 0;
      for (int j = 0; j < 8; j++) {
        int k = j;
        long exact = vectors.stream().mapToLong(x -> x.get(k)).sum();
        long diff = v.aggregate().get(j).longValueExact() - exact;
        assertTrue(Math.abs(diff) < 120, "entry " + j + " off by " + diff);
        differing += diff != 0 ? 1 : 0;
      }
      assertTrue(differing > 0, "no entry noised: " + v.aggregate());
      assertEquals(N, v.reportCount());
    });
  }

  // ---- Poplar1: collection-driven aggregation, heavy hitters level by level ----------------

  @Test
  @Order(11)
  void poplar1HeavyHittersThroughTheClientAndCollectorLibrariesBesideAPrio3Task()
      throws Exception {
    int bits = 4;
    TaskId id = TaskId.random();
    byte[] verifyKey = new byte[16];
    new SecureRandom().nextBytes(verifyKey);
    String collectorConfig = Tasks.b64(Tasks.COLLECTOR_KEY.config().encode());
    for (AggregatorProcess p : List.of(leader, helper)) {
      boolean isLeader = p == leader;
      // max_batch_query_count = bits: heavy hitters query the batch once per level.
      TaskDefinition d = new TaskDefinition(id.toBase64Url(), isLeader ? "leader" : "helper",
          (isLeader ? helper : leader).uri().toString(), "time_interval", null,
          new LinkedHashMap<>(Map.of("type", "Poplar1", "bits", bits)), Tasks.b64(verifyKey),
          (long) bits, null, null, 3L, PRECISION, 60L, collectorConfig, AGGREGATOR_TOKEN,
          isLeader ? COLLECTOR_TOKEN : null);
      HttpResponse<String> put = p.admin("PUT", "tasks/" + id.toBase64Url(),
          JSON.writeValueAsString(d));
      assertEquals(200, put.statusCode(), put.body());
    }
    E2eTask<Boolean, Long> count = timeIntervalTask(Map.of("type", "Prio3Count"),
        io.pando.vdaf.prio3.Prio3.count());

    DapClient<String> client = DapClient.poplar1(new io.pando.client.Poplar1Task(id,
        leader.uri(), helper.uri(), bits, io.pando.dap.messages.Duration.ofSeconds(PRECISION)),
        io.pando.client.HttpTransport.platformDefault(), java.time.Clock.systemUTC());
    for (String m : List.of("1010", "1011", "0100", "1110", "0001", "1010")) {
      client.upload(m, Instant.ofEpochSecond(bucket + 100));
    }
    for (int i = 0; i < 10; i++) {
      count.client().upload(i % 2 == 0, Instant.ofEpochSecond(bucket + 100));
    }

    io.pando.collector.Poplar1Collector collector = new io.pando.collector.Poplar1Collector(id,
        leader.uri(), COLLECTOR_TOKEN, Tasks.COLLECTOR_KEY, bits);
    io.pando.collector.Poplar1Collector.HeavyHitters hh = collector.heavyHitters(
        io.pando.dap.messages.Query.timeInterval(
            io.pando.dap.messages.Interval.of(bucket, PRECISION)), 2, DEADLINE, null);
    // Level 0: 0 → 2, 1 → 4; level 1: 00 → 1, 01 → 1, 10 → 3, 11 → 1; level 2: 100 → 0,
    // 101 → 3; level 3: 1010 → 2, 1011 → 1.
    List<Map<String, Long>> levels = new java.util.ArrayList<>();
    for (var r : hh.levels()) {
      assertEquals(6, r.reportCount());
      levels.add(r.aggregate().counts());
    }
    assertEquals(List.of(Map.of("0", 2L, "1", 4L),
        Map.of("00", 1L, "01", 1L, "10", 3L, "11", 1L),
        Map.of("100", 0L, "101", 3L),
        Map.of("1010", 2L, "1011", 1L)), levels);
    assertEquals(Map.of("1010", 2L), hh.heavyHitters());
    // The Prio3 task on the same processes, at the same time.
    assertEquals(5L, collect(count, io.pando.dap.messages.Query.timeInterval(
        io.pando.dap.messages.Interval.of(bucket, PRECISION))).aggregate());
  }
}
