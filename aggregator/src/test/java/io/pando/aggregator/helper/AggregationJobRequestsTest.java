package io.pando.aggregator.helper;

import static io.pando.aggregator.helper.HelperFixture.bucketNow;
import static io.pando.aggregator.helper.HelperFixture.delete;
import static io.pando.aggregator.helper.HelperFixture.fingerprint;
import static io.pando.aggregator.helper.HelperFixture.jobPath;
import static io.pando.aggregator.helper.HelperFixture.post;
import static io.pando.aggregator.helper.HelperFixture.put;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.helper.HelperFixture.Leader;
import io.pando.aggregator.helper.HelperFixture.Pending;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.AggregationJobContinueReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PrepareContinue;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests the helper refuses as a whole (DAP-09 §3, §4.5.1.2, §4.5.2.2), each leaving the
 * datastore unchanged, and continuation and deletion of jobs.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class AggregationJobRequestsTest {
  @Inject TaskService tasks;
  @Inject AgroalDataSource ds;

  private TaskId id;
  private Leader<Boolean> leader;
  private List<Pending> reports;
  private AggregationJobId job;
  private byte[] body;

  @BeforeEach
  void setUp() throws Exception {
    id = TaskId.random();
    TaskDefinition d = HelperFixture.helperTask(id, Map.of("type", "Prio3Count"),
        "time_interval", null, 1, 1);
    tasks.put(d);
    leader = new Leader<>(id, Prio3.count(), HelperFixture.verifyKey(d));
    long t = bucketNow();
    reports = List.of(leader.report(true, t), leader.report(false, t), leader.report(true, t));
    job = AggregationJobId.random();
    body = leader.initRequest(reports);
  }

  private void assertProblem(Response r, int status,
      DapProblemType type) {
    r.then().statusCode(status).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo(type.uri()))
        .body("taskid", equalTo(id.toBase64Url()));
  }

  @Test
  void refusedInitRequestsStoreNothing() throws Exception {
    String empty = fingerprint(ds, id);

    // Wrong or missing token.
    assertProblem(given().header("Authorization", "Bearer wrong")
        .contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(body)
        .when().put(jobPath(id, job)), 403, DapProblemType.UNAUTHORIZED_REQUEST);
    assertProblem(given().contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(body)
        .when().put(jobPath(id, job)), 403, DapProblemType.UNAUTHORIZED_REQUEST);

    // Wrong media type.
    given().header("Authorization", "Bearer " + HelperFixture.TOKEN)
        .contentType(MediaTypes.AGGREGATION_JOB_CONTINUE_REQ).body(body)
        .when().put(jobPath(id, job)).then().statusCode(415)
        .contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo("urn:pando:problem:unsupportedMediaType"));

    // Malformed bodies.
    assertProblem(put(id, job, new byte[] {0, 0, 0}), 400, DapProblemType.INVALID_MESSAGE);
    byte[] truncated = Arrays.copyOf(body, body.length - 1);
    assertProblem(put(id, job, truncated), 400, DapProblemType.INVALID_MESSAGE);

    // A fixed-size selector for a time-interval task.
    assertProblem(put(id, job, leader.initRequest(
        PartialBatchSelector.fixedSize(BatchId.random()), reports)), 400,
        DapProblemType.INVALID_MESSAGE);

    // The same report twice in one request.
    assertProblem(put(id, job, leader.initRequest(List.of(reports.get(0), reports.get(1),
        reports.get(0)))), 400, DapProblemType.INVALID_MESSAGE);

    // No report, or an aggregation parameter Prio3 does not take.
    assertProblem(put(id, job, new AggregationJobInitReq<>(new byte[0],
        PartialBatchSelector.timeInterval(), List.of()).encode()), 400,
        DapProblemType.INVALID_MESSAGE);
    assertProblem(put(id, job, new AggregationJobInitReq<>(new byte[] {1},
        PartialBatchSelector.timeInterval(),
        reports.stream().map(p -> p.init).toList()).encode()), 400,
        DapProblemType.INVALID_MESSAGE);

    // A malformed job id.
    given().header("Authorization", "Bearer " + HelperFixture.TOKEN)
        .contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(body)
        .when().put("/tasks/" + id.toBase64Url() + "/aggregation_jobs/short")
        .then().statusCode(400).body("type", equalTo(DapProblemType.INVALID_MESSAGE.uri()));

    assertEquals(empty, fingerprint(ds, id));
  }

  @Test
  void unknownTasksAndLeaderTasksAreUnrecognized() throws Exception {
    TaskId unknown = TaskId.random();
    put(unknown, job, body).then().statusCode(400)
        .body("type", equalTo(DapProblemType.UNRECOGNIZED_TASK.uri()))
        .body("taskid", equalTo(unknown.toBase64Url()));
    TaskId led = TaskId.random();
    tasks.put(Tasks.leader(led, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    put(led, job, body).then().statusCode(400)
        .body("type", equalTo(DapProblemType.UNRECOGNIZED_TASK.uri()));
    given().header("Authorization", "Bearer " + HelperFixture.TOKEN)
        .contentType(MediaTypes.AGGREGATE_SHARE_REQ).body(new byte[] {1})
        .when().post("/tasks/" + led.toBase64Url() + "/aggregate_shares")
        .then().statusCode(400).body("type", equalTo(DapProblemType.UNRECOGNIZED_TASK.uri()));
    assertEquals(0, HelperFixture.rows(ds, "aggregation_jobs", led));
  }

  @Test
  void aJobCannotChange() throws Exception {
    put(id, job, body).then().statusCode(201);
    String stored = fingerprint(ds, id);

    // Fewer reports under the same job id: refused as a mutation.
    put(id, job, leader.initRequest(reports.subList(0, 2))).then().statusCode(409)
        .contentType(MediaTypes.PROBLEM_JSON).body("type", equalTo("urn:pando:problem:conflict"));
    assertEquals(stored, fingerprint(ds, id));
  }

  @Test
  void continuationOfAFinishedPrio3Job() throws Exception {
    AggregationJobId unknown = AggregationJobId.random();
    byte[] someContinue = new AggregationJobContinueReq(AggregationJobStep.of(1),
        List.of(new PrepareContinue(reports.get(0).id, new byte[] {2}))).encode();
    assertProblem(post(id, unknown, someContinue), 400,
        DapProblemType.UNRECOGNIZED_AGGREGATION_JOB);

    put(id, job, body).then().statusCode(201);
    String stored = fingerprint(ds, id);

    // Every report finished at initialization: none waits for a continuation.
    assertProblem(post(id, job, someContinue), 400, DapProblemType.INVALID_MESSAGE);
    assertProblem(post(id, job, new AggregationJobContinueReq(AggregationJobStep.of(0),
        List.of()).encode()), 400, DapProblemType.INVALID_MESSAGE);
    assertProblem(post(id, job, new AggregationJobContinueReq(AggregationJobStep.of(2),
        List.of()).encode()), 400, DapProblemType.STEP_MISMATCH);
    assertProblem(post(id, job, new byte[] {0}), 400, DapProblemType.INVALID_MESSAGE);
    given().header("Authorization", "Bearer " + HelperFixture.TOKEN)
        .contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(someContinue)
        .when().post(jobPath(id, job)).then().statusCode(415);
    assertProblem(given().header("Authorization", "Bearer nope")
        .contentType(MediaTypes.AGGREGATION_JOB_CONTINUE_REQ).body(someContinue)
        .when().post(jobPath(id, job)), 403, DapProblemType.UNAUTHORIZED_REQUEST);

    // The empty continuation Janus sends when the leader rejected every report.
    byte[] resp = post(id, job, new AggregationJobContinueReq(AggregationJobStep.of(1),
        List.of()).encode()).then().statusCode(200)
        .contentType(MediaTypes.AGGREGATION_JOB_RESP).extract().asByteArray();
    assertEquals(0, AggregationJobResp.decode(resp).prepareResps().size());
    assertEquals(stored, fingerprint(ds, id));
  }

  @Test
  void deletedJobsAnswerNoMore() throws Exception {
    assertProblem(delete(id, job), 400, DapProblemType.UNRECOGNIZED_AGGREGATION_JOB);
    put(id, job, body).then().statusCode(201);
    long batchRows = HelperFixture.rows(ds, "batch_aggregations", id);
    String batches = batchAggregations();

    assertProblem(given().header("Authorization", "Bearer nope").when()
        .delete(jobPath(id, job)), 403, DapProblemType.UNAUTHORIZED_REQUEST);
    delete(id, job).then().statusCode(204);
    delete(id, job).then().statusCode(204);
    put(id, job, body).then().statusCode(410).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo("urn:pando:problem:gone"));
    post(id, job, new AggregationJobContinueReq(AggregationJobStep.of(1), List.of()).encode())
        .then().statusCode(410);

    // The output shares stay (a leader deletes the jobs it finished), and the reports stay taken.
    assertEquals(batchRows, HelperFixture.rows(ds, "batch_aggregations", id));
    assertEquals(batches, batchAggregations());
    Map<ReportId, String> outcome = leader.finish(reports,
        AggregationJobResp.decode(put(id, AggregationJobId.random(), body).then()
            .statusCode(201).extract().asByteArray()));
    outcome.values().forEach(v -> assertEquals("report_replayed", v));
  }

  private String batchAggregations() throws Exception {
    String all = fingerprint(ds, id);
    return all.substring(all.indexOf("batch_aggregations="), all.indexOf(" batch_queries="));
  }
}
