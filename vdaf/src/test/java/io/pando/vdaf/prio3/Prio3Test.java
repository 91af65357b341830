package io.pando.vdaf.prio3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.field.Field128;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.flp.Count;
import io.pando.vdaf.flp.GadgetCalls;
import io.pando.vdaf.flp.Gadget;
import io.pando.vdaf.flp.Histogram;
import io.pando.vdaf.flp.Valid;
import io.pando.vdaf.xof.XofTurboShake128;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Prio3Test {
  private static final Random RNG = new Random(20231120);

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RNG.nextBytes(b);
    return b;
  }

  /** Runs shard, prepare (through encodings), aggregate and unshard over the measurements. */
  static <M, R> R run(Prio3<M, R> prio3, List<M> measurements) throws Exception {
    byte[] verifyKey = bytes(prio3.verifyKeySize());
    List<List<OutputShare>> out = List.of(new ArrayList<>(), new ArrayList<>());
    for (M m : measurements) {
      byte[] nonce = bytes(Prio3.NONCE_SIZE);
      Sharded s = prio3.shard(m, nonce);
      byte[] encodedPublic = prio3.encodePublicShare(s.publicShare());
      assertEquals(prio3.publicShareLength(), encodedPublic.length);
      PublicShare ps = prio3.decodePublicShare(encodedPublic);
      assertEquals(s.publicShare(), ps);
      List<VerifyInit> inits = new ArrayList<>();
      List<VerifierShare> shares = new ArrayList<>();
      for (int j = 0; j < 2; j++) {
        byte[] enc = prio3.encodeInputShare(s.inputShares().get(j));
        assertEquals(prio3.inputShareLength(j), enc.length);
        InputShare in = prio3.decodeInputShare(j, enc);
        assertEquals(s.inputShares().get(j), in);
        VerifyInit init = prio3.verifyInit(verifyKey, j, nonce, ps, in);
        inits.add(init);
        byte[] encodedShare = prio3.encodeVerifierShare(init.share());
        assertEquals(prio3.verifierShareLength(), encodedShare.length);
        shares.add(prio3.decodeVerifierShare(encodedShare));
      }
      byte[] encodedMsg = prio3.encodeVerifierMessage(prio3.verifierSharesToMessage(shares));
      assertEquals(prio3.verifierMessageLength(), encodedMsg.length);
      VerifierMessage msg = prio3.decodeVerifierMessage(encodedMsg);
      for (int j = 0; j < 2; j++) {
        VerifyState st = prio3.decodeVerifyState(prio3.encodeVerifyState(inits.get(j).state()));
        out.get(j).add(prio3.decodeOutputShare(
            prio3.encodeOutputShare(prio3.verifyNext(st, msg))));
      }
    }
    List<AggregateShare> aggs = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      AggregateShare a = prio3.aggregate(out.get(j));
      AggregateShare b = prio3.emptyAggregateShare();
      for (OutputShare o : out.get(j)) {
        b = prio3.accumulate(b, o);
      }
      assertEquals(a, b);
      aggs.add(prio3.decodeAggregateShare(prio3.encodeAggregateShare(a)));
    }
    return prio3.unshard(aggs, measurements.size());
  }

  @Test
  void countAggregatesExactly() throws Exception {
    List<Boolean> ms = List.of(true, false, true, true, false, true);
    assertEquals(4L, run(Prio3.count(), ms));
  }

  @Test
  void sumAggregatesExactly() throws Exception {
    List<Long> ms = List.of(0L, 1L, 255L, 100L, 77L);
    assertEquals(BigInteger.valueOf(433), run(Prio3.sum(8), ms));
    long big = (1L << 62) + 12345;
    assertEquals(BigInteger.valueOf(big).multiply(BigInteger.TWO),
        run(Prio3.sum(63), List.of(big, big)));
  }

  @Test
  void sumVecAggregatesExactly() throws Exception {
    Prio3<List<Long>, List<BigInteger>> p = Prio3.sumVec(5, 4, 3);
    List<List<Long>> ms = List.of(List.of(1L, 2L, 3L, 4L, 15L), List.of(0L, 0L, 1L, 14L, 15L));
    assertEquals(List.of(1, 2, 4, 18, 30).stream().map(BigInteger::valueOf).toList(), run(p, ms));
  }

  @Test
  void histogramAggregatesExactly() throws Exception {
    Prio3<Integer, List<Long>> p = Prio3.histogram(7, 3);
    assertEquals(List.of(1L, 0L, 2L, 0L, 0L, 0L, 1L), run(p, List.of(0, 2, 6, 2)));
  }

  @Test
  void multihotCountVecAggregatesExactly() throws Exception {
    Prio3<List<Boolean>, List<Long>> p = Prio3.multihotCountVec(5, 3, 2);
    List<List<Boolean>> ms = List.of(
        List.of(true, false, true, false, true),
        List.of(false, false, false, false, false),
        List.of(true, true, false, false, false));
    assertEquals(List.of(2L, 1L, 1L, 0L, 1L), run(p, ms));
  }

  @Test
  void field64MultiproofSumVecAggregatesExactly() throws Exception {
    Prio3<List<Long>, List<BigInteger>> p =
        Prio3.sumVecField64MultiproofHmacSha256Aes128(4, 2, 3);
    assertEquals(List.of(3, 0, 4, 6).stream().map(BigInteger::valueOf).toList(),
        run(p, List.of(List.of(1L, 0L, 1L, 3L), List.of(2L, 0L, 3L, 3L))));
  }

  @Test
  void encodedSizesMatchTheDraftFormulas() {
    // (leader input share, prep share) bytes for two aggregators, VDAF-08.
    assertSizes(Prio3.count(), 48, 32, 32);
    assertSizes(Prio3.sum(8), 656, 48, 64);
    assertSizes(Prio3.sum(32), 2576, 48, 64);
    assertSizes(Prio3.histogram(10, 3), 512, 48, 144);
    assertSizes(Prio3.histogram(100, 10), 2432, 48, 368);
    assertSizes(Prio3.histogram(1000, 31), 19040, 48, 1040);
    assertEquals(48, Prio3.count().randSize());
    assertEquals(80, Prio3.sum(8).randSize());
  }

  private static void assertSizes(Prio3<?, ?> p, int leader, int helper, int prepShare) {
    assertEquals(leader, p.inputShareLength(0), p + " leader share");
    assertEquals(helper, p.inputShareLength(1), p + " helper share");
    int verifier = p.flp().verifierLen() * p.proofs() * p.field().encodedSize();
    assertEquals(prepShare, verifier + (p.usesJointRand() ? p.verifyKeySize() : 0), p + " prep");
  }

  // ---- The client refuses invalid measurements and parameters ----------------------------

  @Test
  void invalidMeasurementsAreRefused() {
    byte[] nonce = new byte[16];
    assertThrows(IllegalArgumentException.class, () -> Prio3.count().shard(null, nonce));
    assertThrows(IllegalArgumentException.class, () -> Prio3.sum(8).shard(256L, nonce));
    assertThrows(IllegalArgumentException.class, () -> Prio3.sum(8).shard(-1L, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> Prio3.sumVec(2, 2, 1).shard(List.of(1L), nonce));
    assertThrows(IllegalArgumentException.class,
        () -> Prio3.sumVec(2, 2, 1).shard(List.of(1L, 4L), nonce));
    assertThrows(IllegalArgumentException.class, () -> Prio3.histogram(4, 2).shard(4, nonce));
    assertThrows(IllegalArgumentException.class, () -> Prio3.histogram(4, 2).shard(-1, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> Prio3.multihotCountVec(3, 1, 1).shard(List.of(true, true, false), nonce));
    assertThrows(IllegalArgumentException.class,
        () -> Prio3.multihotCountVec(3, 1, 1).shard(List.of(true), nonce));
    assertThrows(IllegalArgumentException.class, () -> Prio3.count().shard(true, new byte[15]));
    assertThrows(IllegalArgumentException.class,
        () -> Prio3.count().shard(true, nonce, new byte[47]));
  }

  @Test
  void invalidParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Prio3.sum(0));
    assertThrows(IllegalArgumentException.class, () -> Prio3.sum(64));
    assertThrows(IllegalArgumentException.class, () -> Prio3.sumVec(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Prio3.sumVec(1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Prio3.histogram(0, 1));
    assertThrows(IllegalArgumentException.class, () -> Prio3.multihotCountVec(3, 4, 1));
    assertThrows(IllegalArgumentException.class, () -> Prio3.multihotCountVec(3, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Prio3<>(0, "x",
        new Count(Field64.INSTANCE), XofTurboShake128.INSTANCE, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> new Prio3<>(0, "x",
        new Count(Field64.INSTANCE), XofTurboShake128.INSTANCE, 1, 1));
  }

  // ---- Tampering makes preparation fail, never a wrong aggregate -------------------------

  /** Prepares one report from encoded shares; returns normally only if both output shares come. */
  static List<OutputShare> prepare(Prio3<?, ?> p, byte[] verifyKey0, byte[] verifyKey1,
      byte[] nonce, byte[] publicShare, byte[] leader, byte[] helper)
      throws VdafException, DecodeException {
    PublicShare ps = p.decodePublicShare(publicShare);
    VerifyInit i0 = p.verifyInit(verifyKey0, 0, nonce, ps, p.decodeInputShare(0, leader));
    VerifyInit i1 = p.verifyInit(verifyKey1, 1, nonce, ps, p.decodeInputShare(1, helper));
    VerifierMessage m = p.verifierSharesToMessage(List.of(i0.share(), i1.share()));
    return List.of(p.verifyNext(i0.state(), m), p.verifyNext(i1.state(), m));
  }

  private static final class Report {
    final byte[] nonce = bytes(16);
    final byte[] key;
    final byte[] publicShare;
    final byte[] leader;
    final byte[] helper;

    <M> Report(Prio3<M, ?> p, M m) {
      key = bytes(p.verifyKeySize());
      Sharded s = p.shard(m, nonce);
      publicShare = p.encodePublicShare(s.publicShare());
      leader = p.encodeInputShare(s.inputShares().get(0));
      helper = p.encodeInputShare(s.inputShares().get(1));
    }
  }

  private static List<Prio3<?, ?>> variants() {
    return List.of(Prio3.count(), Prio3.sum(8), Prio3.sumVec(3, 2, 2), Prio3.histogram(5, 2),
        Prio3.multihotCountVec(4, 2, 3),
        Prio3.sumVecField64Multiproof(0xFFFFFFFF, XofTurboShake128.INSTANCE, 3, 3, 2, 2),
        Prio3.sumVecField64MultiproofHmacSha256Aes128(3, 2, 2));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Report validReport(Prio3<?, ?> p) {
    Object m = switch (p.name()) {
      case "Prio3Count" -> true;
      case "Prio3Sum" -> 5L;
      case "Prio3Histogram" -> 1;
      case "Prio3MultihotCountVec" -> List.of(true, false, true, false);
      default -> List.of(1L, 2L, 3L);
    };
    return new Report((Prio3) p, m);
  }

  @Test
  void honestReportsPrepare() throws Exception {
    for (Prio3<?, ?> p : variants()) {
      Report r = validReport(p);
      List<OutputShare> out = prepare(p, r.key, r.key, r.nonce, r.publicShare, r.leader, r.helper);
      // The two output shares are shares of the truncated measurement, nothing else.
      Object result = p.unshard(List.of(p.aggregate(List.of(out.get(0))),
          p.aggregate(List.of(out.get(1)))), 1);
      assertEquals(expectedResult(p), result, p.toString());
      assertNotEquals(p.aggregate(List.of(out.get(0))), p.aggregate(List.of(out.get(1))));
    }
  }

  /** What unshard gives for the one measurement of {@link #validReport}. */
  private static Object expectedResult(Prio3<?, ?> p) {
    return switch (p.name()) {
      case "Prio3Count" -> 1L;
      case "Prio3Sum" -> BigInteger.valueOf(5);
      case "Prio3Histogram" -> List.of(0L, 1L, 0L, 0L, 0L);
      case "Prio3MultihotCountVec" -> List.of(1L, 0L, 1L, 0L);
      default -> List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3));
    };
  }

  @Test
  void tamperedLeaderShareFails() {
    for (Prio3<?, ?> p : variants()) {
      int size = p.field().encodedSize();
      // Every element of the leader share: measurement share, proofs share.
      int elements = (p.inputShareLength(0) - (p.usesJointRand() ? p.verifyKeySize() : 0)) / size;
      for (int e = 0; e < elements; e++) {
        Report r = validReport(p);
        byte[] leader = r.leader.clone();
        leader[e * size] ^= 1; // stays below the modulus: the low byte changes
        assertThrows(VdafException.class,
            () -> prepare(p, r.key, r.key, r.nonce, r.publicShare, leader, r.helper),
            p + " element " + e);
      }
    }
  }

  @Test
  void tamperedHelperSeedsAndBlindsFail() {
    for (Prio3<?, ?> p : variants()) {
      for (int i = 0; i < p.inputShareLength(1); i++) {
        Report r = validReport(p);
        byte[] helper = r.helper.clone();
        helper[i] ^= 0x80;
        assertThrows(VdafException.class,
            () -> prepare(p, r.key, r.key, r.nonce, r.publicShare, r.leader, helper),
            p + " helper byte " + i);
      }
    }
  }

  @Test
  void wrongJointRandomnessFails() {
    for (Prio3<?, ?> p : variants()) {
      if (!p.usesJointRand()) {
        continue;
      }
      for (int i = 0; i < 32; i += 7) {
        Report r = validReport(p);
        byte[] ps = r.publicShare.clone();
        ps[i] ^= 1;
        assertThrows(VdafException.class,
            () -> prepare(p, r.key, r.key, r.nonce, ps, r.leader, r.helper), p + " part " + i);
      }
      Report r = validReport(p);
      byte[] leaderBlind = r.leader.clone();
      leaderBlind[leaderBlind.length - 1] ^= 1;
      assertThrows(VdafException.class,
          () -> prepare(p, r.key, r.key, r.nonce, r.publicShare, leaderBlind, r.helper));
    }
  }

  @Test
  void mismatchedVerifyKeysOrNoncesFail() {
    for (Prio3<?, ?> p : variants()) {
      Report r = validReport(p);
      byte[] other = r.key.clone();
      other[0] ^= 1;
      assertThrows(VdafException.class,
          () -> prepare(p, r.key, other, r.nonce, r.publicShare, r.leader, r.helper));
    }
  }

  @Test
  void prepNextRejectsAWrongPrepMessage() throws Exception {
    Prio3<Long, BigInteger> p = Prio3.sum(8);
    Report r = new Report(p, 3L);
    VerifyInit init = p.verifyInit(r.key, 0, r.nonce, p.decodePublicShare(r.publicShare),
        p.decodeInputShare(0, r.leader));
    byte[] seed = new byte[16];
    assertThrows(VdafException.class, () -> p.verifyNext(init.state(), p.decodeVerifierMessage(seed)));
    assertThrows(VdafException.class,
        () -> Prio3.count().verifyNext(init.state(), p.decodeVerifierMessage(seed)));
  }

  /** A circuit that encodes anything: a malicious client proving an invalid measurement. */
  private static final class Lax<M, R> extends Valid<Long, R> {
    private final Valid<M, R> inner;

    Lax(Valid<M, R> inner) {
      super(inner.field());
      this.inner = inner;
    }

    @Override public int measLen() { return inner.measLen(); }
    @Override public int jointRandLen() { return inner.jointRandLen(); }
    @Override public int outputLen() { return inner.outputLen(); }
    @Override public List<Gadget> gadgets() { return inner.gadgets(); }
    @Override public int[] gadgetCalls() { return inner.gadgetCalls(); }
    @Override public long[] truncate(long[] meas) { return inner.truncate(meas); }
    @Override public R decode(long[] output, long n) { return inner.decode(output, n); }

    /** The measurement's bits are the vector: bit i of {@code m} is element i. */
    @Override public long[] encode(Long m) {
      long[] v = field.alloc(measLen());
      for (int i = 0; i < measLen(); i++) {
        field.set(v, i, (m >>> (2 * i)) & 3);
      }
      return v;
    }

    @Override public void eval(long[] meas, long[] jr, int n, GadgetCalls g, long[] out) {
      inner.eval(meas, jr, n, g, out);
    }
  }

  @Test
  void invalidMeasurementsWithHonestlyComputedProofsFail() throws Exception {
    // Count of 2, a histogram with two ones, a histogram of all zeros: each proved honestly
    // for the invalid vector, then prepared by the real VDAF.
    assertInvalidRejected(Prio3.count(), new Count(Field64.INSTANCE), 2L);
    Prio3<Integer, List<Long>> h = Prio3.histogram(4, 2);
    assertInvalidRejected(h, new Histogram(Field128.INSTANCE, 4, 2), 0b0101L);
    assertInvalidRejected(h, new Histogram(Field128.INSTANCE, 4, 2), 0L);
    assertInvalidRejected(h, new Histogram(Field128.INSTANCE, 4, 2), 0b10L);
    // Sanity: the lax client with a valid vector prepares fine.
    assertValidAccepted(h, new Histogram(Field128.INSTANCE, 4, 2), 0b01L);
  }

  private static <R> Report laxReport(Prio3<?, R> real, Valid<?, R> inner, long vector) {
    Prio3<Long, R> lax = new Prio3<>(real.id(), "lax", new Lax<>(inner),
        XofTurboShake128.INSTANCE, 1, 2);
    return new Report(lax, vector);
  }

  private static <R> void assertInvalidRejected(Prio3<?, R> real, Valid<?, R> inner, long v) {
    Report r = laxReport(real, inner, v);
    assertThrows(VdafException.class,
        () -> prepare(real, r.key, r.key, r.nonce, r.publicShare, r.leader, r.helper));
  }

  private static <R> void assertValidAccepted(Prio3<?, R> real, Valid<?, R> inner, long v)
      throws Exception {
    Report r = laxReport(real, inner, v);
    prepare(real, r.key, r.key, r.nonce, r.publicShare, r.leader, r.helper);
  }

  // ---- Strict decoding --------------------------------------------------------------------

  @Test
  void decodersRejectWrongLengthsAndOutOfRangeElements() {
    Prio3<Long, BigInteger> p = Prio3.sum(8);
    Report r = new Report(p, 9L);
    assertThrows(DecodeException.class,
        () -> p.decodeInputShare(0, Arrays.copyOf(r.leader, r.leader.length - 1)));
    assertThrows(DecodeException.class,
        () -> p.decodeInputShare(0, Arrays.copyOf(r.leader, r.leader.length + 1)));
    assertThrows(DecodeException.class,
        () -> p.decodeInputShare(1, Arrays.copyOf(r.helper, 47)));
    byte[] big = r.leader.clone();
    Arrays.fill(big, 0, 16, (byte) 0xff); // first element >= modulus
    assertThrows(DecodeException.class, () -> p.decodeInputShare(0, big));
    assertThrows(DecodeException.class, () -> p.decodePublicShare(new byte[31]));
    assertThrows(DecodeException.class, () -> p.decodeVerifierMessage(new byte[0]));
    assertThrows(DecodeException.class, () -> Prio3.count().decodeVerifierMessage(new byte[16]));
    assertThrows(DecodeException.class, () -> Prio3.count().decodePublicShare(new byte[1]));
    assertThrows(DecodeException.class, () -> p.decodeVerifierShare(new byte[63]));
    assertThrows(DecodeException.class, () -> p.decodeAggregateShare(new byte[15]));
    assertThrows(DecodeException.class, () -> p.decodeOutputShare(new byte[17]));
    assertThrows(DecodeException.class, () -> p.decodeVerifyState(new byte[16]));
  }

  @Test
  void secretsAreRedacted() {
    Prio3<Boolean, Long> p = Prio3.count();
    Sharded s = p.shard(true, new byte[16]);
    String text = s.inputShares().toString();
    assertTrue(text.contains("redacted"), text);
    assertArrayEquals(new byte[0], p.encodePublicShare(s.publicShare()));
  }
}
