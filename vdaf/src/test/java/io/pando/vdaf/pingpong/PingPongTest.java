package io.pando.vdaf.pingpong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.codec.DecodeException;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyState;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingPongTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void messageEncodingsFollowTheDraft() throws Exception {
    Message init = Message.initialize(HEX.parseHex("0102"));
    assertEquals("00" + "00000002" + "0102", HEX.formatHex(init.encode()));
    Message cont = Message.continued(HEX.parseHex("aa"), HEX.parseHex(""));
    assertEquals("01" + "00000001" + "aa" + "00000000", HEX.formatHex(cont.encode()));
    Message fin = Message.finish(new byte[0]);
    assertEquals("02" + "00000000", HEX.formatHex(fin.encode()));
    for (Message m : List.of(init, cont, fin)) {
      assertEquals(m, Message.decode(m.encode()));
    }
    assertThrows(DecodeException.class, () -> Message.decode(HEX.parseHex("03")));
    assertThrows(DecodeException.class, () -> Message.decode(HEX.parseHex("0000000003aabb")));
    assertThrows(DecodeException.class, () -> Message.decode(HEX.parseHex("0200000000ff")));
    assertThrows(DecodeException.class, () -> Message.decode(HEX.parseHex("00ffffffff")));
    assertThrows(DecodeException.class, () -> Message.decode(new byte[0]));
  }

  private record Run(PingPong.Transition<VerifyState, OutputShare> leader,
      PingPong.Transition<VerifyState, OutputShare> helper,
      PingPong.Transition<VerifyState, OutputShare> leaderDone) {}

  private static <M> Run run(Prio3<M, ?> prio3, M measurement, boolean tamper) {
    PingPong<VerifyState, OutputShare> pp = Prio3PingPong.of(prio3);
    byte[] key = new byte[prio3.verifyKeySize()];
    key[3] = 7;
    byte[] nonce = new byte[16];
    nonce[0] = 1;
    Sharded s = prio3.shard(measurement, nonce);
    byte[] ps = prio3.encodePublicShare(s.publicShare());
    byte[] leaderShare = prio3.encodeInputShare(s.inputShares().get(0));
    if (tamper) {
      leaderShare[0] ^= 1;
    }
    var l = pp.leaderInit(key, new byte[0], nonce, ps, leaderShare);
    var h = pp.helperInit(key, new byte[0], nonce, ps,
        prio3.encodeInputShare(s.inputShares().get(1)), l.outbound());
    var done = h.outbound() == null ? null : pp.leaderContinued(new byte[0], l.state(),
        h.outbound());
    return new Run(l, h, done);
  }

  @Test
  void oneRoundTripPreparesBothOutputShares() {
    Prio3<Integer, List<Long>> prio3 = Prio3.histogram(4, 2);
    Run r = run(prio3, 3, false);
    assertInstanceOf(State.Continued.class, r.leader.state());
    var helperDone = assertInstanceOf(State.Finished.class, r.helper.state());
    assertEquals(Message.Type.FINISH, decode(r.helper.outbound()).type());
    var leaderDone = assertInstanceOf(State.Finished.class, r.leaderDone.state());
    assertNull(r.leaderDone.outbound());
    OutputShare a = (OutputShare) leaderDone.outputShare();
    OutputShare b = (OutputShare) helperDone.outputShare();
    assertEquals(List.of(0L, 0L, 0L, 1L),
        prio3.unshard(List.of(prio3.aggregate(List.of(a)), prio3.aggregate(List.of(b))), 1));
  }

  @Test
  void aTamperedReportIsRejectedByTheHelper() {
    Run r = run(Prio3.count(), true, true);
    assertInstanceOf(State.Rejected.class, r.helper.state());
    assertNull(r.helper.outbound());
  }

  @Test
  void wrongOrMalformedMessagesAreRejected() {
    Prio3<Boolean, Long> prio3 = Prio3.count();
    PingPong<VerifyState, OutputShare> pp = Prio3PingPong.of(prio3);
    byte[] key = new byte[16];
    byte[] nonce = new byte[16];
    Sharded s = prio3.shard(true, nonce);
    byte[] ps = prio3.encodePublicShare(s.publicShare());
    byte[] helperShare = prio3.encodeInputShare(s.inputShares().get(1));
    // The helper must be sent initialize.
    var h = pp.helperInit(key, new byte[0], nonce, ps, helperShare,
        Message.finish(new byte[0]).encode());
    assertInstanceOf(State.Rejected.class, h.state());
    // Garbage, and a Prio3 with an aggregation parameter.
    assertInstanceOf(State.Rejected.class,
        pp.helperInit(key, new byte[0], nonce, ps, helperShare, new byte[] {9}).state());
    assertInstanceOf(State.Rejected.class,
        pp.helperInit(key, new byte[] {1}, nonce, ps, helperShare,
            Message.initialize(new byte[32]).encode()).state());
    // A leader in the continued state must not get initialize back.
    var l = pp.leaderInit(key, new byte[0], nonce, ps,
        prio3.encodeInputShare(s.inputShares().get(0)));
    assertInstanceOf(State.Rejected.class,
        pp.leaderContinued(new byte[0], l.state(), l.outbound()).state());
    // Finished is final.
    assertInstanceOf(State.Rejected.class, pp.leaderContinued(new byte[0],
        new State.Finished<>(null), Message.finish(new byte[0]).encode()).state());
    // A leader share that does not decode.
    assertInstanceOf(State.Rejected.class,
        pp.leaderInit(key, new byte[0], nonce, ps, new byte[3]).state());
  }

  @Test
  void leaderInitSendsItsPrepShare() throws Exception {
    Prio3<Boolean, Long> prio3 = Prio3.count();
    PingPong<VerifyState, OutputShare> pp = Prio3PingPong.of(prio3);
    Sharded s = prio3.shard(false, new byte[16]);
    var l = pp.leaderInit(new byte[16], new byte[0], new byte[16],
        prio3.encodePublicShare(s.publicShare()), prio3.encodeInputShare(s.inputShares().get(0)));
    Message m = decode(l.outbound());
    assertEquals(Message.Type.INITIALIZE, m.type());
    assertArrayEquals(new byte[0], new byte[0]);
    assertEquals(prio3.flp().verifierLen() * 8, m.prepShare().length);
  }

  private static Message decode(byte[] b) {
    try {
      return Message.decode(b);
    } catch (DecodeException e) {
      throw new AssertionError(e);
    }
  }
}
