package io.pando.aggregator.helper;

import static io.pando.aggregator.helper.HelperFixture.bucketNow;
import static io.pando.aggregator.helper.HelperFixture.fingerprint;
import static io.pando.aggregator.helper.HelperFixture.put;
import static io.pando.aggregator.helper.HelperFixture.rows;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Infra;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.helper.HelperFixture.Leader;
import io.pando.aggregator.helper.HelperFixture.Pending;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.ExtensionType;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Aggregation job initialization on the helper (DAP-09 §4.5.1) with valid and bad reports. */
@QuarkusTest
@WithTestResource(Infra.class)
class AggregationJobInitTest {
  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject AgroalDataSource ds;
  @Inject HelperCounters counters;

  private <M> Leader<M> provision(TaskId id, Map<String, Object> vdaf, Prio3<M, ?> prio3)
      throws Exception {
    TaskDefinition d = HelperFixture.helperTask(id, vdaf, "time_interval", null, 1, 1);
    tasks.put(d);
    return new Leader<>(id, prio3, HelperFixture.verifyKey(d));
  }

  private static AggregationJobResp respond(TaskId task, AggregationJobId job, byte[] body)
      throws Exception {
    byte[] resp = put(task, job, body).then().statusCode(201)
        .contentType(MediaTypes.AGGREGATION_JOB_RESP).extract().asByteArray();
    return AggregationJobResp.decode(resp);
  }

  private Map<String, Long> counters(TaskId id) {
    counters.flush();
    return datastore.inTransaction("test-counters", tx -> tx.counters().get(id));
  }

