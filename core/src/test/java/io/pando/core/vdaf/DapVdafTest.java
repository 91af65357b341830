package io.pando.core.vdaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The VDAF door both aggregators use, driven as they drive it, with states persisted. */
class DapVdafTest {
  private static final byte[] NO_CTX = new byte[0];
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void poplar1PreparesInTwoRoundsWithStatesPersistedBetweenThem() throws DecodeException {
    DapVdaf vdaf = DapVdaf.of(new VdafInstance.Poplar1(4, VdafVersion.DRAFT_08));
    assertTrue(vdaf.takesAggregationParameter());
    assertEquals(2, vdaf.rounds());
    Poplar1 poplar = ((Poplar1DapVdaf) vdaf).poplar1();
    byte[] verifyKey = new byte[vdaf.verifyKeySize()];
    RANDOM.nextBytes(verifyKey);
    // Level 1 (two-bit prefixes) over the measurements 0b1010, 0b1011, 0b0100.
    byte[] param = Poplar1AggParam.of(1, 0b01, 0b10, 0b11).encode();
    List<Object> leaderOut = new ArrayList<>();
    List<Object> helperOut = new ArrayList<>();
    for (long m : new long[] {0b1010, 0b1011, 0b0100}) {
      byte[] nonce = new byte[16];
      RANDOM.nextBytes(nonce);
      Poplar1Sharded s = poplar.shard(BigInteger.valueOf(m), nonce);
      byte[] pub = poplar.encodePublicShare(s.publicShare());
      assertEquals(vdaf.publicShareLength(), pub.length);
      byte[] in0 = poplar.encodeInputShare(s.inputShares().get(0));
      byte[] in1 = poplar.encodeInputShare(s.inputShares().get(1));
      vdaf.checkShares(1, pub, in1);

      PingPong<Object, Object> pp = vdaf.pingPong(NO_CTX);
      PingPong.Transition<Object, Object> l0 = pp.leaderInit(verifyKey, param, nonce, pub, in0);
      PingPong.Transition<Object, Object> h0 =
          pp.helperInit(verifyKey, param, nonce, pub, in1, l0.outbound());
      // Each side stores its prep state between the requests and reads it back.
      Object helperState = persisted(vdaf, param, h0.state());
      PingPong.Transition<Object, Object> l1 = vdaf.pingPong(NO_CTX).leaderContinued(param,
          new State.Continued<>(persisted(vdaf, param, l0.state())), h0.outbound());
      State.Finished<Object, Object> lf = assertInstanceOf(State.Finished.class, l1.state());
      PingPong.Transition<Object, Object> h1 = vdaf.pingPong(NO_CTX).helperContinued(param,
          new State.Continued<>(helperState), l1.outbound());
      State.Finished<Object, Object> hf = assertInstanceOf(State.Finished.class, h1.state());
      assertNull(h1.outbound());
      leaderOut.add(vdaf.decodeOutputShare(param, vdaf.encodeOutputShare(lf.outputShare())));
      helperOut.add(hf.outputShare());
    }
    Object leaderAgg = vdaf.merge(vdaf.emptyAggregateShare(param),
        vdaf.aggregate(param, leaderOut));
    Object helperAgg = vdaf.aggregate(param, helperOut);
    assertEquals(List.of(1L, 2L, 0L), vdaf.unshard(param,
        List.of(vdaf.encodeAggregateShare(leaderAgg), vdaf.encodeAggregateShare(helperAgg)), 3));
  }

  private static Object persisted(DapVdaf vdaf, byte[] param, State<Object, Object> s)
      throws DecodeException {
    State.Continued<Object, Object> c = assertInstanceOf(State.Continued.class, s);
    return vdaf.decodeVerifyState(param, vdaf.encodeVerifyState(c.prepState()));
  }

  @Test
  void poplar1ParametersAreCheckedAgainstEarlierOnes() throws DecodeException {
    DapVdaf vdaf = DapVdaf.of(new VdafInstance.Poplar1(4, VdafVersion.DRAFT_08));
    byte[] level0 = Poplar1AggParam.of(0, 0, 1).encode();
    byte[] level1 = Poplar1AggParam.of(1, 2, 3).encode();
    assertTrue(vdaf.isValid(level0, List.of()));
    assertTrue(vdaf.isValid(level1, List.of(level0)));
    // draft-08 §8.2: a level is aggregated at most once.
    assertFalse(vdaf.isValid(Poplar1AggParam.of(0, 1).encode(), List.of(level0)));
    // Level 4 is not below BITS; a truncated parameter does not decode.
    assertThrows(DecodeException.class,
        () -> vdaf.isValid(Poplar1AggParam.of(4, 1).encode(), List.of()));
    assertThrows(DecodeException.class, () -> vdaf.isValid(new byte[] {0, 1}, List.of()));
  }

  @Test
  void prio3KeepsItsOneRoundAndEmptyParameter() throws DecodeException {
    DapVdaf vdaf = DapVdaf.of(VdafInstance.of("Prio3Count", Map.of()));
    assertFalse(vdaf.takesAggregationParameter());
    assertEquals(1, vdaf.rounds());
    assertTrue(vdaf.isValid(new byte[0], List.of(new byte[0])));
    assertThrows(DecodeException.class, () -> vdaf.isValid(new byte[] {1}, List.of()));
    Prio3<Boolean, Long> count = Prio3.count();
    byte[] verifyKey = new byte[16];
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    Sharded s = count.shard(true, nonce);
    byte[] pub = count.encodePublicShare(s.publicShare());
    PingPong<Object, Object> pp = vdaf.pingPong(NO_CTX);
    PingPong.Transition<Object, Object> l0 = pp.leaderInit(verifyKey, new byte[0], nonce, pub,
        count.encodeInputShare(s.inputShares().get(0)));
    PingPong.Transition<Object, Object> h0 = pp.helperInit(verifyKey, new byte[0], nonce, pub,
        count.encodeInputShare(s.inputShares().get(1)), l0.outbound());
    State.Finished<Object, Object> hf = assertInstanceOf(State.Finished.class, h0.state());
    State.Finished<Object, Object> lf = assertInstanceOf(State.Finished.class,
        pp.leaderContinued(new byte[0], l0.state(), h0.outbound()).state());
    byte[] none = new byte[0];
    assertEquals(1L, vdaf.unshard(none, List.of(
        vdaf.encodeAggregateShare(vdaf.aggregate(none, List.of(lf.outputShare()))),
        vdaf.encodeAggregateShare(vdaf.aggregate(none, List.of(hf.outputShare())))), 1));
  }
}
