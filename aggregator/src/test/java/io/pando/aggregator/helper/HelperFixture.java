package io.pando.aggregator.helper;

import static io.restassured.RestAssured.given;

import io.agroal.api.AgroalDataSource;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeSealer;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.AggregateShareReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.Prio3PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyState;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import io.restassured.response.Response;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the helper's tests need: helper tasks, a leader that builds requests exactly as a DAP-09
 * leader does (Prio3 sharding, the helper's input share sealed to the helper's advertised HPKE
 * config, {@code ping_pong_leader_init}), and a fingerprint of everything the helper stores for a
 * task.
 */
final class HelperFixture {
  static final String TOKEN = Tasks.AGGREGATOR_TOKEN;
  static final byte[] NO_PARAM = new byte[0];

  private HelperFixture() {}

  /** A helper task definition; {@code queryType} is time_interval or fixed_size. */
  static TaskDefinition helperTask(TaskId id, Map<String, Object> vdaf, String queryType,
      Long maxBatchSize, long minBatchSize, long maxBatchQueryCount) {
    TaskDefinition d = Tasks.definition(id, "helper", vdaf, "http://leader.invalid/");
    return new TaskDefinition(d.taskId(), d.role(), d.peerEndpoint(), queryType, maxBatchSize,
        d.vdaf(), d.vdafVerifyKey(), maxBatchQueryCount, d.taskExpiration(),
        d.reportExpiryAge(), minBatchSize, d.timePrecision(), d.tolerableClockSkew(),
        d.collectorHpkeConfig(), d.aggregatorAuthToken(), d.collectorAuthToken());
  }

  static byte[] verifyKey(TaskDefinition d) {
    return Base64.getUrlDecoder().decode(d.vdafVerifyKey());
  }

  /** The helper's advertised HPKE config, fetched as a client or leader would. */
  static HpkeConfig helperHpkeConfig(TaskId task) throws Exception {
    byte[] body = given().when().get("/hpke_config?task_id=" + task.toBase64Url())
        .then().statusCode(200).extract().asByteArray();
    return HpkeConfigList.decode(body).configs().get(0);
  }

  /** The current time rounded down to the task's one-hour precision. */
  static long bucketNow() {
    long now = System.currentTimeMillis() / 1000;
    return now - Math.floorMod(now, 3600);
  }

  /** XOR of SHA-256 of the report ids (DAP-09 §4.6.3). */
  static ReportIdChecksum checksum(List<ReportId> ids) throws Exception {
    byte[] out = new byte[32];
    for (ReportId id : ids) {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(id.bytes());
      for (int i = 0; i < 32; i++) {
        out[i] ^= h[i];
      }
    }
    return ReportIdChecksum.of(out);
  }

  // ---- HTTP ------------------------------------------------------------------------------

  static String jobPath(TaskId task, AggregationJobId job) {
    return "/tasks/" + task.toBase64Url() + "/aggregation_jobs/" + job.toBase64Url();
  }

  static Response put(TaskId task, AggregationJobId job, byte[] body) {
    return given().header("Authorization", "Bearer " + TOKEN)
        .contentType(MediaTypes.AGGREGATION_JOB_INIT_REQ).body(body)
        .when().put(jobPath(task, job));
  }

  static Response post(TaskId task, AggregationJobId job, byte[] body) {
    return given().header("Authorization", "Bearer " + TOKEN)
        .contentType(MediaTypes.AGGREGATION_JOB_CONTINUE_REQ).body(body)
        .when().post(jobPath(task, job));
  }

  static Response delete(TaskId task, AggregationJobId job) {
    return given().header("Authorization", "Bearer " + TOKEN).when().delete(jobPath(task, job));
  }

  static Response aggregateShares(TaskId task, byte[] body) {
    return given().header("DAP-Auth-Token", TOKEN)
        .contentType(MediaTypes.AGGREGATE_SHARE_REQ).body(body)
        .when().post("/tasks/" + task.toBase64Url() + "/aggregate_shares");
  }

  // ---- The leader's side -------------------------------------------------------------------

  /** A report as the leader holds it during aggregation. */
  static final class Pending {
    final ReportId id;
    final long time;
    final State<VerifyState, OutputShare> state;
    PrepareInit init;
    OutputShare leaderOutput;

    Pending(ReportId id, long time, State<VerifyState, OutputShare> state, PrepareInit init) {
      this.id = id;
      this.time = time;
      this.state = state;
      this.init = init;
    }
  }

  /** A DAP-09 leader for one task, in memory. */
  static final class Leader<M> {
    final TaskId task;
    final Prio3<M, ?> vdaf;
    final byte[] verifyKey;
    final PingPong<VerifyState, OutputShare> pingPong;
    final HpkeConfig helperConfig;
    final HpkeSealer sealer;

    Leader(TaskId task, Prio3<M, ?> vdaf, byte[] verifyKey) throws Exception {
      this(task, vdaf, verifyKey, helperHpkeConfig(task));
    }

    Leader(TaskId task, Prio3<M, ?> vdaf, byte[] verifyKey, HpkeConfig helperConfig)
        throws Exception {
      this.task = task;
      this.vdaf = vdaf;
      this.verifyKey = verifyKey;
      this.pingPong = Prio3PingPong.of(vdaf);
      this.helperConfig = helperConfig;
      this.sealer = Hpke.sealer(helperConfig);
    }

