package io.pando.vdaf.pingpong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1VerifyState;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Poplar1's two rounds through the ping-pong topology (draft-08 §5.8): the leader's initialize,
 * the helper's continue, the leader's finish; heavy-hitter counts exact from the messages alone.
 */
class Poplar1PingPongTest {
  private static final Random RNG = new Random(8);

  private record Prepared(Poplar1OutputShare leader, Poplar1OutputShare helper) {}

  private static Prepared prepare(Poplar1 poplar, PingPong<Poplar1VerifyState, Poplar1OutputShare> pp,
      byte[] verifyKey, byte[] aggParam, BigInteger measurement, boolean tamper) {
    byte[] nonce = new byte[16];
    RNG.nextBytes(nonce);
    Poplar1Sharded s = poplar.shard(measurement, nonce);
    byte[] publicShare = poplar.encodePublicShare(s.publicShare());
    byte[] leaderShare = poplar.encodeInputShare(s.inputShares().get(0));
    byte[] helperShare = poplar.encodeInputShare(s.inputShares().get(1));
    PingPong.Transition<Poplar1VerifyState, Poplar1OutputShare> l0 =
        pp.leaderInit(verifyKey, aggParam, nonce, publicShare, leaderShare);
    byte[] toHelper = l0.outbound();
    if (tamper) {
      toHelper = toHelper.clone();
      toHelper[toHelper.length - 1] ^= 1; // the last round-1 sketch element
    }
    PingPong.Transition<Poplar1VerifyState, Poplar1OutputShare> h0 =
        pp.helperInit(verifyKey, aggParam, nonce, publicShare, helperShare, toHelper);
    if (h0.state() instanceof State.Rejected) {
      return null;
    }
    assertInstanceOf(State.Continued.class, h0.state(), "two rounds: the helper continues");
    assertEquals(Message.Type.CONTINUE, decode(h0.outbound()).type());
    PingPong.Transition<Poplar1VerifyState, Poplar1OutputShare> l1 =
        pp.leaderContinued(aggParam, l0.state(), h0.outbound());
    if (l1.state() instanceof State.Rejected) {
      return null;
    }
    State.Finished<Poplar1VerifyState, Poplar1OutputShare> lf =
        assertInstanceOf(State.Finished.class, l1.state());
    assertEquals(Message.Type.FINISH, decode(l1.outbound()).type());
    PingPong.Transition<Poplar1VerifyState, Poplar1OutputShare> h1 =
        pp.helperContinued(aggParam, h0.state(), l1.outbound());
    State.Finished<Poplar1VerifyState, Poplar1OutputShare> hf =
        assertInstanceOf(State.Finished.class, h1.state());
    assertNull(h1.outbound());
    return new Prepared(lf.outputShare(), hf.outputShare());
  }

  private static Message decode(byte[] b) {
    try {
      return Message.decode(b);
    } catch (io.pando.codec.DecodeException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void twoRoundsThroughThePingPongCountTheHeavyHitters() {
    Poplar1 poplar = new Poplar1(8);
    PingPong<Poplar1VerifyState, Poplar1OutputShare> pp = Poplar1PingPong.of(poplar);
    byte[] verifyKey = new byte[16];
    RNG.nextBytes(verifyKey);
    long[] measurements = {0b10110011, 0b10110011, 0b10111111, 0b00000001, 0b10110000};
    // Level 3: the 4-bit prefixes 1011 (four reports) and 0000 (one).
    Poplar1AggParam param = Poplar1AggParam.of(3, 0b0000, 0b0101, 0b1011);
    byte[] aggParam = poplar.encodeAggParam(param);
    List<Poplar1OutputShare> leader = new ArrayList<>();
    List<Poplar1OutputShare> helper = new ArrayList<>();
    for (long m : measurements) {
      Prepared p = prepare(poplar, pp, verifyKey, aggParam, BigInteger.valueOf(m), false);
      leader.add(p.leader());
      helper.add(p.helper());
    }
    assertEquals(List.of(1L, 0L, 4L), poplar.unshard(param,
        List.of(poplar.aggregate(param, leader), poplar.aggregate(param, helper)),
        measurements.length));
  }

  @Test
  void aTamperedSketchIsRejected() {
    Poplar1 poplar = new Poplar1(4);
    PingPong<Poplar1VerifyState, Poplar1OutputShare> pp = Poplar1PingPong.of(poplar);
    byte[] aggParam = poplar.encodeAggParam(Poplar1AggParam.of(1, 0, 1, 2, 3));
    assertNull(prepare(poplar, pp, new byte[16], aggParam, BigInteger.valueOf(9), true));
    // An aggregation parameter that does not decode is rejected at init, never thrown.
    assertInstanceOf(State.Rejected.class, pp.leaderInit(new byte[16], new byte[] {1},
        new byte[16], new byte[0], new byte[0]).state());
  }
}
