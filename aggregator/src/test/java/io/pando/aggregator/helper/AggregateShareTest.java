package io.pando.aggregator.helper;

import static io.pando.aggregator.helper.HelperFixture.aggregateShares;
import static io.pando.aggregator.helper.HelperFixture.bucketNow;
import static io.pando.aggregator.helper.HelperFixture.checksum;
import static io.pando.aggregator.helper.HelperFixture.fingerprint;
import static io.pando.aggregator.helper.HelperFixture.put;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Infra;
import io.pando.aggregator.helper.HelperFixture.Leader;
import io.pando.aggregator.helper.HelperFixture.Pending;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.AggregateShareReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The helper's aggregate shares (DAP-09 §4.6.3) and batch validation (§4.6.5, §4.6.6). */
@QuarkusTest
@WithTestResource(Infra.class)
class AggregateShareTest {
  private static final long HOUR = 3600;

  @Inject TaskService tasks;
  @Inject AgroalDataSource ds;

  private <M> Leader<M> provision(TaskId id, Map<String, Object> vdaf, Prio3<M, ?> prio3,
      String queryType, Long maxBatchSize, long minBatchSize, long maxQueries) throws Exception {
    TaskDefinition d = HelperFixture.helperTask(id, vdaf, queryType, maxBatchSize, minBatchSize,
        maxQueries);
    tasks.put(d);
    return new Leader<>(id, prio3, HelperFixture.verifyKey(d));
  }

  /** Runs one aggregation job; every report must finish. */
  private static <M, Q extends QueryType> void aggregate(Leader<M> leader,
      PartialBatchSelector<Q> selector, List<Pending> reports) throws Exception {
    byte[] resp = put(leader.task, AggregationJobId.random(),
        leader.initRequest(selector, reports)).then().statusCode(201).extract().asByteArray();
    leader.finish(reports, AggregationJobResp.decode(resp))
        .values().forEach(v -> assertEquals("finished", v));
  }

  private static List<ReportId> ids(List<Pending> reports) {
    return reports.stream().map(p -> p.id).toList();
  }

