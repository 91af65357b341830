package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.HpkePublicKey;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.Prio3PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyState;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DapClientTest {
  private static final Duration PRECISION = Duration.ofSeconds(3600);

  /** Prepares every received report through both aggregators and unshards the total. */
  private static <R> R aggregate(Prio3<?, R> vdaf, FakeAggregators aggs) {
    PingPong<VerifyState, OutputShare> pp = Prio3PingPong.of(vdaf);
    byte[] verifyKey = new byte[vdaf.verifyKeySize()];
    List<OutputShare> leader = new ArrayList<>();
    List<OutputShare> helper = new ArrayList<>();
    for (FakeAggregators.Received r : aggs.received) {
      assertTrue(r.leader().extensions().isEmpty());
      byte[] nonce = r.report().metadata().reportId().bytes();
      var l = pp.leaderInit(verifyKey, new byte[0], nonce, r.report().publicShare(),
          r.leader().payload());
      var h = pp.helperInit(verifyKey, new byte[0], nonce, r.report().publicShare(),
          r.helper().payload(), l.outbound());
      var done = pp.leaderContinued(new byte[0], l.state(), h.outbound());
      leader.add(((State.Finished<VerifyState, OutputShare>) done.state()).outputShare());
      helper.add(((State.Finished<VerifyState, OutputShare>) h.state()).outputShare());
    }
    List<AggregateShare> shares = List.of(vdaf.aggregate(leader), vdaf.aggregate(helper));
    return vdaf.unshard(shares, aggs.received.size());
  }

  @Test
  void uploadsReportsTheAggregatorsCanDecryptAndPrepare() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      Prio3<Integer, List<Long>> vdaf = Prio3.histogram(5, 2);
      DapClient<Integer> client = new DapClient<>(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), vdaf, PRECISION));
      List<ReportId> ids = new ArrayList<>();
      for (int m : new int[] {0, 4, 4, 2, 1, 4}) {
        ids.add(client.upload(m, Instant.ofEpochSecond(1_700_003_599L)));
      }
      assertEquals(List.of(1L, 1L, 1L, 0L, 3L), aggregate(vdaf, aggs));
      assertEquals(6, aggs.received.size());
      assertEquals(1, aggs.leaderConfigFetches.get(), "configs are cached");
      for (int i = 0; i < ids.size(); i++) {
        var r = aggs.received.get(i);
        assertEquals(ids.get(i), r.report().metadata().reportId());
        assertEquals(1_700_002_800L, r.report().metadata().time().seconds(), "rounded down");
        assertEquals(MediaTypes.REPORT, r.contentType());
      }
    }
  }

  @Test
  void countAndSumUploads() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> count = new DapClient<>(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      for (boolean m : new boolean[] {true, true, false, true}) {
        count.upload(m);
      }
      assertEquals(3L, aggregate(Prio3.count(), aggs));
    }
  }

  @Test
  void outdatedConfigRefetchesOnceAndRetries() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = new DapClient<>(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      client.upload(true);
      aggs.rotateLeaderKey();
      client.upload(true);
      assertEquals(2, aggs.leaderConfigFetches.get());
      assertEquals(2, aggs.received.size());
      assertEquals(2L, aggregate(Prio3.count(), aggs));
    }
  }

  @Test
  void rejectionsCarryTheProblemType() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = new DapClient<>(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      aggs.rejectNextWith = DapProblemType.REPORT_TOO_EARLY;
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertEquals(400, e.status());
      assertEquals(DapProblemType.REPORT_TOO_EARLY, e.problemType().orElseThrow());
      assertTrue(e.getMessage().contains("reportTooEarly"), e.getMessage());
      assertEquals(taskId.toBase64Url(), e.problem().orElseThrow().taskId());

      DapClient<Boolean> wrongTask = new DapClient<>(new DapTask<>(TaskId.random(),
          aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      e = assertThrows(DapClientException.class, () -> wrongTask.upload(true));
      assertEquals(DapProblemType.UNRECOGNIZED_TASK, e.problemType().orElseThrow());
    }
  }

  @Test
  void unsupportedOrMalformedConfigsAreClearErrors() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Boolean> client = new DapClient<>(
          new DapTask<>(taskId, aggs.leader(), aggs.helper(), Prio3.count(), PRECISION));
      aggs.leaderConfigOverride = HpkeConfigList.of(new HpkeConfig(HpkeConfigId.of(9),
          HpkeKemId.X448_HKDF_SHA512, HpkeKdfId.HKDF_SHA512, HpkeAeadId.AES_256_GCM,
          HpkePublicKey.of(new byte[56]))).encode();
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertTrue(e.getMessage().contains("no supported HPKE config"), e.getMessage());
      aggs.leaderConfigOverride = new byte[] {0, 1};
      e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertTrue(e.getMessage().contains("malformed HPKE config list"), e.getMessage());
      assertEquals(0, aggs.received.size());
    }
  }

  @Test
  void anUnreachableLeaderIsAnError() {
    DapClient<Boolean> client = new DapClient<>(new DapTask<>(TaskId.random(),
        URI.create("http://127.0.0.1:9/"), URI.create("http://127.0.0.1:9/"), Prio3.count(),
        PRECISION));
    DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
    assertEquals(0, e.status());
  }

  @Test
  void invalidMeasurementsAreRefusedBeforeAnythingIsSent() throws Exception {
    TaskId taskId = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(taskId)) {
      DapClient<Integer> client = new DapClient<>(new DapTask<>(taskId, aggs.leader(),
          aggs.helper(), Prio3.histogram(3, 2), PRECISION));
      assertThrows(IllegalArgumentException.class, () -> client.upload(3));
      assertEquals(0, aggs.received.size());
    }
  }
}
