package io.pando.aggregator.helper;

import static io.pando.aggregator.helper.HelperFixture.aggregateShares;
import static io.pando.aggregator.helper.HelperFixture.bucketNow;
import static io.pando.aggregator.helper.HelperFixture.checksum;
import static io.pando.aggregator.helper.HelperFixture.fingerprint;
import static io.pando.aggregator.helper.HelperFixture.post;
import static io.pando.aggregator.helper.HelperFixture.put;
import static io.pando.aggregator.helper.HelperFixture.rows;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeSealer;
import io.pando.core.vdaf.DapVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.AggregateShareReq;
import io.pando.dap.messages.AggregationJobContinueReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.PrepareContinue;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The helper's Poplar1 path (DAP-09 §4.5 with a two-round VDAF, §4.6.3 with aggregation
 * parameters): initialization keeps the prep states, continuation finishes the reports, the
 * aggregate share request's parameter selects the batch's sum, the same batch is collected again
 * at the next level, and what DAP-09 forbids is refused.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class Poplar1HelperTest {
  private static final int BITS = 4;
  private static final byte[] NO_CTX = new byte[0];

  @Inject TaskService tasks;
  @Inject AgroalDataSource ds;

  /** A report as the test's leader keeps it: its shares, and its state in the current job. */
  private static final class Report {
    final ReportId id = ReportId.random();
    final long time;
    byte[] publicShare;
    byte[] leaderShare;
    ReportShare share;
    State<Object, Object> state;
    byte[] outbound;
    Object leaderOutput;

    Report(long time) {
      this.time = time;
    }
  }

  /** A DAP-09 leader for one Poplar1 task, in memory. */
  private static final class Leader {
    final TaskId task;
    final DapVdaf vdaf = DapVdaf.of(new VdafInstance.Poplar1(BITS, VdafVersion.DRAFT_08));
    final Poplar1 poplar = new Poplar1(VdafVersion.DRAFT_08, BITS);
    final PingPong<Object, Object> pingPong = vdaf.pingPong(NO_CTX);
    final byte[] verifyKey;
    final HpkeSealer sealer;

    Leader(TaskId task, byte[] verifyKey) throws Exception {
      this.task = task;
      this.verifyKey = verifyKey;
      this.sealer = Hpke.sealer(HelperFixture.helperHpkeConfig(task));
    }

    Report report(long measurement, long time) {
      Report r = new Report(time);
      Poplar1Sharded s = poplar.shard(BigInteger.valueOf(measurement), r.id.bytes());
      r.publicShare = poplar.encodePublicShare(s.publicShare());
      r.leaderShare = poplar.encodeInputShare(s.inputShares().get(0));
      ReportMetadata md = new ReportMetadata(r.id, Time.ofSeconds(time));
      byte[] aad = new InputShareAad(task, md, r.publicShare).encode();
      r.share = new ReportShare(md, r.publicShare, sealer.seal(
          ApplicationInfo.inputShare(Role.HELPER), new PlaintextInputShare(List.of(),
              poplar.encodeInputShare(s.inputShares().get(1))).encode(), aad));
      return r;
    }

    /** ping_pong_leader_init for each report; the AggregationJobInitReq. */
    byte[] init(byte[] param, List<Report> reports) {
      List<PrepareInit> inits = new ArrayList<>();
      for (Report r : reports) {
        PingPong.Transition<Object, Object> t = pingPong.leaderInit(verifyKey, param,
            r.id.bytes(), r.publicShare, r.leaderShare);
        r.state = t.state();
        inits.add(new PrepareInit(r.share, t.outbound()));
      }
      return new AggregationJobInitReq<>(param, PartialBatchSelector.timeInterval(), inits)
          .encode();
    }

    /**
     * ping_pong_leader_continued on the helper's first answers; the AggregationJobContinueReq
     * for step 1 of the reports it continued.
     */
    byte[] continueRequest(byte[] param, List<Report> reports, AggregationJobResp resp) {
      List<PrepareContinue> continues = new ArrayList<>();
      for (int i = 0; i < reports.size(); i++) {
        Report r = reports.get(i);
        PrepareResp pr = resp.prepareResps().get(i);
        assertEquals(r.id, pr.reportId());
        PrepareStepResult.Continue c = assertInstanceOf(PrepareStepResult.Continue.class,
            pr.result());
        PingPong.Transition<Object, Object> t = pingPong.leaderContinued(param, r.state,
            c.payload());
        State.Finished<Object, Object> f = assertInstanceOf(State.Finished.class, t.state());
        r.leaderOutput = f.outputShare();
        continues.add(new PrepareContinue(r.id, t.outbound()));
      }
      return new AggregationJobContinueReq(AggregationJobStep.of(1), continues).encode();
    }

    byte[] shareRequest(BatchSelector<QueryType.TimeInterval> selector, byte[] param,
        List<Report> reports) throws Exception {
      return new AggregateShareReq<>(selector, param, reports.size(),
          checksum(reports.stream().map(r -> r.id).toList())).encode();
    }

    /** Unshards the leader's sum and the helper's share as the collector does. */
    List<Long> prefixCounts(BatchSelector<QueryType.TimeInterval> selector, byte[] param,
        List<Report> reports, byte[] response) throws Exception {
      List<Object> outs = new ArrayList<>();
      for (Report r : reports) {
        outs.add(r.leaderOutput);
      }
      byte[] helper = Tasks.COLLECTOR_KEY.open(ApplicationInfo.aggregateShare(Role.HELPER),
          io.pando.dap.messages.AggregateShare.decode(response).encryptedAggregateShare(),
          new AggregateShareAad<>(task, param, selector).encode());
      @SuppressWarnings("unchecked")
      List<Long> counts = (List<Long>) vdaf.unshard(param, List.of(
          vdaf.encodeAggregateShare(vdaf.aggregate(param, outs)), helper), reports.size());
      return counts;
    }
  }

  private Leader provision(TaskId id, long maxQueries) throws Exception {
    TaskDefinition d = HelperFixture.helperTask(id, Map.of("type", "Poplar1", "bits", BITS),
        "time_interval", null, 3, maxQueries);
    tasks.put(d);
    return new Leader(id, HelperFixture.verifyKey(d));
  }

  private static AggregationJobResp initOk(TaskId id, AggregationJobId job, byte[] body)
      throws Exception {
    return AggregationJobResp.decode(put(id, job, body).then().statusCode(201)
        .contentType(MediaTypes.AGGREGATION_JOB_RESP).extract().asByteArray());
  }

  private static List<String> outcomes(AggregationJobResp resp) {
    return resp.prepareResps().stream().map(r -> r.result() instanceof PrepareStepResult.Reject j
        ? j.error().draftName() : r.result().getClass().getSimpleName()).toList();
  }

  private static void assertProblem(Response r, TaskId id, DapProblemType type) {
    r.then().statusCode(400).contentType(MediaTypes.PROBLEM_JSON)
        .body("type", equalTo(type.uri())).body("taskid", equalTo(id.toBase64Url()));
  }

  /** Runs a whole two-round job at one parameter; every report must finish. */
  private static void aggregate(Leader leader, byte[] param, List<Report> reports)
      throws Exception {
    AggregationJobId job = AggregationJobId.random();
    AggregationJobResp first = initOk(leader.task, job, leader.init(param, reports));
    byte[] cont = leader.continueRequest(param, reports, first);
    AggregationJobResp second = AggregationJobResp.decode(post(leader.task, job, cont).then()
        .statusCode(200).extract().asByteArray());
    second.prepareResps().forEach(r -> assertInstanceOf(PrepareStepResult.Finished.class,
        r.result()));
  }

  @Test
  void twoRoundJobsAndASecondCollectionOfTheBatchAtTheNextLevel() throws Exception {
    TaskId id = TaskId.random();
    Leader leader = provision(id, 2);
    long t = HelperFixture.bucketNow();
    long[] measurements = {0b1010, 0b1011, 0b0100, 0b1110, 0b0001};
    List<Report> reports = new ArrayList<>();
    for (long m : measurements) {
      reports.add(leader.report(m, t + 10));
    }

    // Level 0: the first round keeps every report waiting, with its prep state stored.
    byte[] level0 = Poplar1AggParam.of(0, 0, 1).encode();
    AggregationJobId job = AggregationJobId.random();
    AggregationJobResp first = initOk(id, job, leader.init(level0, reports));
    assertEquals(List.of("Continue", "Continue", "Continue", "Continue", "Continue"),
        outcomes(first));
    assertEquals(0, rows(ds, "batch_aggregations", id));
    byte[] cont = leader.continueRequest(level0, reports, first);
    // A continuation for a step the job is not at yet: stepMismatch, nothing changes.
    String beforeContinue = fingerprint(ds, id);
    assertProblem(post(id, job, new AggregationJobContinueReq(AggregationJobStep.of(2),
        List.of()).encode()), id, DapProblemType.STEP_MISMATCH);
    assertEquals(beforeContinue, fingerprint(ds, id));

    byte[] second = post(id, job, cont).then().statusCode(200)
        .contentType(MediaTypes.AGGREGATION_JOB_RESP).extract().asByteArray();
    assertEquals(List.of("Finished", "Finished", "Finished", "Finished", "Finished"),
        outcomes(AggregationJobResp.decode(second)));
    // The same continuation again: the same bytes, nothing written.
    String stored = fingerprint(ds, id);
    assertArrayEquals(second, post(id, job, cont).then().statusCode(200).extract()
        .asByteArray());
    assertEquals(stored, fingerprint(ds, id));
    // Another request for the step the job already took: stepMismatch.
    assertProblem(post(id, job, new AggregationJobContinueReq(AggregationJobStep.of(1),
        List.of()).encode()), id, DapProblemType.STEP_MISMATCH);

    BatchSelector<QueryType.TimeInterval> batch =
        BatchSelector.timeInterval(Interval.of(t, 3600));
    byte[] share0 = aggregateShares(id, leader.shareRequest(batch, level0, reports)).then()
        .statusCode(200).extract().asByteArray();
    assertEquals(List.of(2L, 3L), leader.prefixCounts(batch, level0, reports, share0));

    // The batch is collected at level 0: a report it did not hold may not join it any more,
    // and the reports it held may not be aggregated at level 0 again.
    Report late = leader.report(0b1111, t + 20);
    byte[] level0Again = Poplar1AggParam.of(0, 1).encode();
    List<Report> replayed = List.of(reports.get(0), late);
    assertEquals(List.of("report_replayed", "batch_collected"),
        outcomes(initOk(id, AggregationJobId.random(), leader.init(level0Again, replayed))));

    // Level 1, the children of both level-0 prefixes: the same reports again.
    byte[] level1 = Poplar1AggParam.of(1, 0b00, 0b01, 0b10, 0b11).encode();
    aggregate(leader, level1, reports);
    byte[] share1 = aggregateShares(id, leader.shareRequest(batch, level1, reports)).then()
        .statusCode(200).extract().asByteArray();
    assertEquals(List.of(1L, 1L, 2L, 1L), leader.prefixCounts(batch, level1, reports, share1));
    // A new report still may not join: it was in neither collection.
    Report later = leader.report(0b0000, t + 30);
    assertEquals(List.of("batch_collected"), outcomes(initOk(id, AggregationJobId.random(),
        leader.init(Poplar1AggParam.of(2, 0).encode(), List.of(later)))));

    // max_batch_query_count is 2: a third parameter is refused; the first two are answered
    // again from what was stored.
    byte[] level2 = Poplar1AggParam.of(2, 0b101).encode();
    aggregate(leader, level2, reports);
    assertProblem(aggregateShares(id, leader.shareRequest(batch, level2, reports)), id,
        DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES);
    assertArrayEquals(share0, aggregateShares(id, leader.shareRequest(batch, level0, reports))
        .then().statusCode(200).extract().asByteArray());
  }

  @Test
  void invalidAggregationParametersAreRefusedAndNothingIsStored() throws Exception {
    TaskId id = TaskId.random();
    Leader leader = provision(id, 2);
    long t = bucketNow();
    List<Report> reports = List.of(leader.report(3, t), leader.report(5, t));
    String empty = fingerprint(ds, id);
    // Truncated, a level not below BITS, and Prio3's empty parameter.
    for (byte[] bad : List.of(new byte[] {0, 1}, Poplar1AggParam.of(BITS, 1).encode(),
        new byte[0])) {
      byte[] body = new AggregationJobInitReq<>(bad, PartialBatchSelector.timeInterval(),
          List.of(new PrepareInit(reports.get(0).share, new byte[] {0}))).encode();
      assertProblem(put(id, AggregationJobId.random(), body), id,
          DapProblemType.INVALID_MESSAGE);
      assertProblem(aggregateShares(id, leader.shareRequest(
          BatchSelector.timeInterval(Interval.of(t, 3600)), bad, reports)), id,
          DapProblemType.INVALID_MESSAGE);
    }
    assertEquals(empty, fingerprint(ds, id));

    // Reports of a job that leave the continuation, and one that was not in the job.
    byte[] level0 = Poplar1AggParam.of(0, 0, 1).encode();
    AggregationJobId job = AggregationJobId.random();
    AggregationJobResp first = initOk(id, job, leader.init(level0, reports));
    leader.continueRequest(level0, reports, first);
    Report stranger = leader.report(1, t);
    assertProblem(post(id, job, new AggregationJobContinueReq(AggregationJobStep.of(1),
        List.of(new PrepareContinue(stranger.id, new byte[] {2}))).encode()), id,
        DapProblemType.INVALID_MESSAGE);
  }
}
