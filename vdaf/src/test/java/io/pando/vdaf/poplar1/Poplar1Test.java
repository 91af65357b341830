package io.pando.vdaf.poplar1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.idpf.IdpfPoplar;
import io.pando.vdaf.testvec.VectorFile;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Poplar1Test {
  private static final Random RNG = new Random(0x1000);
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RNG.nextBytes(b);
    return b;
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  // ---- Official vectors --------------------------------------------------------------------

  /**
   * Replays an official VDAF-08 Poplar1 vector step by step, comparing every intermediate
   * encoding: public share, input shares, both rounds of prep shares and prep messages, output
   * shares, aggregate shares and the aggregate result.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Poplar1_0.json", "Poplar1_2.json", "Poplar1_3.json"})
  void officialVector(String file) throws Exception {
    Map<String, Object> v = VectorFile.load(file);
    Poplar1 poplar = new Poplar1(VectorFile.integer(v.get("bits")).intValueExact());
    assertEquals(2, VectorFile.integer(v.get("shares")).intValueExact());
    byte[] verifyKey = VectorFile.hex(v.get("verify_key"));
    List<Object> ap = VectorFile.list(v.get("agg_param"));
    Poplar1AggParam aggParam = new Poplar1AggParam(VectorFile.integer(ap.get(0)).intValueExact(),
        VectorFile.list(ap.get(1)).stream().map(VectorFile::integer).toList());
    assertEquals(aggParam, poplar.decodeAggParam(poplar.encodeAggParam(aggParam)));

    List<List<Poplar1OutputShare>> outShares = List.of(new ArrayList<>(), new ArrayList<>());
    for (Object o : VectorFile.list(v.get("prep"))) {
      Map<String, Object> prep = VectorFile.object(o);
      BigInteger measurement = VectorFile.integer(prep.get("measurement"));
      byte[] nonce = VectorFile.hex(prep.get("nonce"));
      byte[] rand = VectorFile.hex(prep.get("rand"));
      assertEquals(poplar.randSize(), rand.length);

      // Sharding.
      Poplar1Sharded sharded = poplar.shard(measurement, nonce, rand);
      assertEquals(prep.get("public_share"), hex(poplar.encodePublicShare(sharded.publicShare())));
      List<Object> wantInput = VectorFile.list(prep.get("input_shares"));
      for (int j = 0; j < 2; j++) {
        assertEquals(wantInput.get(j),
            hex(poplar.encodeInputShare(sharded.inputShares().get(j))), "input share " + j);
      }

      // Preparation from the vector's own bytes.
      IdpfPoplar.PublicShare publicShare =
          poplar.decodePublicShare(VectorFile.hex(prep.get("public_share")));
      assertEquals(sharded.publicShare(), publicShare);
      List<Object> wantShares = VectorFile.list(prep.get("prep_shares"));
      List<Object> wantMessages = VectorFile.list(prep.get("prep_messages"));
      assertEquals(Poplar1.ROUNDS, wantShares.size());
      assertEquals(Poplar1.ROUNDS, wantMessages.size());

      List<Poplar1VerifyState> states = new ArrayList<>();
      List<Poplar1VerifierShare> round1 = new ArrayList<>();
      for (int j = 0; j < 2; j++) {
        Poplar1InputShare in = poplar.decodeInputShare(VectorFile.hex(wantInput.get(j)));
        assertEquals(sharded.inputShares().get(j), in);
        Poplar1VerifyInit init = poplar.verifyInit(verifyKey, j, aggParam, nonce, publicShare, in);
        String want = (String) VectorFile.list(wantShares.get(0)).get(j);
        assertEquals(want, hex(poplar.encodeVerifierShare(init.share())), "round-1 prep share " + j);
        assertEquals(init.share(), poplar.decodeVerifierShare(aggParam, 1, HEX.parseHex(want)));
        round1.add(poplar.decodeVerifierShare(init.state(), HEX.parseHex(want)));
        states.add(roundTrip(poplar, init.state()));
      }
      Poplar1VerifierMessage msg1 = poplar.verifierSharesToMessage(aggParam, round1);
      assertEquals(wantMessages.get(0), hex(poplar.encodeVerifierMessage(msg1)));
      assertFalse(msg1.isEmpty());

      List<Poplar1VerifierShare> round2 = new ArrayList<>();
      for (int j = 0; j < 2; j++) {
        Poplar1VerifierMessage m = poplar.decodeVerifierMessage(states.get(j),
            VectorFile.hex(wantMessages.get(0)));
        assertEquals(msg1, m);
        Poplar1VerifyStep step = poplar.verifyNext(states.get(j), m);
        Poplar1VerifyStep.Continue next = assertInstanceOf(Poplar1VerifyStep.Continue.class, step);
        String want = (String) VectorFile.list(wantShares.get(1)).get(j);
        assertEquals(want, hex(poplar.encodeVerifierShare(next.share())), "round-2 prep share " + j);
        assertEquals(2, next.state().round());
        round2.add(poplar.decodeVerifierShare(aggParam, 2, HEX.parseHex(want)));
        states.set(j, roundTrip(poplar, next.state()));
      }
      Poplar1VerifierMessage msg2 = poplar.verifierSharesToMessage(aggParam, round2);
      assertEquals(wantMessages.get(1), hex(poplar.encodeVerifierMessage(msg2)));
      assertTrue(msg2.isEmpty());

      List<Object> wantOut = VectorFile.list(prep.get("out_shares"));
      for (int j = 0; j < 2; j++) {
        Poplar1VerifierMessage m = poplar.decodeVerifierMessage(states.get(j),
            VectorFile.hex(wantMessages.get(1)));
        Poplar1VerifyStep step = poplar.verifyNext(states.get(j), m);
        Poplar1OutputShare out = assertInstanceOf(Poplar1VerifyStep.Finish.class, step).outputShare();
        String want = String.join("", VectorFile.list(wantOut.get(j)).stream()
            .map(x -> (String) x).toList());
        assertEquals(VectorFile.list(wantOut.get(j)).size(), aggParam.prefixCount());
        assertEquals(want, hex(poplar.encodeOutputShare(out)), "output share " + j);
        assertEquals(out, poplar.decodeOutputShare(aggParam, HEX.parseHex(want)));
        outShares.get(j).add(out);
      }
    }

    List<Object> wantAgg = VectorFile.list(v.get("agg_shares"));
    List<Poplar1AggregateShare> aggShares = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      Poplar1AggregateShare agg = poplar.aggregate(aggParam, outShares.get(j));
      assertEquals(wantAgg.get(j), hex(poplar.encodeAggregateShare(agg)), "aggregate share " + j);
      aggShares.add(poplar.decodeAggregateShare(aggParam, VectorFile.hex(wantAgg.get(j))));
    }
    List<Long> want = VectorFile.list(v.get("agg_result")).stream()
        .map(x -> VectorFile.integer(x).longValueExact()).toList();
    assertEquals(want, poplar.unshard(aggParam, aggShares, outShares.get(0).size()));
  }

  private static Poplar1VerifyState roundTrip(Poplar1 poplar, Poplar1VerifyState s)
      throws DecodeException {
    byte[] enc = poplar.encodeVerifyState(s);
    Poplar1VerifyState back = poplar.decodeVerifyState(enc);
    assertEquals(s, back);
    assertArrayEquals(enc, poplar.encodeVerifyState(back));
    return back;
  }

  // ---- End to end on random measurements ---------------------------------------------------

  /** One report through both aggregators, every message through its encoding. */
  private static List<Poplar1OutputShare> prepare(Poplar1 poplar, byte[] verifyKey,
      Poplar1AggParam aggParam, byte[] nonce, byte[] publicShare, List<byte[]> inputShares)
      throws Exception {
    IdpfPoplar.PublicShare ps = poplar.decodePublicShare(publicShare);
    List<Poplar1VerifyState> states = new ArrayList<>();
    List<Poplar1VerifierShare> shares = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      Poplar1VerifyInit init = poplar.verifyInit(verifyKey, j, aggParam, nonce, ps,
          poplar.decodeInputShare(inputShares.get(j)));
      states.add(poplar.decodeVerifyState(poplar.encodeVerifyState(init.state())));
      shares.add(poplar.decodeVerifierShare(init.state(), poplar.encodeVerifierShare(init.share())));
    }
    byte[] msg = poplar.encodeVerifierMessage(poplar.verifierSharesToMessage(aggParam, shares));
    shares.clear();
    for (int j = 0; j < 2; j++) {
      Poplar1VerifyStep.Continue c = (Poplar1VerifyStep.Continue) poplar.verifyNext(states.get(j),
          poplar.decodeVerifierMessage(states.get(j), msg));
      states.set(j, poplar.decodeVerifyState(poplar.encodeVerifyState(c.state())));
      shares.add(poplar.decodeVerifierShare(c.state(), poplar.encodeVerifierShare(c.share())));
    }
    msg = poplar.encodeVerifierMessage(poplar.verifierSharesToMessage(aggParam, shares));
    assertEquals(0, msg.length);
    List<Poplar1OutputShare> out = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      Poplar1VerifyStep.Finish f = (Poplar1VerifyStep.Finish) poplar.verifyNext(states.get(j),
          poplar.decodeVerifierMessage(states.get(j), msg));
      out.add(poplar.decodeOutputShare(aggParam,
          poplar.encodeOutputShare(f.outputShare())));
    }
    return out;
  }

  /** A sharded report in encoded form. */
  private record Report(byte[] nonce, byte[] publicShare, List<byte[]> inputShares) {
    static Report of(Poplar1 poplar, BigInteger measurement) {
      byte[] nonce = bytes(Poplar1.NONCE_SIZE);
      Poplar1Sharded s = poplar.shard(measurement, nonce);
      return new Report(nonce, poplar.encodePublicShare(s.publicShare()),
          s.inputShares().stream().map(poplar::encodeInputShare).toList());
    }
  }

  /** Runs preparation, aggregation (split in two batches and merged) and unsharding. */
  private static List<Long> collect(Poplar1 poplar, byte[] verifyKey, Poplar1AggParam aggParam,
      List<Report> reports) throws Exception {
    List<List<Poplar1OutputShare>> first = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Poplar1OutputShare>> second = List.of(new ArrayList<>(), new ArrayList<>());
    for (int r = 0; r < reports.size(); r++) {
      Report report = reports.get(r);
      List<Poplar1OutputShare> out = prepare(poplar, verifyKey, aggParam, report.nonce(),
          report.publicShare(), report.inputShares());
      for (int j = 0; j < 2; j++) {
        (r % 2 == 0 ? first : second).get(j).add(out.get(j));
      }
    }
    List<Poplar1AggregateShare> aggs = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      Poplar1AggregateShare a = poplar.merge(poplar.aggregate(aggParam, first.get(j)),
          poplar.aggregate(aggParam, second.get(j)));
      List<Poplar1OutputShare> all = new ArrayList<>(first.get(j));
      all.addAll(second.get(j));
      assertEquals(poplar.aggregate(aggParam, all), a);
      assertEquals(a, poplar.merge(a, poplar.emptyAggregateShare(aggParam)));
      aggs.add(poplar.decodeAggregateShare(aggParam, poplar.encodeAggregateShare(a)));
    }
    return poplar.unshard(aggParam, aggs, reports.size());
  }

  private static List<Long> expectedCounts(int bits, int level, List<BigInteger> prefixes,
      List<BigInteger> measurements) {
    List<Long> counts = new ArrayList<>();
    for (BigInteger p : prefixes) {
      counts.add(measurements.stream()
          .filter(m -> m.shiftRight(bits - 1 - level).equals(p)).count());
    }
    return counts;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 8})
  void heavyHitterCountsAreExactAtEveryLevel(int bits) throws Exception {
    Poplar1 poplar = new Poplar1(bits);
    byte[] verifyKey = bytes(Poplar1.VERIFY_KEY_SIZE);
    // A few heavy hitters and some noise.
    List<BigInteger> heavy = List.of(new BigInteger(bits, RNG), new BigInteger(bits, RNG));
    List<BigInteger> measurements = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      measurements.add(i < 8 ? heavy.get(i % 2) : new BigInteger(bits, RNG));
    }
    List<Report> reports = new ArrayList<>();
    for (BigInteger m : measurements) {
      reports.add(Report.of(poplar, m));
    }
    List<Poplar1AggParam> previous = new ArrayList<>();
    for (int level = 0; level < bits; level++) {
      // Every prefix at small levels; at deeper ones those of the measurements and some others.
      TreeSet<BigInteger> candidates = new TreeSet<>();
      if (level < 4) {
        for (int p = 0; p < 1 << (level + 1); p++) {
          candidates.add(BigInteger.valueOf(p));
        }
      } else {
        for (BigInteger m : measurements) {
          candidates.add(m.shiftRight(bits - 1 - level));
        }
        for (int i = 0; i < 4; i++) {
          candidates.add(new BigInteger(level + 1, RNG));
        }
      }
      Poplar1AggParam aggParam = new Poplar1AggParam(level, new ArrayList<>(candidates));
      assertTrue(poplar.isValid(aggParam, previous));
      List<Long> counts = collect(poplar, verifyKey, aggParam, reports);
      assertEquals(expectedCounts(bits, level, aggParam.prefixes(), measurements), counts,
          "bits " + bits + " level " + level);
      previous.add(aggParam);
      assertFalse(poplar.isValid(aggParam, previous));
    }
  }

  @Test
  void heavyHittersOfLongStringsBeyondSixtyFourBits() throws Exception {
    int bits = 70;
    Poplar1 poplar = new Poplar1(bits);
    byte[] verifyKey = bytes(Poplar1.VERIFY_KEY_SIZE);
    BigInteger hot = BigInteger.ONE.shiftLeft(69).or(new BigInteger(69, RNG));
    List<BigInteger> measurements = new ArrayList<>(List.of(hot, hot, hot));
    measurements.add(new BigInteger(bits, RNG));
    measurements.add(hot.flipBit(0)); // shares every level with hot but the last
    List<Report> reports = measurements.stream().map(m -> Report.of(poplar, m)).toList();
    for (int level : new int[] {0, 1, 40, 63, 64, 68, 69}) {
      TreeSet<BigInteger> candidates = new TreeSet<>();
      for (BigInteger m : measurements) {
        candidates.add(m.shiftRight(bits - 1 - level));
      }
      candidates.add(hot.shiftRight(bits - 1 - level).flipBit(0));
      Poplar1AggParam aggParam = new Poplar1AggParam(level, new ArrayList<>(candidates));
      assertEquals(expectedCounts(bits, level, aggParam.prefixes(), measurements),
          collect(poplar, verifyKey, aggParam, reports), "level " + level);
    }
  }

  @Test
  void noCandidatePrefixes() throws Exception {
    Poplar1 poplar = new Poplar1(15);
    Report r = Report.of(poplar, BigInteger.valueOf(12345));
    Poplar1AggParam empty = Poplar1AggParam.of(14);
    assertEquals(List.of(), collect(poplar, bytes(16), empty, List.of(r)));
    assertEquals(List.of(), collect(poplar, bytes(16), Poplar1AggParam.of(3), List.of(r)));
  }

  // ---- Tampering makes preparation fail ----------------------------------------------------

  /**
   * Prepares one report whose encoded pieces a tamper function may alter, and returns the failure
   * (or null if preparation succeeded).
   */
  private static VdafException prepareTampered(Poplar1 poplar, Poplar1AggParam aggParam,
      BigInteger measurement, UnaryOperator<byte[]> publicShare, UnaryOperator<byte[]> leaderInput,
      UnaryOperator<byte[]> leaderRound1, UnaryOperator<byte[]> helperRound2) throws Exception {
    byte[] verifyKey = bytes(16);
    Report r = Report.of(poplar, measurement);
    IdpfPoplar.PublicShare ps = poplar.decodePublicShare(publicShare.apply(r.publicShare()));
    List<Poplar1VerifyState> states = new ArrayList<>();
    List<Poplar1VerifierShare> shares = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      byte[] in = r.inputShares().get(j);
      Poplar1VerifyInit init = poplar.verifyInit(verifyKey, j, aggParam, r.nonce(), ps,
          poplar.decodeInputShare(j == 0 ? leaderInput.apply(in) : in));
      states.add(init.state());
      byte[] share = poplar.encodeVerifierShare(init.share());
      shares.add(poplar.decodeVerifierShare(init.state(), j == 0 ? leaderRound1.apply(share) : share));
    }
    try {
      Poplar1VerifierMessage msg = poplar.verifierSharesToMessage(aggParam, shares);
      shares.clear();
      for (int j = 0; j < 2; j++) {
        Poplar1VerifyStep.Continue c =
            (Poplar1VerifyStep.Continue) poplar.verifyNext(states.get(j), msg);
        byte[] share = poplar.encodeVerifierShare(c.share());
        shares.add(poplar.decodeVerifierShare(c.state(), j == 1 ? helperRound2.apply(share) : share));
        states.set(j, c.state());
      }
      Poplar1VerifierMessage done = poplar.verifierSharesToMessage(aggParam, shares);
      for (int j = 0; j < 2; j++) {
        assertInstanceOf(Poplar1VerifyStep.Finish.class, poplar.verifyNext(states.get(j), done));
      }
      return null;
    } catch (VdafException e) {
      return e;
    }
  }

  private static UnaryOperator<byte[]> flip(int index) {
    return b -> {
      byte[] c = b.clone();
      int i = index < 0 ? c.length + index : index;
      c[i] ^= 0x04;
      return c;
    };
  }

  @Test
  void tamperedSharesMakePreparationFail() throws Exception {
    int bits = 6;
    Poplar1 poplar = new Poplar1(bits);
    BigInteger m = BigInteger.valueOf(0b101101);
    UnaryOperator<byte[]> same = UnaryOperator.identity();
    for (int level : new int[] {0, 3, bits - 1}) {
      Poplar1AggParam aggParam = new Poplar1AggParam(level,
          new ArrayList<>(List.of(m.shiftRight(bits - 1 - level),
              m.shiftRight(bits - 1 - level).flipBit(0)).stream().sorted().toList()));
      String at = "level " + level;
      // Untampered: it succeeds.
      assertEquals(null, prepareTampered(poplar, aggParam, m, same, same, same, same), at);

      // The leader's IDPF key, its correlation seed, its (A, B) share for this level.
      int corrAt = level < bits - 1 ? 32 + 8 * 2 * level : 32 + 8 * 2 * (bits - 1);
      for (UnaryOperator<byte[]> t : List.of(flip(3), flip(16 + 5), flip(corrAt + 1),
          flip(corrAt + (level < bits - 1 ? 8 : 32) + 2))) {
        VdafException e = prepareTampered(poplar, aggParam, m, same, t, same, same);
        assertNotEquals(null, e, at);
        assertEquals("sketch verification failed", e.getMessage(), at);
      }
      // A correction word of the public share at this level (its seed correction word).
      int seedCwAt = (2 * bits + 7) / 8 + level * (16 + 16) + 1;
      assertNotEquals(null,
          prepareTampered(poplar, aggParam, m, flip(seedCwAt), same, same, same), at);
      // The leader's round-1 sketch share, each of its three elements.
      int size = poplar.field(level).encodedSize();
      for (int e = 0; e < 3; e++) {
        assertNotEquals(null,
            prepareTampered(poplar, aggParam, m, same, same, flip(e * size), same), at);
      }
      // The helper's round-2 sketch share.
      assertNotEquals(null, prepareTampered(poplar, aggParam, m, same, same, same, flip(0)), at);
    }
  }

  @Test
  void tamperingAnotherLevelsCorrelationDoesNotMatter() throws Exception {
    Poplar1 poplar = new Poplar1(4);
    BigInteger m = BigInteger.valueOf(0b0110);
    Poplar1AggParam level1 = Poplar1AggParam.of(1, 0, 1, 2, 3);
    UnaryOperator<byte[]> same = UnaryOperator.identity();
    // The (A, B) share of level 2 is not used at level 1.
    assertEquals(null, prepareTampered(poplar, level1, m, same, flip(32 + 8 * 4), same, same));
  }

  @Test
  void preparationRefusesMessagesOfTheWrongRoundOrField() throws Exception {
    Poplar1 poplar = new Poplar1(3);
    byte[] verifyKey = bytes(16);
    byte[] nonce = bytes(16);
    Poplar1Sharded s = poplar.shard(BigInteger.valueOf(5), nonce);
    Poplar1AggParam inner = Poplar1AggParam.of(1, 1, 2);
    Poplar1AggParam leaf = Poplar1AggParam.of(2, 5);
    Poplar1VerifyInit i0 = poplar.verifyInit(verifyKey, 0, inner, nonce, s.publicShare(),
        s.inputShares().get(0));
    Poplar1VerifyInit i1 = poplar.verifyInit(verifyKey, 1, inner, nonce, s.publicShare(),
        s.inputShares().get(1));
    Poplar1VerifyInit leaf0 = poplar.verifyInit(verifyKey, 0, leaf, nonce, s.publicShare(),
        s.inputShares().get(0));
    Poplar1VerifierMessage msg = poplar.verifierSharesToMessage(inner, List.of(i0.share(), i1.share()));
    Poplar1VerifyStep.Continue c0 = (Poplar1VerifyStep.Continue) poplar.verifyNext(i0.state(), msg);
    Poplar1VerifyStep.Continue c1 = (Poplar1VerifyStep.Continue) poplar.verifyNext(i1.state(), msg);
    // A round-1 and a round-2 share together.
    assertThrows(VdafException.class,
        () -> poplar.verifierSharesToMessage(inner, List.of(i0.share(), c1.share())));
    // A round-1 message (the sketch) given to a round-2 state.
    assertThrows(VdafException.class, () -> poplar.verifyNext(c0.state(), msg));
    // A message of the leaf field given to an inner-level state.
    Poplar1VerifierMessage leafMsg = poplar.decodeVerifierMessage(leaf0.state(), new byte[96]);
    assertThrows(VdafException.class, () -> poplar.verifyNext(i0.state(), leafMsg));
    // The round-2 sums verify and the output shares sum to the one-hot vector.
    Poplar1VerifierMessage done = poplar.verifierSharesToMessage(inner, List.of(c0.share(), c1.share()));
    assertTrue(done.isEmpty());
    Poplar1OutputShare o0 =
        ((Poplar1VerifyStep.Finish) poplar.verifyNext(c0.state(), done)).outputShare();
    Poplar1OutputShare o1 =
        ((Poplar1VerifyStep.Finish) poplar.verifyNext(c1.state(), done)).outputShare();
    assertEquals(List.of(0L, 1L), poplar.unshard(inner,
        List.of(poplar.aggregate(inner, List.of(o0)), poplar.aggregate(inner, List.of(o1))), 1));
    // Output shares of another parameter cannot be aggregated under this one.
    assertThrows(IllegalArgumentException.class, () -> poplar.aggregate(leaf, List.of(o0)));
  }

  // ---- Aggregation parameter ---------------------------------------------------------------

  @Test
  void aggParamEncodingKnownAnswersAndRoundTrips() throws DecodeException {
    assertEquals("00000000000202", hex(Poplar1AggParam.of(0, 0, 1).encode()));
    assertEquals("000200000004" + "0688", hex(Poplar1AggParam.of(2, 0, 1, 2, 3).encode()));
    assertEquals("000000000000", hex(Poplar1AggParam.of(0).encode()));
    assertEquals("0000" + "00000001" + "01", hex(Poplar1AggParam.of(0, 1).encode()));
    // Level 3, prefixes 1, 3, 5: 1 | 3 << 4 | 5 << 8 = 0x531.
    assertEquals("0003" + "00000003" + "0531", hex(Poplar1AggParam.of(3, 1, 3, 5).encode()));
    BigInteger max256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    for (Poplar1AggParam p : List.of(Poplar1AggParam.of(0), Poplar1AggParam.of(0, 0, 1),
        Poplar1AggParam.of(2, 0, 1, 2, 3), Poplar1AggParam.of(17, 0, 1, 1233, (1 << 18) - 1),
        new Poplar1AggParam(255, List.of(BigInteger.ZERO, BigInteger.ONE,
            BigInteger.valueOf(1233), max256)),
        Poplar1AggParam.of(62, 5, Long.MAX_VALUE))) {
      byte[] enc = p.encode();
      assertEquals(6 + ((p.level() + 1) * p.prefixCount() + 7) / 8, enc.length);
      assertEquals(p, Poplar1AggParam.decode(enc));
      assertEquals(p, new Poplar1(256).decodeAggParam(enc));
    }
    // A level must be below BITS for an instance.
    assertThrows(DecodeException.class,
        () -> new Poplar1(4).decodeAggParam(Poplar1AggParam.of(4, 1).encode()));
    assertEquals(Poplar1AggParam.of(3, 1), new Poplar1(4).decodeAggParam(
        Poplar1AggParam.of(3, 1).encode()));
  }

  @Test
  void aggParamRulesOfDraft08() throws DecodeException {
    // Prefixes unique and increasing, each of level + 1 bits.
    assertThrows(IllegalArgumentException.class, () -> Poplar1AggParam.of(1, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> Poplar1AggParam.of(1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Poplar1AggParam.of(1, 4));
    assertThrows(IllegalArgumentException.class, () -> Poplar1AggParam.of(1, -1));
    assertThrows(IllegalArgumentException.class, () -> Poplar1AggParam.of(-1));
    assertThrows(IllegalArgumentException.class, () -> Poplar1AggParam.of(1 << 16));
    assertEquals(List.of(BigInteger.ZERO, BigInteger.valueOf(3)),
        Poplar1AggParam.of(1, 0, 3).prefixes());

    // The same rules when decoding: (1, [2, 1]) and (1, [1, 1]) packed by hand.
    assertThrows(DecodeException.class,
        () -> Poplar1AggParam.decode(HEX.parseHex("0001" + "00000002" + "06")));
    assertThrows(DecodeException.class,
        () -> Poplar1AggParam.decode(HEX.parseHex("0001" + "00000002" + "05")));
    assertEquals(Poplar1AggParam.of(1, 1, 2),
        Poplar1AggParam.decode(HEX.parseHex("0001" + "00000002" + "09")));
    // Nonzero padding above the last prefix.
    assertThrows(DecodeException.class,
        () -> Poplar1AggParam.decode(HEX.parseHex("0001" + "00000002" + "19")));
    assertThrows(DecodeException.class,
        () -> Poplar1AggParam.decode(HEX.parseHex("0000" + "00000000" + "00")));
    // A count that the bytes cannot hold (and must not be allocated).
    assertThrows(DecodeException.class,
        () -> Poplar1AggParam.decode(HEX.parseHex("ffff" + "ffffffff" + "00")));

    // is_valid: a level may be used once (the draft's own examples).
    Poplar1 poplar = new Poplar1(256);
    List<Poplar1AggParam> params = List.of(Poplar1AggParam.of(0), Poplar1AggParam.of(1, 0),
        Poplar1AggParam.of(1, 0, 1));
    assertTrue(poplar.isValid(params.get(0), List.of()));
    assertTrue(poplar.isValid(params.get(1), params.subList(0, 1)));
    assertFalse(poplar.isValid(params.get(2), params.subList(0, 2)));
  }

  // ---- Decoders are strict -----------------------------------------------------------------

  /** Asserts that every truncation and several extensions of enc fail to decode. */
  private static void assertStrict(String what, byte[] enc, Decoding decoding) throws Exception {
    decoding.decode(enc); // the valid encoding decodes
    for (int len = 0; len < enc.length; len++) {
      byte[] cut = Arrays.copyOf(enc, len);
      assertThrows(DecodeException.class, () -> decoding.decode(cut), what + " cut to " + len);
    }
    for (int extra : new int[] {1, 2, 7, 8, 31, 32, 33}) {
      byte[] longer = Arrays.copyOf(enc, enc.length + extra);
      assertThrows(DecodeException.class, () -> decoding.decode(longer), what + " + " + extra);
      byte[] ones = longer.clone();
      Arrays.fill(ones, enc.length, ones.length, (byte) 0xff);
      assertThrows(DecodeException.class, () -> decoding.decode(ones), what + " + ff*" + extra);
    }
    assertThrows(DecodeException.class, () -> decoding.decode(null), what + " null");
  }

  @FunctionalInterface
  private interface Decoding {
    Object decode(byte[] b) throws DecodeException;
  }

  @Test
  void decodersRefuseEveryTruncationAndExtension() throws Exception {
    int bits = 5;
    Poplar1 poplar = new Poplar1(bits);
    byte[] verifyKey = bytes(16);
    byte[] nonce = bytes(16);
    Poplar1Sharded s = poplar.shard(BigInteger.valueOf(0b10011), nonce);
    assertStrict("public share", poplar.encodePublicShare(s.publicShare()),
        poplar::decodePublicShare);
    byte[] input = poplar.encodeInputShare(s.inputShares().get(0));
    assertEquals(poplar.inputShareLength(), input.length);
    assertEquals(16 + 16 + 8 * 2 * (bits - 1) + 32 * 2, input.length);
    assertStrict("input share", input, poplar::decodeInputShare);

    for (Poplar1AggParam aggParam : List.of(Poplar1AggParam.of(2, 1, 4, 6),
        Poplar1AggParam.of(bits - 1, 3, 19, 20))) {
      byte[] ap = aggParam.encode();
      assertStrict("agg param", ap, poplar::decodeAggParam);
      assertStrict("agg param", ap, Poplar1AggParam::decode);
      List<Poplar1VerifyInit> inits = new ArrayList<>();
      for (int j = 0; j < 2; j++) {
        inits.add(poplar.verifyInit(verifyKey, j, aggParam, nonce, s.publicShare(),
            s.inputShares().get(j)));
      }
      Poplar1VerifyState st = inits.get(0).state();
      assertStrict("prep state 1", poplar.encodeVerifyState(st), poplar::decodeVerifyState);
      assertStrict("prep share 1", poplar.encodeVerifierShare(inits.get(0).share()),
          b -> poplar.decodeVerifierShare(st, b));
      assertStrict("prep share 1", poplar.encodeVerifierShare(inits.get(0).share()),
          b -> poplar.decodeVerifierShare(aggParam, 1, b));
      Poplar1VerifierMessage msg = poplar.verifierSharesToMessage(aggParam,
          List.of(inits.get(0).share(), inits.get(1).share()));
      assertStrict("prep message 1", poplar.encodeVerifierMessage(msg),
          b -> poplar.decodeVerifierMessage(st, b));
      assertStrict("prep message 1", poplar.encodeVerifierMessage(msg),
          b -> poplar.decodeVerifierMessage(aggParam, 1, b));
      Poplar1VerifyStep.Continue c0 = (Poplar1VerifyStep.Continue) poplar.verifyNext(st, msg);
      Poplar1VerifyStep.Continue c1 =
          (Poplar1VerifyStep.Continue) poplar.verifyNext(inits.get(1).state(), msg);
      assertStrict("prep state 2", poplar.encodeVerifyState(c0.state()), poplar::decodeVerifyState);
      assertStrict("prep share 2", poplar.encodeVerifierShare(c0.share()),
          b -> poplar.decodeVerifierShare(c0.state(), b));
      assertStrict("prep share 2", poplar.encodeVerifierShare(c0.share()),
          b -> poplar.decodeVerifierShare(aggParam, 2, b));
      Poplar1VerifierMessage done = poplar.verifierSharesToMessage(aggParam,
          List.of(c0.share(), c1.share()));
      assertStrict("prep message 2", poplar.encodeVerifierMessage(done),
          b -> poplar.decodeVerifierMessage(c0.state(), b));
      Poplar1OutputShare out =
          ((Poplar1VerifyStep.Finish) poplar.verifyNext(c0.state(), done)).outputShare();
      assertEquals(3, out.length());
      assertStrict("output share", poplar.encodeOutputShare(out),
          b -> poplar.decodeOutputShare(aggParam, b));
      Poplar1AggregateShare agg = poplar.aggregate(aggParam, List.of(out, out));
      assertStrict("aggregate share", poplar.encodeAggregateShare(agg),
          b -> poplar.decodeAggregateShare(aggParam, b));
    }
    // A parameter whose level is not below BITS is refused by the decoders that take one.
    Poplar1AggParam deep = Poplar1AggParam.of(bits, 1);
    assertThrows(DecodeException.class, () -> poplar.decodeVerifierShare(deep, 1, new byte[96]));
    assertThrows(DecodeException.class, () -> poplar.decodeVerifierMessage(deep, 2, new byte[0]));
    assertThrows(DecodeException.class, () -> poplar.decodeOutputShare(deep, new byte[32]));
    assertThrows(DecodeException.class, () -> poplar.decodeAggregateShare(deep, new byte[32]));
  }

  @Test
  void decodersRefuseFieldElementsAtOrAboveTheModulus() throws Exception {
    Poplar1 poplar = new Poplar1(3);
    byte[] nonce = bytes(16);
    Poplar1Sharded s = poplar.shard(BigInteger.valueOf(6), nonce);
    byte[] input = poplar.encodeInputShare(s.inputShares().get(1));
    byte[] badInner = input.clone();
    Arrays.fill(badInner, 32, 40, (byte) 0xff); // first corr_inner element
    assertThrows(DecodeException.class, () -> poplar.decodeInputShare(badInner));
    byte[] badLeaf = input.clone();
    Arrays.fill(badLeaf, input.length - 32, input.length, (byte) 0xff);
    assertThrows(DecodeException.class, () -> poplar.decodeInputShare(badLeaf));
    // Field64 p = 2^64 - 2^32 + 1 itself, and one below it.
    byte[] p64 = HEX.parseHex("01000000ffffffff");
    byte[] below = HEX.parseHex("00000000ffffffff");
    Poplar1AggParam inner = Poplar1AggParam.of(0, 1);
    assertThrows(DecodeException.class, () -> poplar.decodeAggregateShare(inner, p64));
    assertEquals(8, poplar.encodeAggregateShare(poplar.decodeAggregateShare(inner, below)).length);
    byte[] sketch = new byte[24];
    System.arraycopy(p64, 0, sketch, 16, 8);
    assertThrows(DecodeException.class, () -> poplar.decodeVerifierShare(inner, 1, sketch));
    assertThrows(DecodeException.class, () -> poplar.decodeVerifierMessage(inner, 1, sketch));
    // Field255 at the leaf: 2^255 - 19.
    Poplar1AggParam leafParam = Poplar1AggParam.of(2, 6);
    byte[] p255 = new byte[32];
    Arrays.fill(p255, (byte) 0xff);
    p255[0] = (byte) 0xed;
    p255[31] = 0x7f;
    assertThrows(DecodeException.class, () -> poplar.decodeOutputShare(leafParam, p255));
    assertThrows(DecodeException.class, () -> poplar.decodeVerifierShare(leafParam, 2, p255));
    // A prep state of an impossible round, aggregator or level.
    Poplar1VerifyInit init = poplar.verifyInit(bytes(16), 0, inner, nonce, s.publicShare(),
        s.inputShares().get(0));
    byte[] st = poplar.encodeVerifyState(init.state());
    for (int[] edit : new int[][] {{0, 0}, {0, 3}, {1, 2}, {3, 3}}) {
      byte[] bad = st.clone();
      bad[edit[0]] = (byte) edit[1];
      assertThrows(DecodeException.class, () -> poplar.decodeVerifyState(bad),
          Arrays.toString(edit));
    }
  }

  @Test
  void argumentsOutsideTheirDomainsAreRefused() {
    Poplar1 poplar = new Poplar1(4);
    byte[] nonce = bytes(16);
    assertThrows(IllegalArgumentException.class,
        () -> poplar.shard(BigInteger.valueOf(16), nonce));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.shard(BigInteger.valueOf(-1), nonce));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.shard(BigInteger.ONE, new byte[15]));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.shard(BigInteger.ONE, nonce, new byte[79]));
    Poplar1Sharded s = poplar.shard(BigInteger.ONE, nonce);
    assertThrows(IllegalArgumentException.class, () -> poplar.verifyInit(bytes(16), 0,
        Poplar1AggParam.of(4, 1), nonce, s.publicShare(), s.inputShares().get(0)));
    assertThrows(IllegalArgumentException.class, () -> poplar.verifyInit(bytes(16), 2,
        Poplar1AggParam.of(1, 1), nonce, s.publicShare(), s.inputShares().get(0)));
    assertThrows(IllegalArgumentException.class, () -> poplar.verifyInit(bytes(15), 0,
        Poplar1AggParam.of(1, 1), nonce, s.publicShare(), s.inputShares().get(0)));
    assertThrows(IllegalArgumentException.class, () -> new Poplar1(0));
    assertEquals(80, poplar.randSize());
    assertEquals(0x00001000, Poplar1.ID);
  }

  @Test
  void unshardRefusesSumsThatAreNotCounts() throws DecodeException {
    Poplar1 poplar = new Poplar1(2);
    Poplar1AggParam p = Poplar1AggParam.of(0, 0);
    Poplar1AggregateShare big = poplar.decodeAggregateShare(p, HEX.parseHex("00000000ffffffff"));
    assertThrows(ArithmeticException.class, () -> poplar.unshard(p, List.of(big), 1));
    Poplar1AggregateShare three = poplar.decodeAggregateShare(p, HEX.parseHex("0300000000000000"));
    assertEquals(List.of(6L), poplar.unshard(p, List.of(three, three), 6));
  }

  @Test
  void shardingIsDeterministicInRandAndFreshOtherwise() {
    Poplar1 poplar = new Poplar1(8);
    byte[] nonce = bytes(16);
    byte[] rand = bytes(poplar.randSize());
    Poplar1Sharded a = poplar.shard(BigInteger.valueOf(77), nonce, rand);
    Poplar1Sharded b = poplar.shard(BigInteger.valueOf(77), nonce, rand);
    assertEquals(a, b);
    Poplar1Sharded c = poplar.shard(BigInteger.valueOf(77), nonce);
    assertNotEquals(a.publicShare(), c.publicShare());
    assertNotEquals(a.inputShares().get(0), c.inputShares().get(0));
    assertEquals("Poplar1InputShare[<redacted>]", a.inputShares().get(0).toString());
  }
}
