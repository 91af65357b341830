package io.pando.aggregator.leader;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The leader's collection jobs of a Poplar1 task (DAP-09 §4.6.1 with an aggregation parameter):
 * the parameter is decoded and checked with is_valid against the batch's earlier collection
 * jobs, a refused request stores nothing, and each collection creates the aggregation jobs of
 * its parameter over the batch's reports, which keep their shares for the next one.
 */
@QuarkusTest
@TestProfile(CollectionTestProfile.class)
@WithTestResource(Infra.class)
class Poplar1CollectionTest {
  private static final int BITS = 4;
  private static final long PRECISION = 3600;

  @Inject TaskService tasks;
  @Inject Datastore datastore;

  private TaskId provision() {
    TaskId id = TaskId.random();
    TaskDefinition d = Tasks.leader(id, Map.of("type", "Poplar1", "bits", BITS),
        "http://helper.invalid/");
    tasks.put(new TaskDefinition(d.taskId(), d.role(), d.peerEndpoint(), d.queryType(),
        d.maxBatchSize(), d.vdaf(), d.vdafVerifyKey(), 4L, d.taskExpiration(),
        d.reportExpiryAge(), d.minBatchSize(), d.timePrecision(), d.tolerableClockSkew(),
        d.collectorHpkeConfig(), d.aggregatorAuthToken(), d.collectorAuthToken()));
    return id;
  }

  private static Response put(TaskId task, CollectionJobId job, Interval interval,
      byte[] param) {
    return given().header("Authorization", "Bearer " + Tasks.COLLECTOR_TOKEN)
        .contentType(MediaTypes.COLLECT_REQ)
        .body(new CollectionReq<>(Query.timeInterval(interval), param).encode())
        .when().put("/tasks/" + task.toBase64Url() + "/collection_jobs/" + job.toBase64Url());
  }

  private static void assertInvalid(Response r, TaskId task) {
    r.then().statusCode(400).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo(DapProblemType.INVALID_MESSAGE.uri()))
        .body("taskid", equalTo(task.toBase64Url()));
  }

  private int jobs(TaskId task) {
    return datastore.inTransaction("test", tx -> tx.collectionJobs().list(task)).size();
  }

  @Test
  void theAggregationParameterIsCheckedAgainstTheBatchsEarlierCollections() {
    TaskId id = provision();
    long now = System.currentTimeMillis() / 1000;
    Interval batch = Interval.of(now - Math.floorMod(now, PRECISION), PRECISION);

    // Truncated, a level not below BITS, and Prio3's empty parameter.
    for (byte[] bad : List.of(new byte[] {0, 1}, Poplar1AggParam.of(BITS, 1).encode(),
        new byte[0])) {
      assertInvalid(put(id, CollectionJobId.random(), batch, bad), id);
    }
    assertEquals(0, jobs(id));

    byte[] level0 = Poplar1AggParam.of(0, 0, 1).encode();
    CollectionJobId first = CollectionJobId.random();
    put(id, first, batch, level0).then().statusCode(201);
    // The same request again is created again; another parameter under its id conflicts.
    put(id, first, batch, level0).then().statusCode(201);
    put(id, first, batch, Poplar1AggParam.of(0, 1).encode()).then().statusCode(409);
    // Level 0 again for the same batch: is_valid refuses it.
    assertInvalid(put(id, CollectionJobId.random(), batch, Poplar1AggParam.of(0, 1).encode()),
        id);
    assertEquals(1, jobs(id));
    // The next level is a second collection of the batch; level 1 again is refused after it.
    put(id, CollectionJobId.random(), batch, Poplar1AggParam.of(1, 0b00, 0b11).encode())
        .then().statusCode(201);
    assertInvalid(put(id, CollectionJobId.random(), batch, Poplar1AggParam.of(1, 0b01)
        .encode()), id);
    // Another batch starts afresh at level 0.
    Interval next = Interval.of(batch.start().seconds() + PRECISION, PRECISION);
    put(id, CollectionJobId.random(), next, level0).then().statusCode(201);
    assertEquals(3, jobs(id));
  }

  @Test
  void eachCollectionAggregatesTheBatchsReportsUnderItsParameter() throws Exception {
    TaskId id = provision();
    long now = System.currentTimeMillis() / 1000;
    long bucket = now - Math.floorMod(now, PRECISION);
    var config = io.pando.dap.messages.HpkeConfigList.decode(given()
        .when().get("/hpke_config?task_id=" + id.toBase64Url()).then().statusCode(200)
        .extract().asByteArray()).configs().get(0);
    var sealer = io.pando.core.hpke.Hpke.sealer(config);
    var poplar = new io.pando.vdaf.poplar1.Poplar1(io.pando.vdaf.VdafVersion.DRAFT_08, BITS);
    for (long m : new long[] {0b1010, 0b0110, 0b1111}) {
      given().contentType(MediaTypes.REPORT).body(io.pando.aggregator.Poplar1Reports.report(id,
              poplar, m, bucket + 5, sealer).encode())
          .when().put("/tasks/" + id.toBase64Url() + "/reports").then().statusCode(201);
    }
    Interval batch = Interval.of(bucket, PRECISION);
    put(id, CollectionJobId.random(), batch, Poplar1AggParam.of(0, 0, 1).encode())
        .then().statusCode(201);
    io.pando.aggregator.Waits.until("level-0 aggregation jobs", 30,
        () -> reportAggregations(id) == 3);
    put(id, CollectionJobId.random(), batch, Poplar1AggParam.of(1, 0b01, 0b10, 0b11).encode())
        .then().statusCode(201);
    io.pando.aggregator.Waits.until("level-1 aggregation jobs", 30,
        () -> reportAggregations(id) == 6);
    // One set of jobs per parameter, each over the three reports, which keep their shares.
    assertEquals(3L, (long) datastore.inTransaction("test",
        tx -> tx.reports().inInterval(id, bucket, bucket + PRECISION).size()));
    assertEquals(List.of(0, 1), datastore.inTransaction("test", tx -> tx.aggregationJobs()
        .jobs(id).stream().map(j -> level(tx.aggregationJobs().aggregationParam(id, j.jobId())))
        .sorted().toList()));
  }

  private static int level(byte[] param) {
    try {
      return Poplar1AggParam.decode(param).level();
    } catch (io.pando.codec.DecodeException e) {
      throw new AssertionError(e);
    }
  }

  private int reportAggregations(TaskId id) {
    return datastore.inTransaction("test", tx -> tx.aggregationJobs().reportAggregations(id))
        .size();
  }
}