    Pending report(M measurement, long time) {
      return report(measurement, time, List.of(), verifyKey);
    }

    /** Shards, seals the helper's share and runs ping_pong_leader_init. */
    Pending report(M measurement, long time, List<Extension> extensions, byte[] leaderKey) {
      ReportId id = ReportId.random();
      Sharded s = vdaf.shard(measurement, id.bytes());
      byte[] publicShare = vdaf.encodePublicShare(s.publicShare());
      ReportMetadata md = new ReportMetadata(id, Time.ofSeconds(time));
      byte[] aad = new InputShareAad(task, md, publicShare).encode();
      HpkeCiphertext helperShare = sealer.seal(ApplicationInfo.inputShare(Role.HELPER),
          new PlaintextInputShare(extensions, vdaf.encodeInputShare(s.inputShares().get(1)))
              .encode(), aad);
      PingPong.Transition<VerifyState, OutputShare> t = pingPong.leaderInit(leaderKey, NO_PARAM,
          id.bytes(), publicShare, vdaf.encodeInputShare(s.inputShares().get(0)));
      if (!(t.state() instanceof State.Continued)) {
        throw new IllegalStateException("leader init failed: " + t.state());
      }
      PrepareInit init = new PrepareInit(new ReportShare(md, publicShare, helperShare),
          t.outbound());
      return new Pending(id, time, t.state(), init);
    }

    byte[] initRequest(List<Pending> reports) {
      return initRequest(PartialBatchSelector.timeInterval(), reports);
    }

    <Q extends QueryType> byte[] initRequest(PartialBatchSelector<Q> selector,
        List<Pending> reports) {
      List<PrepareInit> inits = new ArrayList<>();
      for (Pending p : reports) {
        inits.add(p.init);
      }
      return new AggregationJobInitReq<>(NO_PARAM, selector, inits).encode();
    }

    /**
     * Runs ping_pong_leader_continued on every "continue" answer; returns the outcome per
     * report id: "finished" or the reject's error name.
     */
    Map<ReportId, String> finish(List<Pending> reports, AggregationJobResp resp) {
      if (resp.prepareResps().size() != reports.size()) {
        throw new AssertionError("response has " + resp.prepareResps().size() + " reports");
      }
      Map<ReportId, String> out = new LinkedHashMap<>();
      for (int i = 0; i < reports.size(); i++) {
        Pending p = reports.get(i);
        PrepareResp r = resp.prepareResps().get(i);
        if (!r.reportId().equals(p.id)) {
          throw new AssertionError("response out of order at " + i);
        }
        if (r.result() instanceof PrepareStepResult.Continue c) {
          PingPong.Transition<VerifyState, OutputShare> t =
              pingPong.leaderContinued(NO_PARAM, p.state, c.payload());
          if (t.state() instanceof State.Finished<VerifyState, OutputShare> f
              && t.outbound() == null) {
            p.leaderOutput = f.outputShare();
            out.put(p.id, "finished");
          } else {
            out.put(p.id, "leader_" + t.state());
          }
        } else if (r.result() instanceof PrepareStepResult.Reject rej) {
          out.put(p.id, rej.error().draftName());
        } else {
          out.put(p.id, "finished_state");
        }
      }
      return out;
    }

    AggregateShare leaderShare(List<Pending> reports) {
      List<OutputShare> outs = new ArrayList<>();
      for (Pending p : reports) {
        outs.add(p.leaderOutput);
      }
      return vdaf.aggregate(outs);
    }

    <Q extends QueryType> byte[] shareRequest(BatchSelector<Q> selector, long count,
        ReportIdChecksum checksum) {
      return new AggregateShareReq<>(selector, NO_PARAM, count, checksum).encode();
    }

    /** Opens the helper's share as the collector does (DAP-09 §4.6.4). */
    <Q extends QueryType> AggregateShare openHelperShare(BatchSelector<Q> selector,
        byte[] response) throws Exception {
      io.pando.dap.messages.AggregateShare msg = io.pando.dap.messages.AggregateShare
          .decode(response);
      byte[] plain = Tasks.COLLECTOR_KEY.open(ApplicationInfo.aggregateShare(Role.HELPER),
          msg.encryptedAggregateShare(),
          new AggregateShareAad<>(task, NO_PARAM, selector).encode());
      return vdaf.decodeAggregateShare(plain);
    }
  }

  // ---- The datastore -----------------------------------------------------------------------

  private static final List<String> TABLES = List.of("aggregation_jobs", "report_aggregations",
      "batch_aggregations", "batch_queries", "aggregate_share_jobs");

  /** A digest of every row the helper stores for the task. */
  static String fingerprint(AgroalDataSource ds, TaskId task) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (Connection c = ds.getConnection()) {
      for (String table : TABLES) {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*), md5(coalesce("
            + "string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table
            + " t WHERE task_id = ?")) {
          st.setBytes(1, task.bytes());
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            sb.append(table).append('=').append(rs.getLong(1)).append(':')
                .append(rs.getString(2)).append(' ');
          }
        }
      }
    }
    return sb.toString();
  }

  /** The number of rows of a table for the task. */
  static long rows(AgroalDataSource ds, String table, TaskId task) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st = c.prepareStatement(
            "SELECT count(*) FROM " + table + " WHERE task_id = ?")) {
      st.setBytes(1, task.bytes());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
