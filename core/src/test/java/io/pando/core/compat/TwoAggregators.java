package io.pando.core.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.PingPong.Transition;
import io.pando.vdaf.pingpong.Prio3PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyState;
import io.pando.vdaf.prio3.Prio3;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * One DAP-09 task seen by its two aggregators: what the Leader and the Helper do with an upload
 * (DAP-09 §4.4.2, §4.5), reduced to decryption, decoding and Prio3 preparation, aggregation and
 * unsharding. The checks are assertions, so a report that fails any step fails the test.
 */
final class TwoAggregators {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_AGG_PARAM = new byte[0];

  private final TaskId taskId;
  private final Prio3<?, ?> prio3;
  private final HpkeKeypair leader;
  private final HpkeKeypair helper;
  private final PingPong<VerifyState, OutputShare> pingPong;

  /** Both decrypted plaintext input shares of a report. */
  record Opened(PlaintextInputShare leader, PlaintextInputShare helper) {}

  /** Both output shares of a prepared report. */
  record Prepared(OutputShare leader, OutputShare helper) {}

  /** The final states of both aggregators after the ping-pong exchange. */
  record Outcome(State<VerifyState, OutputShare> leader, State<VerifyState, OutputShare> helper) {}

  TwoAggregators(TaskId taskId, Prio3<?, ?> prio3, HpkeKeypair leader, HpkeKeypair helper) {
    this.taskId = taskId;
    this.prio3 = prio3;
    this.leader = leader;
    this.helper = helper;
    this.pingPong = Prio3PingPong.of(prio3);
  }

  Prio3<?, ?> prio3() {
    return prio3;
  }

  /** A fresh VDAF verify key shared by the two aggregators. */
  byte[] randomVerifyKey() {
    byte[] key = new byte[prio3.verifyKeySize()];
    RANDOM.nextBytes(key);
    return key;
  }

  /** The encoded InputShareAad both input shares of {@code report} are sealed with. */
  byte[] aad(Report report) {
    return new InputShareAad(taskId, report.metadata(), report.publicShare()).encode();
  }

  /**
   * Decrypts both input shares (each aggregator with its own key and role), decodes the
   * PlaintextInputShares (no extensions) and checks that the Prio3 public and input shares decode.
   */
  Opened open(Report report) throws HpkeException, DecodeException {
    byte[] aad = aad(report);
    PlaintextInputShare leaderShare = PlaintextInputShare.decode(leader.open(
        ApplicationInfo.inputShare(Role.LEADER), report.leaderEncryptedInputShare(), aad));
    PlaintextInputShare helperShare = PlaintextInputShare.decode(helper.open(
        ApplicationInfo.inputShare(Role.HELPER), report.helperEncryptedInputShare(), aad));
    assertEquals(List.of(), leaderShare.extensions(), "leader extensions");
    assertEquals(List.of(), helperShare.extensions(), "helper extensions");
    prio3.decodePublicShare(report.publicShare());
    prio3.decodeInputShare(0, leaderShare.payload());
    prio3.decodeInputShare(1, helperShare.payload());
    return new Opened(leaderShare, helperShare);
  }

  /**
   * Runs ping-pong preparation (leaderInit, helperInit, leaderContinued) on encoded VDAF input
   * shares, with the report id as the nonce, and returns where each aggregator ended.
   */
  Outcome run(Report report, byte[] verifyKey, byte[] leaderInputShare,
      byte[] helperInputShare) {
    byte[] nonce = report.metadata().reportId().bytes();
    byte[] publicShare = report.publicShare();
    Transition<VerifyState, OutputShare> leaderInit =
        pingPong.leaderInit(verifyKey, NO_AGG_PARAM, nonce, publicShare, leaderInputShare);
    if (!(leaderInit.state() instanceof State.Continued<VerifyState, OutputShare>)) {
      return new Outcome(leaderInit.state(), null);
    }
    Transition<VerifyState, OutputShare> helperInit = pingPong.helperInit(verifyKey,
        NO_AGG_PARAM, nonce, publicShare, helperInputShare, leaderInit.outbound());
    if (helperInit.outbound() == null) {
      return new Outcome(leaderInit.state(), helperInit.state());
    }
    Transition<VerifyState, OutputShare> leaderDone =
        pingPong.leaderContinued(NO_AGG_PARAM, leaderInit.state(), helperInit.outbound());
    assertNull(leaderDone.outbound(), "Prio3 finishes after one round");
    return new Outcome(leaderDone.state(), helperInit.state());
  }

  /** Opens and prepares a report; both aggregators must finish with an output share. */
  Prepared prepare(Report report, byte[] verifyKey) throws HpkeException, DecodeException {
    Opened opened = open(report);
    Outcome outcome =
        run(report, verifyKey, opened.leader().payload(), opened.helper().payload());
    if (outcome.leader() instanceof State.Finished<VerifyState, OutputShare> l
        && outcome.helper() instanceof State.Finished<VerifyState, OutputShare> h) {
      return new Prepared(l.outputShare(), h.outputShare());
    }
    return fail("report " + report.metadata().reportId() + " was not prepared: leader "
        + outcome.leader() + ", helper " + outcome.helper());
  }

  /** Prepares every report, aggregates each aggregator's output shares and unshards. */
  Object aggregate(List<Report> reports) throws HpkeException, DecodeException {
    byte[] verifyKey = randomVerifyKey();
    List<OutputShare> leaderShares = new ArrayList<>();
    List<OutputShare> helperShares = new ArrayList<>();
    for (Report report : reports) {
      Prepared prepared = prepare(report, verifyKey);
      leaderShares.add(prepared.leader());
      helperShares.add(prepared.helper());
    }
    List<AggregateShare> aggregateShares =
        List.of(prio3.aggregate(leaderShares), prio3.aggregate(helperShares));
    return prio3.unshard(aggregateShares, reports.size());
  }
}
