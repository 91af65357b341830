package io.pando.aggregator.helper;

import static io.pando.aggregator.helper.Dap18HelperTest.PRECISION;
import static io.pando.aggregator.helper.Dap18HelperTest.derivedId;
import static io.pando.aggregator.helper.Dap18HelperTest.get;
import static io.pando.aggregator.helper.Dap18HelperTest.jobs;
import static io.pando.aggregator.helper.Dap18HelperTest.nowSeconds;
import static io.pando.aggregator.helper.Dap18HelperTest.outcomes;
import static io.pando.aggregator.helper.Dap18HelperTest.post;
import static io.pando.aggregator.helper.Dap18HelperTest.prio3Report;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Infra;
import io.pando.aggregator.helper.Dap18HelperTest.Leader;
import io.pando.aggregator.helper.Dap18HelperTest.Report;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregationJobResp;
import io.pando.dap.messages.dap18.BatchSelector;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.Interval;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.Query;
import io.pando.dap.messages.problem.DapProblemType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous DAP-18 helper (DAP-18 §3, "Asynchronous Request Handling";
 * {@code pando.helper.deferred.enabled}): aggregation job creations and aggregate share requests
 * are answered 201 with their Location, an empty body and Retry-After; the helper's driver
 * handles them and GET answers "processing" until it has, then the same representation the
 * synchronous helper gives; a failure found on the driver is answered to the GET; a malformed
 * request is refused at once and stores nothing.
 */
@QuarkusTest
@TestProfile(Dap18AsyncHelperTest.Deferred.class)
@WithTestResource(Infra.class)
class Dap18AsyncHelperTest {
  /** The helper defers DAP-18 requests; its driver looks for them every 200 ms. */
  public static class Deferred implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("pando.helper.deferred.enabled", "true",
          "pando.helper.deferred.poll-interval", "PT0.2S",
          "pando.helper.deferred.retry-after", "PT1S");
    }
  }

  @Inject TaskService tasks;
  @Inject HpkeKeys keys;
  @Inject AgroalDataSource ds;

  /** Polls GET of {@code path} until it answers a body (the representation) or fails. */
  private static Response poll(String path) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      Response r = get(path);
      if (r.statusCode() != 200 || r.asByteArray().length > 0) {
        return r;
      }
      r.then().header("Retry-After", "1");
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " still processing after 30 s");
      }
      Thread.sleep(100);
    }
  }

  private long deferredRows(TaskId id) throws Exception {
    try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM helper_deferred_requests WHERE task_id = ?")) {
      s.setBytes(1, id.bytes());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void jobsAndSharesAnswerProcessingThenTheirRepresentation() throws Exception {
    TaskId id = TaskId.random();
    Leader leader = Dap18HelperTest.provision(tasks, keys, id,
        Map.of("type", "Prio3Sum", "max_measurement", 100), "time_interval");
    long t = nowSeconds();
    List<Report> reports = List.of(prio3Report(leader, ReportId.random(), 7, t, List.of()),
        prio3Report(leader, ReportId.random(), 30, t, List.of()));
    byte[] body = leader.init(0, new byte[0], List.of(), reports);
    String job = jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, body);

    Response created = post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ, body);
    // §4.5.3.3: a "not yet ready" Location names the step polled for.
    created.then().statusCode(201).header("Location", job + "?step=0")
        .header("Retry-After", "1");
    assertEquals(0, created.asByteArray().length, "processing: an empty body");

    Response done = poll(job + "?step=0");
    done.then().statusCode(200).contentType(MediaTypes.AGGREGATION_JOB_RESP);
    AggregationJobResp resp = AggregationJobResp.decode(done.asByteArray());
    assertEquals(List.of("Continue", "Continue"), outcomes(resp));
    leader.continued(new byte[0], reports, resp);
    assertEquals(0, deferredRows(id), "a handled request leaves no row");
    // The job is at step 0: GET without a step or for step 0 answers it; another step is a
    // stepMismatch; a step that is not a uint16 is malformed.
    assertArrayEquals(resp.encode(), get(job).then().statusCode(200).extract().asByteArray());
    Dap18HelperTest.assertProblem(get(job + "?step=1"), id, DapProblemType.STEP_MISMATCH);
    Dap18HelperTest.assertProblem(get(job + "?step=70000"), id, DapProblemType.INVALID_MESSAGE);
    // The same creation again: the job exists, so it is answered at once, unchanged.
    Response again = post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ, body);
    again.then().statusCode(201).header("Location", job);
    assertArrayEquals(resp.encode(), again.asByteArray());

    // The aggregate share: processing, then the share, which decrypts to the exact sum.
    Interval bucket = Interval.of(t / PRECISION, 1);
    CollectionJobReq collection = new CollectionJobReq(Query.timeInterval(bucket), new byte[0]);
    byte[] shareBody = leader.shareRequest(collection, BatchSelector.timeInterval(bucket),
        reports).encode();
    String shares = "/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares";
    String share = shares + "/" + derivedId("pando dap-18 aggregate share", id, shareBody);
    Response asked = post(shares, MediaTypes.Message.AGGREGATE_SHARE_REQ, shareBody);
    asked.then().statusCode(201).header("Location", share).header("Retry-After", "1");
    assertEquals(0, asked.asByteArray().length);
    Response got = poll(share);
    got.then().statusCode(200).contentType(MediaTypes.AGGREGATE_SHARE);
    assertEquals(BigInteger.valueOf(37), leader.unshard(collection, reports, got.asByteArray()));
  }

  @Test
  void malformedRequestsAreRefusedAtOnceAndFailuresOnTheDriverAnswerTheGet() throws Exception {
    TaskId id = TaskId.random();
    Leader leader = Dap18HelperTest.provision(tasks, keys, id,
        Map.of("type", "Prio3Sum", "max_measurement", 100), "time_interval");
    Dap18HelperTest.assertProblem(post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ,
        new byte[] {0, 0, 0, 1, 2}), id, DapProblemType.INVALID_MESSAGE);
    assertEquals(0, deferredRows(id), "nothing stored for a malformed request");

    // A share request whose count the helper does not share decodes, so it is deferred; the
    // driver finds the batch mismatch and the GET answers it.
    long t = nowSeconds();
    List<Report> reports = List.of(prio3Report(leader, ReportId.random(), 5, t, List.of()),
        prio3Report(leader, ReportId.random(), 6, t, List.of()));
    byte[] body = leader.init(0, new byte[0], List.of(), reports);
    post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ, body).then().statusCode(201);
    poll(jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, body))
        .then().statusCode(200);
    Interval bucket = Interval.of(t / PRECISION, 1);
    CollectionJobReq collection = new CollectionJobReq(Query.timeInterval(bucket), new byte[0]);
    byte[] wrong = new io.pando.dap.messages.dap18.AggregateShareReq(collection,
        BatchSelector.timeInterval(bucket), 3, HelperFixture.checksum(
            reports.stream().map(r -> r.id).toList())).encode();
    String shares = "/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares";
    post(shares, MediaTypes.Message.AGGREGATE_SHARE_REQ, wrong).then().statusCode(201);
    Response failed = poll(shares + "/" + derivedId("pando dap-18 aggregate share", id, wrong));
    failed.then().statusCode(400).contentType("application/problem+json")
        .body("type", equalTo(DapProblemType.BATCH_MISMATCH.uri()));
  }
}