  @Test
  void countJobFinishesEveryReportAndARetryChangesNothing() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count());
    long t = bucketNow();
    List<Pending> reports = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      reports.add(leader.report(i % 3 == 0, t));
    }
    AggregationJobId job = AggregationJobId.random();
    byte[] body = leader.initRequest(reports);
    byte[] first = put(id, job, body).then().statusCode(201)
        .contentType(MediaTypes.AGGREGATION_JOB_RESP).extract().asByteArray();
    Map<ReportId, String> outcome = leader.finish(reports, AggregationJobResp.decode(first));
    outcome.values().forEach(v -> assertEquals("finished", v));
    assertEquals(12, rows(ds, "report_aggregations", id));
    String stored = fingerprint(ds, id);

    // The same request again: byte-identical answer, nothing written.
    byte[] again = put(id, job, body).then().statusCode(201).extract().asByteArray();
    assertArrayEquals(first, again);
    assertEquals(stored, fingerprint(ds, id));

    Map<String, Long> c = counters(id);
    assertEquals(12L, c.get("helper_prepare_success"));
  }

  @Test
  void histogramJobFinishesEveryReport() throws Exception {
    TaskId id = TaskId.random();
    Leader<Integer> leader = provision(id,
        Map.of("type", "Prio3Histogram", "length", 4, "chunk_length", 2),
        Prio3.histogram(4, 2));
    long t = bucketNow();
    List<Pending> reports = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      reports.add(leader.report(i % 4, t));
    }
    AggregationJobId job = AggregationJobId.random();
    Map<ReportId, String> outcome =
        leader.finish(reports, respond(id, job, leader.initRequest(reports)));
    outcome.values().forEach(v -> assertEquals("finished", v));
    assertEquals(20, rows(ds, "report_aggregations", id));
  }

  @Test
  void replayedReportsInALaterJobAreRejected() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count());
    long t = bucketNow();
    List<Pending> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(leader.report(true, t));
    }
    leader.finish(first, respond(id, AggregationJobId.random(), leader.initRequest(first)));

    // A second job repeats two of the reports next to two new ones.
    List<Pending> second = new ArrayList<>(List.of(first.get(0), leader.report(true, t),
        first.get(2), leader.report(false, t)));
    Map<ReportId, String> outcome = leader.finish(second,
        respond(id, AggregationJobId.random(), leader.initRequest(second)));
    assertEquals(List.of("report_replayed", "finished", "report_replayed", "finished"),
        List.copyOf(outcome.values()));
    assertEquals(6, rows(ds, "report_aggregations", id));
    assertEquals(2L, counters(id).get("helper_prepare_report_replayed"));
  }

  @Test
  void concurrentRequestsAggregateEachReportOnce() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count());
    long t = bucketNow();
    List<Pending> shared = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      shared.add(leader.report(true, t));
    }
    // Four copies of one request, and two other jobs that both hold the shared reports.
    AggregationJobId same = AggregationJobId.random();
    byte[] sameBody = leader.initRequest(shared.subList(0, 3));
    List<Pending> a = new ArrayList<>(shared.subList(3, 6));
    a.add(leader.report(true, t));
    List<Pending> b = new ArrayList<>(shared.subList(3, 6));
    b.add(leader.report(true, t));
    List<Callable<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(() -> put(id, same, sameBody).then().statusCode(201).extract().asByteArray());
    }
    calls.add(() -> put(id, AggregationJobId.random(), leader.initRequest(a)).then()
        .statusCode(201).extract().asByteArray());
    calls.add(() -> put(id, AggregationJobId.random(), leader.initRequest(b)).then()
        .statusCode(201).extract().asByteArray());
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    List<byte[]> answers = new ArrayList<>();
    try {
      for (Future<byte[]> f : pool.invokeAll(calls)) {
        answers.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 1; i < 4; i++) {
      assertArrayEquals(answers.get(0), answers.get(i));
    }
    Map<ReportId, String> sameOutcome =
        leader.finish(shared.subList(0, 3), AggregationJobResp.decode(answers.get(0)));
    sameOutcome.values().forEach(v -> assertEquals("finished", v));
    // Each shared report finished in exactly one of the two other jobs.
    Map<ReportId, String> inA = leader.finish(a, AggregationJobResp.decode(answers.get(4)));
    Map<ReportId, String> inB = leader.finish(b, AggregationJobResp.decode(answers.get(5)));
    for (Pending p : shared.subList(3, 6)) {
      assertEquals(Set.of("finished", "report_replayed"),
          Set.of(inA.get(p.id), inB.get(p.id)));
    }
    assertEquals(8, rows(ds, "report_aggregations", id));
    assertEquals(3, rows(ds, "aggregation_jobs", id));
    Map<String, Long> c = counters(id);
    assertEquals(8L, c.get("helper_prepare_success"));
    assertEquals(3L, c.get("helper_prepare_report_replayed"));
  }

  @Test
  void badReportsAreRejectedOneByOne() throws Exception {
    TaskId id = TaskId.random();
    Leader<Boolean> leader = provision(id, Map.of("type", "Prio3Count"), Prio3.count());
    long t = bucketNow();
    Pending good = leader.report(true, t);

    // The helper's ciphertext altered in transit.
    Pending tampered = leader.report(true, t);
    ReportShare rs = tampered.init.reportShare();
    HpkeCiphertext ct = rs.encryptedInputShare();
    byte[] payload = ct.payload();
    payload[3] ^= 1;
    tampered.init = new PrepareInit(new ReportShare(rs.metadata(), rs.publicShare(),
        new HpkeCiphertext(ct.configId(), ct.encapsulatedKey(), payload)), tampered.init.payload());

    // Sealed to an HPKE config the helper does not have.
    Pending unknownKey = leader.report(true, t);
    rs = unknownKey.init.reportShare();
    ct = rs.encryptedInputShare();
    unknownKey.init = new PrepareInit(new ReportShare(rs.metadata(), rs.publicShare(),
        new HpkeCiphertext(HpkeConfigId.of((ct.configId().value() + 77) % 256),
            ct.encapsulatedKey(), ct.payload())), unknownKey.init.payload());

    // The leader prepared with another verify key: the proof does not verify.
    byte[] otherKey = leader.verifyKey.clone();
    otherKey[0] ^= 1;
    Pending wrongProof = leader.report(true, t, List.of(), otherKey);

    // From the future, and with an extension.
    Pending early = leader.report(true, t + 7 * 3600);
    Pending extension = leader.report(true, t,
        List.of(new Extension(ExtensionType.of(0x7777), new byte[] {1})), leader.verifyKey);

    List<Pending> reports = List.of(good, tampered, unknownKey, wrongProof, early, extension);
    Map<ReportId, String> outcome = leader.finish(reports,
        respond(id, AggregationJobId.random(), leader.initRequest(reports)));
    assertEquals(List.of("finished", "hpke_decrypt_error", "hpke_unknown_config_id",
        "vdaf_prep_error", "report_too_early", "invalid_message"),
        List.copyOf(outcome.values()));
    // Every report but the early one took its id.
    assertEquals(5, rows(ds, "report_aggregations", id));

    // The early report may come again later (DAP-09 §4.5.1.1); a rejected one may not.
    Map<ReportId, String> later = leader.finish(List.of(early, tampered), respond(id,
        AggregationJobId.random(), leader.initRequest(List.of(early, tampered))));
    assertEquals(List.of("report_too_early", "report_replayed"), List.copyOf(later.values()));

    Map<String, Long> c = counters(id);
    assertEquals(1L, c.get("helper_prepare_success"));
    assertEquals(1L, c.get("helper_prepare_hpke_decrypt_error"));
    assertEquals(1L, c.get("helper_prepare_hpke_unknown_config_id"));
    assertEquals(1L, c.get("helper_prepare_vdaf_prep_error"));
    assertEquals(2L, c.get("helper_prepare_report_too_early"));
    assertEquals(1L, c.get("helper_prepare_invalid_message"));
    assertEquals(1L, c.get("helper_prepare_report_replayed"));
    assertTrue(io.pando.aggregator.Management.management().when().get("/q/metrics").then()
        .extract().asString().contains("pando_helper_reports_total"));
  }
}