  private void assertProblem(Response r, TaskId id,
      DapProblemType type) {
    r.then().statusCode(400).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo(type.uri())).body("taskid", equalTo(id.toBase64Url()));
  }

  @Test
  void countAggregateUnshardsToTheExactSum() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count(),
        "time_interval", null, 5, 1);
    long t = bucketNow();
    List<Pending> reports = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      reports.add(leader.report(i % 2 == 0, t));
    }
    aggregate(leader, PartialBatchSelector.timeInterval(), reports.subList(0, 4));
    aggregate(leader, PartialBatchSelector.timeInterval(), reports.subList(4, 9));

    // The interval covers the reports' bucket and an empty one before it.
    BatchSelector<QueryType.TimeInterval> selector =
        BatchSelector.timeInterval(Interval.of(t - HOUR, 2 * HOUR));
    byte[] request = leader.shareRequest(selector, 9, checksum(ids(reports)));
    byte[] resp = aggregateShares(id, request).then().statusCode(200)
        .contentType(MediaTypes.AGGREGATE_SHARE).extract().asByteArray();
    assertEquals(5L, leader.vdaf.unshard(List.of(leader.leaderShare(reports),
        leader.openHelperShare(selector, resp)), 9));

    // The same request again: the same bytes, no second query counted.
    String stored = fingerprint(ds, id);
    assertArrayEquals(resp, aggregateShares(id, request).then().statusCode(200)
        .extract().asByteArray());
    assertEquals(stored, fingerprint(ds, id));

    // Both buckets are collected now: new reports for either get batch_collected.
    List<Pending> late = List.of(leader.report(true, t), leader.report(true, t - HOUR));
    byte[] lateResp = put(id, AggregationJobId.random(), leader.initRequest(late)).then()
        .statusCode(201).extract().asByteArray();
    assertEquals(List.of("batch_collected", "batch_collected"),
        List.copyOf(leader.finish(late, AggregationJobResp.decode(lateResp)).values()));
  }

  @Test
  void histogramAggregateUnshardsToTheExactCounts() throws Exception {
    TaskId id = TaskId.random();
    Leader<Integer> leader = provision(id,
        Map.of("type", "Prio3Histogram", "length", 5, "chunk_length", 2),
        Prio3.histogram(5, 2), "time_interval", null, 1, 1);
    long t = bucketNow();
    List<Pending> reports = new ArrayList<>();
    int[] measurements = {0, 1, 1, 4, 4, 4, 2, 0, 4, 3, 1};
    for (int m : measurements) {
      reports.add(leader.report(m, t - HOUR));
    }
    aggregate(leader, PartialBatchSelector.timeInterval(), reports);
    BatchSelector<QueryType.TimeInterval> selector =
        BatchSelector.timeInterval(Interval.of(t - HOUR, HOUR));
    byte[] resp = aggregateShares(id, leader.shareRequest(selector, reports.size(),
        checksum(ids(reports)))).then().statusCode(200).extract().asByteArray();
    assertEquals(List.of(2L, 3L, 1L, 1L, 4L), leader.vdaf.unshard(List.of(
        leader.leaderShare(reports), leader.openHelperShare(selector, resp)), reports.size()));
  }

  /**
   * A task with {@code dp_strategy} pure DP, epsilon = 1, on a 20-bucket histogram: the
   * helper's share carries discrete Laplace noise of scale L1/epsilon = 1 in every bucket. With
   * q = e^-1, P[X = 0] = (1 - q)/(1 + q) < 0.47, so all 20 buckets come out exact with
   * probability below 3e-7; P[|X| >= 25] = 2 q^25 / (1 + q) < 2e-11 per bucket. A repeated
   * request gets the stored bytes: the noise is drawn once.
   */
  @Test
  void aNoisedTasksShareIsNoisedOnceAndStored() throws Exception {
    TaskId id = TaskId.random();
    TaskDefinition d = HelperFixture.helperTask(id,
        Map.of("type", "Prio3Histogram", "length", 20, "chunk_length", 5), "time_interval",
        null, 1, 1).withDpStrategy(Map.of("type", "pure_dp_discrete_laplace", "epsilon", "1"));
    tasks.put(d);
    Leader<Integer> leader = new Leader<>(id, Prio3.histogram(20, 5),
        HelperFixture.verifyKey(d));
    long t = bucketNow();
    List<Pending> reports = new ArrayList<>();
    long[] truth = new long[20];
    for (int i = 0; i < 12; i++) {
      int m = (i * 7) % 20;
      truth[m]++;
      reports.add(leader.report(m, t - HOUR));
    }
    aggregate(leader, PartialBatchSelector.timeInterval(), reports);
    BatchSelector<QueryType.TimeInterval> selector =
        BatchSelector.timeInterval(Interval.of(t - HOUR, HOUR));
    byte[] request = leader.shareRequest(selector, reports.size(), checksum(ids(reports)));
    byte[] resp = aggregateShares(id, request).then().statusCode(200).extract().asByteArray();
    List<?> noised = (List<?>) leader.vdaf.unshardNoised(List.of(leader.leaderShare(reports),
        leader.openHelperShare(selector, resp)));
    int differing = 0;
    for (int i = 0; i < 20; i++) {
      long diff = (Long) noised.get(i) - truth[i];
      org.junit.jupiter.api.Assertions.assertTrue(Math.abs(diff) < 25,
          "bucket " + i + " off by " + diff);
      differing += diff != 0 ? 1 : 0;
    }
    org.junit.jupiter.api.Assertions.assertTrue(differing > 0, "no bucket was noised");

    String stored = fingerprint(ds, id);
    assertArrayEquals(resp, aggregateShares(id, request).then().statusCode(200)
        .extract().asByteArray());
    assertEquals(stored, fingerprint(ds, id));
  }

  @Test
  void refusedRequestsChangeNothing() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count(),
        "time_interval", null, 3, 1);
    long t = bucketNow();
    List<Pending> reports = List.of(leader.report(true, t), leader.report(true, t),
        leader.report(false, t));
    aggregate(leader, PartialBatchSelector.timeInterval(), reports);
    BatchSelector<QueryType.TimeInterval> bucket =
        BatchSelector.timeInterval(Interval.of(t, HOUR));
    ReportIdChecksum sum = checksum(ids(reports));
    String before = fingerprint(ds, id);

    // Wrong token, wrong media type, malformed body, a non-empty aggregation parameter.
    given().header("DAP-Auth-Token", "wrong").contentType(MediaTypes.AGGREGATE_SHARE_REQ)
        .body(leader.shareRequest(bucket, 3, sum))
        .when().post("/tasks/" + id.toBase64Url() + "/aggregate_shares")
        .then().statusCode(403)
        .body("type", equalTo(DapProblemType.UNAUTHORIZED_REQUEST.uri()));
    given().header("DAP-Auth-Token", HelperFixture.TOKEN).contentType("application/octet-stream")
        .body(leader.shareRequest(bucket, 3, sum))
        .when().post("/tasks/" + id.toBase64Url() + "/aggregate_shares")
        .then().statusCode(415);
    assertProblem(aggregateShares(id, new byte[] {1, 0}), id, DapProblemType.INVALID_MESSAGE);
    assertProblem(aggregateShares(id, new AggregateShareReq<>(bucket,
        new byte[] {7}, 3, sum).encode()), id, DapProblemType.INVALID_MESSAGE);
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.fixedSize(BatchId.random()), 3, sum)), id, DapProblemType.INVALID_MESSAGE);

    // Boundary check: unaligned start, unaligned or too short duration.
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t + 1, HOUR)), 3, sum)), id,
        DapProblemType.BATCH_INVALID);
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t, HOUR + 5)), 3, sum)), id,
        DapProblemType.BATCH_INVALID);
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t, 0)), 0, ReportIdChecksum.ZERO)), id,
        DapProblemType.BATCH_INVALID);

    // Size check: the bucket before holds no report.
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t - HOUR, HOUR)), 0, ReportIdChecksum.ZERO)),
        id, DapProblemType.INVALID_BATCH_SIZE);

    // The leader counts another report, or other reports.
    assertProblem(aggregateShares(id, leader.shareRequest(bucket, 4, sum)), id,
        DapProblemType.BATCH_MISMATCH);
    assertProblem(aggregateShares(id, leader.shareRequest(bucket, 3,
        checksum(List.of(reports.get(0).id, reports.get(1).id, ReportId.random())))), id,
        DapProblemType.BATCH_MISMATCH);
    assertEquals(before, fingerprint(ds, id));

    // Nothing was collected: a new report still joins the bucket.
    List<Pending> more = List.of(leader.report(true, t));
    aggregate(leader, PartialBatchSelector.timeInterval(), more);
  }

  @Test
  void batchesAreQueriedAtMostMaxBatchQueryCountTimes() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count(),
        "time_interval", null, 1, 1);
    long t = bucketNow();
    List<Pending> now = List.of(leader.report(true, t), leader.report(true, t));
    List<Pending> before = List.of(leader.report(false, t - HOUR));
    aggregate(leader, PartialBatchSelector.timeInterval(), now);
    aggregate(leader, PartialBatchSelector.timeInterval(), before);
    aggregateShares(id, leader.shareRequest(BatchSelector.timeInterval(Interval.of(t, HOUR)),
        2, checksum(ids(now)))).then().statusCode(200);
    String stored = fingerprint(ds, id);

    // A wider interval queries the bucket [t, t+1h) a second time.
    List<Pending> all = new ArrayList<>(before);
    all.addAll(now);
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t - HOUR, 2 * HOUR)), 3, checksum(ids(all)))),
        id, DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES);
    // The same batch with another count: the helper's count is settled.
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t, HOUR)), 3, checksum(ids(all)))),
        id, DapProblemType.BATCH_MISMATCH);
    assertEquals(stored, fingerprint(ds, id));
  }

  @Test
  void overlappingBatchesAreRefusedWhenQueriesRemain() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count(),
        "time_interval", null, 1, 2);
    long t = bucketNow();
    List<Pending> now = List.of(leader.report(true, t));
    List<Pending> before = List.of(leader.report(true, t - HOUR));
    aggregate(leader, PartialBatchSelector.timeInterval(), now);
    aggregate(leader, PartialBatchSelector.timeInterval(), before);
    aggregateShares(id, leader.shareRequest(BatchSelector.timeInterval(Interval.of(t, HOUR)),
        1, checksum(ids(now)))).then().statusCode(200);
    String stored = fingerprint(ds, id);
    List<Pending> all = new ArrayList<>(before);
    all.addAll(now);
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t - HOUR, 2 * HOUR)), 2, checksum(ids(all)))),
        id, DapProblemType.BATCH_OVERLAP);
    assertEquals(stored, fingerprint(ds, id));
  }

  @Test
  void fixedSizeBatchesAreCollectedByBatchId() throws Exception {
    TaskId id = TaskId.random();
    Leader<Long> leader = provision(id, Map.of("type", "Prio3Sum", "bits", 8),
        Prio3.sum(8), "fixed_size", 4L, 2, 1);
    long t = bucketNow();
    BatchId batch = BatchId.random();
    List<Pending> reports = List.of(leader.report(10L, t), leader.report(200L, t - HOUR),
        leader.report(7L, t));
    aggregate(leader, PartialBatchSelector.fixedSize(batch), reports);

    // A batch id no aggregation job named.
    String before = fingerprint(ds, id);
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.fixedSize(BatchId.random()), 3, checksum(ids(reports)))), id,
        DapProblemType.BATCH_INVALID);
    assertProblem(aggregateShares(id, leader.shareRequest(
        BatchSelector.timeInterval(Interval.of(t, HOUR)), 3, checksum(ids(reports)))), id,
        DapProblemType.INVALID_MESSAGE);
    assertEquals(before, fingerprint(ds, id));

    BatchSelector<QueryType.FixedSize> selector = BatchSelector.fixedSize(batch);
    byte[] resp = aggregateShares(id, leader.shareRequest(selector, 3,
        checksum(ids(reports)))).then().statusCode(200).extract().asByteArray();
    assertEquals(BigInteger.valueOf(217), leader.vdaf.unshard(List.of(
        leader.leaderShare(reports), leader.openHelperShare(selector, resp)), 3));

    // The batch is collected.
    List<Pending> late = List.of(leader.report(1L, t));
    byte[] lateResp = put(id, AggregationJobId.random(),
        leader.initRequest(PartialBatchSelector.fixedSize(batch), late)).then()
        .statusCode(201).extract().asByteArray();
    assertEquals(List.of("batch_collected"),
        List.copyOf(leader.finish(late, AggregationJobResp.decode(lateResp)).values()));
  }

  @Test
  void fixedSizeBatchesOutsideTheSizeBoundsAreRefused() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count(),
        "fixed_size", 2L, 2, 1);
    long t = bucketNow();
    BatchId small = BatchId.random();
    BatchId large = BatchId.random();
    List<Pending> one = List.of(leader.report(true, t));
    List<Pending> three = List.of(leader.report(true, t), leader.report(true, t),
        leader.report(false, t));
    aggregate(leader, PartialBatchSelector.fixedSize(small), one);
    aggregate(leader, PartialBatchSelector.fixedSize(large), three);
    String before = fingerprint(ds, id);
    assertProblem(aggregateShares(id, leader.shareRequest(BatchSelector.fixedSize(small), 1,
        checksum(ids(one)))), id, DapProblemType.INVALID_BATCH_SIZE);
    assertProblem(aggregateShares(id, leader.shareRequest(BatchSelector.fixedSize(large), 3,
        checksum(ids(three)))), id, DapProblemType.INVALID_BATCH_SIZE);
    assertEquals(before, fingerprint(ds, id));
  }
}
