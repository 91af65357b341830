package io.pando.aggregator.helper;

import static io.pando.aggregator.Management.admin;
import static io.pando.aggregator.helper.HelperFixture.checksum;
import static io.pando.aggregator.helper.HelperFixture.fingerprint;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeSealer;
import io.pando.core.vdaf.DapVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.AggregateShare;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.ExtensionType;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregateShareAad;
import io.pando.dap.messages.dap18.AggregateShareReq;
import io.pando.dap.messages.dap18.AggregationJobContinueReq;
import io.pando.dap.messages.dap18.AggregationJobExtension;
import io.pando.dap.messages.dap18.AggregationJobInitReq;
import io.pando.dap.messages.dap18.AggregationJobResp;
import io.pando.dap.messages.dap18.BatchSelector;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.InputShareAad;
import io.pando.dap.messages.dap18.Interval;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.PlaintextInputShare;
import io.pando.dap.messages.dap18.Query;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportMetadata;
import io.pando.dap.messages.dap18.ReportShare;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.Time;
import io.pando.dap.messages.dap18.VerifyContinue;
import io.pando.dap.messages.dap18.VerifyInit;
import io.pando.dap.messages.dap18.VerifyResp;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DAP-18 helper (draft-ietf-ppm-dap-18 §4.5, §4.6.3) as a DAP-18 leader drives it, with
 * reports built as a DAP-18 client does ({@code "dap-18" || task_id} VDAF context, the draft-18
 * info string, the InputShareAad with the task's TaskConfiguration): jobs created at a location
 * derived from the request, continued, read back; aggregate shares that decrypt to exact results;
 * refusals with the draft's problem types that store nothing.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class Dap18HelperTest {
  static final long PRECISION = 3600;
  static final String TOKEN = Tasks.AGGREGATOR_TOKEN;

  @Inject TaskService tasks;
  @Inject HpkeKeys keys;
  @Inject AgroalDataSource ds;

  // ---- The test's DAP-18 leader -------------------------------------------------------------

  /** A report as the leader holds it: its share for the helper and its ping-pong state. */
  static final class Report {
    final ReportId id;
    final long seconds;
    VerifyInit init;
    State<Object, Object> state;
    Object leaderOutput;

    Report(ReportId id, long seconds) {
      this.id = id;
      this.seconds = seconds;
    }
  }

  /** A DAP-18 leader of one helper task, in memory. */
  static final class Leader {
    final Task task;
    final TaskConfiguration configuration;
    final DapVdaf vdaf;
    final PingPong<Object, Object> pingPong;
    final byte[] verifyKey;
    final HpkeSealer sealer;

    Leader(TaskService tasks, HpkeKeys keys, TaskId id, byte[] verifyKey) throws Exception {
      this.task = tasks.get(id).orElseThrow();
      this.configuration = task.dap18().orElseThrow().configuration();
      this.vdaf = task.dapVdaf();
      this.pingPong = vdaf.pingPong(task.vdafContext());
      this.verifyKey = verifyKey;
      this.sealer = Hpke.sealer(keys.activeConfigs().get(0));
    }

    /** Seals the helper's share (§4.4.2) and runs ping_pong_leader_init (§4.5.3.1). */
    Report report(ReportId id, long seconds, byte[] aggParam, byte[] publicShare,
        byte[] leaderShare, byte[] helperShare, List<Extension> publicExtensions) {
      Report r = new Report(id, seconds);
      ReportMetadata md = new ReportMetadata(id,
          Time.ofSeconds(seconds, configuration.timePrecision()), publicExtensions);
      byte[] aad = new InputShareAad(task.id(), configuration, md, publicShare).encode();
      HpkeCiphertext sealed = sealer.seal(
          ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER),
          new PlaintextInputShare(List.of(), helperShare).encode(), aad);
      PingPong.Transition<Object, Object> t = pingPong.leaderInit(verifyKey, aggParam,
          id.bytes(), publicShare, leaderShare);
      r.state = assertInstanceOf(State.Continued.class, t.state(), t.state()::toString);
      r.init = new VerifyInit(new ReportShare(md, publicShare, sealed), t.outbound());
      return r;
    }

    byte[] init(int keyId, byte[] aggParam, List<AggregationJobExtension> extensions,
        List<Report> reports) {
      return new AggregationJobInitReq(keyId, aggParam, extensions,
          reports.stream().map(r -> r.init).toList()).encode();
    }

    /**
     * ping_pong_leader_continued on every {@code continue}; the reports whose leader side has a
     * message left for the helper, as VerifyContinues.
     */
    List<VerifyContinue> continued(byte[] aggParam, List<Report> reports,
        AggregationJobResp resp) {
      assertEquals(reports.size(), resp.verifyResps().size());
      List<VerifyContinue> next = new ArrayList<>();
      for (int i = 0; i < reports.size(); i++) {
        Report r = reports.get(i);
        VerifyResp v = resp.verifyResps().get(i);
        assertEquals(r.id, v.reportId());
        VerifyResp.Continue c = assertInstanceOf(VerifyResp.Continue.class, v.result());
        PingPong.Transition<Object, Object> t =
            pingPong.leaderContinued(aggParam, r.state, c.payload());
        State.Finished<Object, Object> f = assertInstanceOf(State.Finished.class, t.state());
        r.leaderOutput = f.outputShare();
        if (t.outbound() != null) {
          next.add(new VerifyContinue(r.id, t.outbound()));
        }
      }
      return next;
    }

    AggregateShareReq shareRequest(CollectionJobReq collection, BatchSelector selector,
        List<Report> reports) throws Exception {
      return new AggregateShareReq(collection, selector, reports.size(),
          checksum(reports.stream().map(r -> r.id).toList()));
    }

    /** The collector's unsharding of the leader's aggregate and the helper's opened share. */
    Object unshard(CollectionJobReq collection, List<Report> reports, byte[] response)
        throws Exception {
      byte[] param = collection.aggregationParameter();
      byte[] helper = Tasks.COLLECTOR_KEY.open(
          ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER),
          AggregateShare.decode(response).encryptedAggregateShare(),
          new AggregateShareAad(task.id(), configuration, collection).encode());
      List<Object> outs = new ArrayList<>();
      for (Report r : reports) {
        outs.add(r.leaderOutput);
      }
      return vdaf.unshard(param, List.of(vdaf.encodeAggregateShare(vdaf.aggregate(param, outs)),
          helper), reports.size());
    }
  }

  // ---- Provisioning and HTTP ---------------------------------------------------------------

  static Map<String, Object> definition(TaskId id, Map<String, Object> vdaf,
      String batchMode, byte[] verifyKey) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("dap_version", "dap-18");
    d.put("role", "helper");
    d.put("task_info", Tasks.b64("helper".getBytes(StandardCharsets.US_ASCII)));
    d.put("leader_aggregator_endpoint", "https://leader.invalid/dap-18/");
    d.put("helper_aggregator_endpoint", "https://helper.invalid/dap-18/");
    d.put("batch_mode", batchMode);
    d.put("vdaf", vdaf);
    d.put("vdaf_verify_key", Tasks.b64(verifyKey));
    d.put("max_batch_query_count", 2);
    d.put("min_batch_size", 2);
    d.put("time_precision", PRECISION);
    d.put("tolerable_clock_skew", 60);
    d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    d.put("aggregator_auth_token", TOKEN);
    return d;
  }

  private Leader provision(TaskId id, Map<String, Object> vdaf, String batchMode)
      throws Exception {
    return provision(tasks, keys, id, vdaf, batchMode);
  }

  static Leader provision(TaskService tasks, HpkeKeys keys, TaskId id, Map<String, Object> vdaf,
      String batchMode) throws Exception {
    byte[] verifyKey = new byte[32];
    new SecureRandom().nextBytes(verifyKey);
    admin().contentType(ContentType.JSON).body(definition(id, vdaf, batchMode, verifyKey))
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    return new Leader(tasks, keys, id, verifyKey);
  }

  static String jobs(TaskId id) {
    return "/dap-18/tasks/" + id.toBase64Url() + "/aggregation_jobs";
  }

  static Response post(String path, MediaTypes.Message message, byte[] body) {
    return given().header("Authorization", "Bearer " + TOKEN)
        .contentType(message.mediaType()).body(body).when().post(path);
  }

  static Response get(String path) {
    return given().header("Authorization", "Bearer " + TOKEN).when().get(path);
  }

  /** The helper's resource id: SHA-256(label || task id || body), first 16 bytes, base64url. */
  static String derivedId(String label, TaskId id, byte[] body) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(label.getBytes(StandardCharsets.UTF_8));
    sha.update(id.bytes());
    sha.update(body);
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Arrays.copyOf(sha.digest(), 16));
  }

  /** A successful init: 201 at the derived location; returns the response. */
  private static AggregationJobResp created(TaskId id, byte[] body) throws Exception {
    Response r = post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ, body);
    r.then().statusCode(201).contentType(MediaTypes.AGGREGATION_JOB_RESP)
        .header("Location", jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, body));
    return AggregationJobResp.decode(r.asByteArray());
  }

  static List<String> outcomes(AggregationJobResp resp) {
    return resp.verifyResps().stream().map(v -> v.result() instanceof VerifyResp.Reject j
        ? j.error().draftName() : v.result().getClass().getSimpleName()).toList();
  }

  static void assertProblem(Response r, TaskId id, DapProblemType type) {
    r.then().statusCode(400).contentType("application/problem+json")
        .body("type", equalTo(type.uri())).body("taskid", equalTo(id.toBase64Url()));
  }

  static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  private static Interval bucketOf(long seconds) {
    return Interval.of(seconds / PRECISION, 1);
  }

  static final Prio3<Long, BigInteger> SUM = Prio3.Draft20.sum(100);

  static Report prio3Report(Leader leader, ReportId id, long measurement, long seconds,
      List<Extension> publicExtensions) {
    Sharded s = SUM.shard(leader.task.vdafContext(), measurement, id.bytes());
    return leader.report(id, seconds, new byte[0], SUM.encodePublicShare(s.publicShare()),
        SUM.encodeInputShare(s.inputShares().get(0)),
        SUM.encodeInputShare(s.inputShares().get(1)), publicExtensions);
  }

  // ---- Tests -------------------------------------------------------------------------------

  @Test
  void prio3JobsAreCreatedOnceAndTheAggregateShareDecryptsToTheExactSum() throws Exception {
    TaskId id = TaskId.random();
    Leader leader = provision(id, Map.of("type", "Prio3Sum", "max_measurement", 100),
        "time_interval");
    long t = nowSeconds();
    List<Report> good = List.of(prio3Report(leader, ReportId.random(), 7, t, List.of()),
        prio3Report(leader, ReportId.random(), 30, t, List.of()));
    // A public report extension: none is recognized on DAP-18 tasks (§4.5.3.4).
    Report withExtension = prio3Report(leader, ReportId.random(), 50, t,
        List.of(new Extension(ExtensionType.of(0xff00), new byte[] {1})));
    List<Report> first = List.of(good.get(0), withExtension, good.get(1));
    byte[] body = leader.init(0, new byte[0], List.of(), first);

    AggregationJobResp resp = created(id, body);
    assertEquals(List.of("Continue", "invalid_message", "Continue"), outcomes(resp));
    // Prio3 finishes on the leader's side with the helper's message: nothing to continue.
    assertEquals(List.of(), leader.continued(new byte[0], good,
        new AggregationJobResp(List.of(resp.verifyResps().get(0), resp.verifyResps().get(2)))));
    String stored = fingerprint(ds, id);

    // The same POST: same location and bytes, nothing counted again.
    Response again = post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ, body);
    again.then().statusCode(201)
        .header("Location", jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, body));
    assertArrayEquals(resp.encode(), again.asByteArray());
    assertEquals(stored, fingerprint(ds, id));
    // GET of the job: its current representation.
    String job = jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, body);
    assertArrayEquals(resp.encode(), get(job).then().statusCode(200)
        .contentType(MediaTypes.AGGREGATION_JOB_RESP).extract().asByteArray());

    // A second job: a report already aggregated is report_replayed; a new one joins.
    Report third = prio3Report(leader, ReportId.random(), 100, t, List.of());
    AggregationJobResp second = created(id,
        leader.init(0, new byte[0], List.of(), List.of(good.get(0), third)));
    assertEquals(List.of("report_replayed", "Continue"), outcomes(second));
    leader.continued(new byte[0], List.of(third),
        new AggregationJobResp(List.of(second.verifyResps().get(1))));

    // The aggregate share of the report's bucket (time_precision units on the wire).
    List<Report> aggregated = List.of(good.get(0), good.get(1), third);
    CollectionJobReq collection = new CollectionJobReq(Query.timeInterval(bucketOf(t)),
        new byte[0]);
    // A count the helper does not share: batchMismatch, nothing stored.
    String beforeShare = fingerprint(ds, id);
    AggregateShareReq wrong = leader.shareRequest(collection,
        BatchSelector.timeInterval(bucketOf(t)), good);
    assertProblem(post("/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares",
        MediaTypes.Message.AGGREGATE_SHARE_REQ, wrong.encode()), id,
        DapProblemType.BATCH_MISMATCH);
    assertEquals(beforeShare, fingerprint(ds, id));

    byte[] shareBody = leader.shareRequest(collection, BatchSelector.timeInterval(bucketOf(t)),
        aggregated).encode();
    String share = "/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares/"
        + derivedId("pando dap-18 aggregate share", id, shareBody);
    Response created = post("/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares",
        MediaTypes.Message.AGGREGATE_SHARE_REQ, shareBody);
    created.then().statusCode(201).contentType(MediaTypes.AGGREGATE_SHARE)
        .header("Location", share);
    assertEquals(BigInteger.valueOf(7 + 30 + 100),
        leader.unshard(collection, aggregated, created.asByteArray()));
    String collected = fingerprint(ds, id);
    assertArrayEquals(created.asByteArray(), post("/dap-18/tasks/" + id.toBase64Url()
        + "/aggregate_shares", MediaTypes.Message.AGGREGATE_SHARE_REQ, shareBody).then()
        .statusCode(201).header("Location", share).extract().asByteArray());
    assertArrayEquals(created.asByteArray(), get(share).then().statusCode(200)
        .contentType(MediaTypes.AGGREGATE_SHARE).extract().asByteArray());
    assertEquals(collected, fingerprint(ds, id));

    // The bucket is collected: a new report may not join it.
    Report late = prio3Report(leader, ReportId.random(), 1, t, List.of());
    assertEquals(List.of("batch_collected"),
        outcomes(created(id, leader.init(0, new byte[0], List.of(), List.of(late)))));

    // DELETE of the share and of the job: 204, then gone.
    given().header("Authorization", "Bearer " + TOKEN).when().delete(share).then()
        .statusCode(204);
    get(share).then().statusCode(410);
    given().header("Authorization", "Bearer " + TOKEN).when().delete(job).then()
        .statusCode(204);
    get(job).then().statusCode(410);
  }

  @Test
  void refusedRequestsGetTheDraftsProblemTypesAndStoreNothing() throws Exception {
    TaskId id = TaskId.random();
    Leader leader = provision(id, Map.of("type", "Prio3Sum", "max_measurement", 100),
        "time_interval");
    long t = nowSeconds();
    List<Report> reports = List.of(prio3Report(leader, ReportId.random(), 1, t, List.of()));
    String empty = fingerprint(ds, id);

    // verification_key_id: the task has one verify key, id 0.
    assertProblem(post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ,
        leader.init(1, new byte[0], List.of(), reports)), id, DapProblemType.INVALID_MESSAGE);
    // An unknown aggregation job extension (§4.5.1): unsupportedExtension.
    assertProblem(post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ,
        leader.init(0, new byte[0], List.of(new AggregationJobExtension(0x7000, new byte[0])),
            reports)), id, DapProblemType.UNSUPPORTED_EXTENSION);
    // leader_selected_batch_id on a time-interval task.
    assertProblem(post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ, leader.init(0,
        new byte[0], List.of(AggregationJobExtension.leaderSelectedBatchId(BatchId.random())),
        reports)), id, DapProblemType.INVALID_MESSAGE);
    // Prio3's parameter is empty (§4.3): invalidAggregationParameter.
    assertProblem(post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ,
        leader.init(0, new byte[] {1}, List.of(), reports)), id,
        DapProblemType.INVALID_AGGREGATION_PARAMETER);
    // Bodies that do not decode.
    byte[] good = leader.init(0, new byte[0], List.of(), reports);
    assertProblem(post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ,
        Arrays.copyOf(good, good.length - 1)), id, DapProblemType.INVALID_MESSAGE);
    assertProblem(post("/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares",
        MediaTypes.Message.AGGREGATE_SHARE_REQ, new byte[] {1, 2, 3}), id,
        DapProblemType.INVALID_MESSAGE);
    assertProblem(post(jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, good),
        MediaTypes.Message.AGGREGATION_JOB_CONTINUE_REQ, new byte[] {0}), id,
        DapProblemType.INVALID_MESSAGE);
    // Another message type is 415; a continuation or GET of an unknown job is
    // unrecognizedAggregationJob.
    post(jobs(id), MediaTypes.Message.AGGREGATE_SHARE_REQ, good).then().statusCode(415);
    String unknown = jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, good);
    assertProblem(post(unknown, MediaTypes.Message.AGGREGATION_JOB_CONTINUE_REQ,
        new AggregationJobContinueReq(AggregationJobStep.of(1), List.of()).encode()), id,
        DapProblemType.UNRECOGNIZED_AGGREGATION_JOB);
    assertProblem(get(unknown), id, DapProblemType.UNRECOGNIZED_AGGREGATION_JOB);
    // A wrong token: DAP-18 has no unauthorizedRequest, so no DAP type.
    given().header("Authorization", "Bearer wrong-token-0123456789")
        .contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(good).when().post(jobs(id))
        .then().statusCode(401).contentType("application/problem+json")
        .body("type", equalTo("urn:pando:problem:unauthorized"));
    assertEquals(empty, fingerprint(ds, id));
  }

  @Test
  void leaderSelectedJobsNameTheirBatchInTheExtension() throws Exception {
    TaskId id = TaskId.random();
    Leader leader = provision(id, Map.of("type", "Prio3Sum", "max_measurement", 100),
        "leader_selected");
    long t = nowSeconds();
    List<Report> reports = List.of(prio3Report(leader, ReportId.random(), 5, t, List.of()),
        prio3Report(leader, ReportId.random(), 6, t - PRECISION, List.of()));
    String empty = fingerprint(ds, id);
    // §5.2.2: the extension is required.
    assertProblem(post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ,
        leader.init(0, new byte[0], List.of(), reports)), id, DapProblemType.INVALID_MESSAGE);
    assertEquals(empty, fingerprint(ds, id));

    BatchId batch = BatchId.random();
    AggregationJobResp resp = created(id, leader.init(0, new byte[0],
        List.of(AggregationJobExtension.leaderSelectedBatchId(batch)), reports));
    assertEquals(List.of("Continue", "Continue"), outcomes(resp));
    leader.continued(new byte[0], reports, resp);

    CollectionJobReq collection = new CollectionJobReq(Query.leaderSelected(), new byte[0]);
    // Another batch id named in no job: batchInvalid.
    assertProblem(post("/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares",
        MediaTypes.Message.AGGREGATE_SHARE_REQ, leader.shareRequest(collection,
            BatchSelector.leaderSelected(BatchId.random()), reports).encode()), id,
        DapProblemType.BATCH_INVALID);
    byte[] share = post("/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares",
        MediaTypes.Message.AGGREGATE_SHARE_REQ,
        leader.shareRequest(collection, BatchSelector.leaderSelected(batch), reports).encode())
        .then().statusCode(201).extract().asByteArray();
    assertEquals(BigInteger.valueOf(11), leader.unshard(collection, reports, share));
  }

  @Test
  void poplar1TwoRoundsThenTheAggregateShareCountsThePrefixes() throws Exception {
    int bits = 4;
    Map<String, Object> vdaf = Map.of("type", "Poplar1", "bits", bits);
    // Poplar1 is time_interval only.
    byte[] someKey = new byte[DapVdaf.of(new VdafInstance.Poplar1(bits, VdafVersion.DRAFT_20))
        .verifyKeySize()];
    admin().contentType(ContentType.JSON)
        .body(definition(TaskId.random(), vdaf, "leader_selected", someKey))
        .when().put("/admin/tasks/" + TaskId.random().toBase64Url()).then().statusCode(400)
        .body("detail", containsString("batch_mode time_interval"));

    TaskId id = TaskId.random();
    byte[] verifyKey = new byte[someKey.length];
    new SecureRandom().nextBytes(verifyKey);
    admin().contentType(ContentType.JSON).body(definition(id, vdaf, "time_interval", verifyKey))
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    Leader leader = new Leader(tasks, keys, id, verifyKey);
    assertEquals("Poplar1", leader.task.vdaf().type());
    assertEquals(VdafVersion.DRAFT_20, leader.vdaf.version());

    Poplar1 poplar = new Poplar1(VdafVersion.DRAFT_20, bits);
    byte[] level0 = Poplar1AggParam.of(0, 0, 1).encode(VdafVersion.DRAFT_20);
    long t = nowSeconds();
    long[] measurements = {0b1010, 0b1011, 0b0100, 0b1110, 0b0001};
    List<Report> reports = new ArrayList<>();
    for (long m : measurements) {
      ReportId rid = ReportId.random();
      Poplar1Sharded s = poplar.shard(leader.task.vdafContext(), BigInteger.valueOf(m),
          rid.bytes());
      reports.add(leader.report(rid, t, level0, poplar.encodePublicShare(s.publicShare()),
          poplar.encodeInputShare(s.inputShares().get(0)),
          poplar.encodeInputShare(s.inputShares().get(1)), List.of()));
    }
    byte[] body = leader.init(0, level0, List.of(), reports);
    String job = jobs(id) + "/" + derivedId("pando dap-18 aggregation job", id, body);
    AggregationJobResp first = created(id, body);
    assertEquals(List.of("Continue", "Continue", "Continue", "Continue", "Continue"),
        outcomes(first));
    List<VerifyContinue> continues = leader.continued(level0, reports, first);
    assertEquals(reports.size(), continues.size());

    // Step 2 before step 1: stepMismatch, nothing changes.
    String before = fingerprint(ds, id);
    assertProblem(post(job, MediaTypes.Message.AGGREGATION_JOB_CONTINUE_REQ,
        new AggregationJobContinueReq(AggregationJobStep.of(2), continues).encode()), id,
        DapProblemType.STEP_MISMATCH);
    assertEquals(before, fingerprint(ds, id));

    byte[] cont = new AggregationJobContinueReq(AggregationJobStep.of(1), continues).encode();
    byte[] second = post(job, MediaTypes.Message.AGGREGATION_JOB_CONTINUE_REQ, cont).then()
        .statusCode(200).contentType(MediaTypes.AGGREGATION_JOB_RESP).extract().asByteArray();
    assertEquals(List.of("Finish", "Finish", "Finish", "Finish", "Finish"),
        outcomes(AggregationJobResp.decode(second)));
    String stepped = fingerprint(ds, id);
    assertNotEquals(before, stepped);
    // The retry: the stored bytes, nothing written; GET answers the same; the init again
    // names the job and answers its current state (§4.5.3.3).
    assertArrayEquals(second, post(job, MediaTypes.Message.AGGREGATION_JOB_CONTINUE_REQ, cont)
        .then().statusCode(200).extract().asByteArray());
    assertArrayEquals(second, get(job).then().statusCode(200).extract().asByteArray());
    assertArrayEquals(second, post(jobs(id), MediaTypes.Message.AGGREGATION_JOB_INIT_REQ, body)
        .then().statusCode(201).header("Location", job).extract().asByteArray());
    assertEquals(stepped, fingerprint(ds, id));

    CollectionJobReq collection = new CollectionJobReq(Query.timeInterval(bucketOf(t)), level0);
    byte[] share = post("/dap-18/tasks/" + id.toBase64Url() + "/aggregate_shares",
        MediaTypes.Message.AGGREGATE_SHARE_REQ, leader.shareRequest(collection,
            BatchSelector.timeInterval(bucketOf(t)), reports).encode())
        .then().statusCode(201).extract().asByteArray();
    // Prefix 0: 0b0100, 0b0001; prefix 1: 0b1010, 0b1011, 0b1110.
    assertEquals(List.of(2L, 3L), leader.unshard(collection, reports, share));
  }
}
