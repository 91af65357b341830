package io.pando.vdaf.poplar1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.idpf.IdpfBBCGGI21;
import io.pando.vdaf.idpf.IdpfPoplar;
import io.pando.vdaf.testvec.VectorFile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Poplar1 of draft-20 (§8): official vectors, end to end runs, tampering, encodings. */
class Poplar1Draft20Test {
  private static final VdafVersion V = VdafVersion.DRAFT_20;
  private static final Random RNG = new Random(0x0006);
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] CTX = "some application".getBytes(StandardCharsets.US_ASCII);

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RNG.nextBytes(b);
    return b;
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  // ---- Official vectors --------------------------------------------------------------------

  /** One report's verification in progress while a vector is replayed. */
  private static final class Replay {
    final Poplar1VerifyState[] states = new Poplar1VerifyState[2];
    final Poplar1OutputShare[] outShares = new Poplar1OutputShare[2];
    boolean failed;
  }

  /**
   * Replays an official draft-20 Poplar1 vector through its {@code operations}, in order,
   * comparing every encoding the vector gives (public share, input shares, verifier shares and
   * messages of both rounds, output shares, aggregate shares, the result) and checking that each
   * operation succeeds or fails as the vector says. Verification starts from the vector's own
   * bytes, so it does not depend on sharding.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Poplar1_0.json", "Poplar1_2.json", "Poplar1_3.json", "Poplar1_4.json",
      "Poplar1_5.json", "Poplar1_bad_corr_inner.json"})
  void officialVector(String file) throws Exception {
    Map<String, Object> v = VectorFile.load20(file);
    Poplar1 poplar = new Poplar1(V, VectorFile.integer(v.get("bits")).intValueExact());
    assertEquals(2, VectorFile.integer(v.get("shares")).intValueExact());
    byte[] ctx = VectorFile.hex(v.get("ctx"));
    byte[] verifyKey = VectorFile.hex(v.get("verify_key"));
    assertEquals(poplar.verifyKeySize(), verifyKey.length);
    byte[] encodedAggParam = VectorFile.hex(v.get("agg_param"));
    Poplar1AggParam aggParam = poplar.decodeAggParam(encodedAggParam);
    assertArrayEquals(encodedAggParam, poplar.encodeAggParam(aggParam));
    assertTrue(poplar.isValid(aggParam, List.of()));

    List<Map<String, Object>> reports =
        VectorFile.list(v.get("reports")).stream().map(VectorFile::object).toList();
    Map<Integer, Replay> replays = new HashMap<>();
    List<Poplar1AggregateShare> aggShares = new ArrayList<>(List.of());
    boolean expectFailure = false;
    for (Object o : VectorFile.list(v.get("operations"))) {
      Map<String, Object> op = VectorFile.object(o);
      String operation = (String) op.get("operation");
      boolean success = (Boolean) op.get("success");
      expectFailure |= !success;
      int r = op.containsKey("report_index")
          ? VectorFile.integer(op.get("report_index")).intValueExact() : -1;
      int aggId = op.containsKey("aggregator_id")
          ? VectorFile.integer(op.get("aggregator_id")).intValueExact() : -1;
      int round = op.containsKey("round") ? VectorFile.integer(op.get("round")).intValueExact()
          : -1;
      Map<String, Object> report = r >= 0 ? reports.get(r) : null;
      Replay replay = r >= 0 ? replays.computeIfAbsent(r, k -> new Replay()) : null;
      String where = file + " " + operation + " report " + r + " aggregator " + aggId
          + " round " + round;
      switch (operation) {
        case "shard" -> {
          assertTrue(success, where);
          byte[] nonce = VectorFile.hex(report.get("nonce"));
          byte[] rand = VectorFile.hex(report.get("rand"));
          assertEquals(poplar.randSize(), rand.length);
          List<Boolean> measurement =
              VectorFile.list(report.get("measurement")).stream().map(b -> (Boolean) b).toList();
          assertEquals(poplar.bits(), measurement.size());
          Poplar1Sharded sharded =
              poplar.shard(ctx, IdpfBBCGGI21.index(measurement), nonce, rand);
          assertEquals(report.get("public_share"),
              hex(poplar.encodePublicShare(sharded.publicShare())), where);
          List<Object> want = VectorFile.list(report.get("input_shares"));
          for (int j = 0; j < 2; j++) {
            assertEquals(want.get(j), hex(poplar.encodeInputShare(sharded.inputShares().get(j))),
                where + " input share " + j);
          }
        }
        case "verify_init" -> {
          byte[] nonce = VectorFile.hex(report.get("nonce"));
          IdpfPoplar.PublicShare ps =
              poplar.decodePublicShare(VectorFile.hex(report.get("public_share")));
          byte[] encodedInput =
              VectorFile.hex(VectorFile.list(report.get("input_shares")).get(aggId));
          Poplar1InputShare in = poplar.decodeInputShare(encodedInput);
          assertArrayEquals(encodedInput, poplar.encodeInputShare(in));
          assertTrue(success, where);
          Poplar1VerifyInit init = poplar.verifyInit(verifyKey, ctx, aggId, aggParam, nonce, ps, in);
          assertEquals(verifierShare(report, 0, aggId), hex(poplar.encodeVerifierShare(init.share())),
              where);
          replay.states[aggId] = roundTrip(poplar, init.state());
        }
        case "verifier_shares_to_message" -> {
          List<Poplar1VerifierShare> shares = new ArrayList<>();
          for (int j = 0; j < 2; j++) {
            shares.add(poplar.decodeVerifierShare(replay.states[j],
                HEX.parseHex(verifierShare(report, round, j))));
          }
          if (success) {
            Poplar1VerifierMessage m = poplar.verifierSharesToMessage(ctx, aggParam, shares);
            assertEquals(VectorFile.list(report.get("verifier_messages")).get(round),
                hex(poplar.encodeVerifierMessage(m)), where);
            assertEquals(round == 1, m.isEmpty());
          } else {
            assertThrows(VdafException.class,
                () -> poplar.verifierSharesToMessage(ctx, aggParam, shares), where);
            replay.failed = true;
          }
        }
        case "verify_next" -> {
          assertFalse(replay.failed, where);
          assertTrue(success, where);
          Poplar1VerifyState state = replay.states[aggId];
          byte[] encodedMessage =
              VectorFile.hex(VectorFile.list(report.get("verifier_messages")).get(round - 1));
          Poplar1VerifierMessage m = poplar.decodeVerifierMessage(state, encodedMessage);
          Poplar1VerifyStep step = poplar.verifyNext(ctx, state, m);
          if (round == 1) {
            Poplar1VerifyStep.Continue c = assertInstanceOf(Poplar1VerifyStep.Continue.class, step);
            assertEquals(verifierShare(report, 1, aggId), hex(poplar.encodeVerifierShare(c.share())),
                where);
            replay.states[aggId] = roundTrip(poplar, c.state());
          } else {
            Poplar1OutputShare out =
                assertInstanceOf(Poplar1VerifyStep.Finish.class, step).outputShare();
            String want = (String) VectorFile.list(report.get("out_shares")).get(aggId);
            assertEquals(want, hex(poplar.encodeOutputShare(out)), where);
            assertEquals(out, poplar.decodeOutputShare(aggParam, HEX.parseHex(want)));
            replay.outShares[aggId] = out;
          }
        }
        case "aggregate" -> {
          assertTrue(success, where);
          List<Poplar1OutputShare> outs = new ArrayList<>();
          for (Replay rp : replays.values()) {
            if (!rp.failed && rp.outShares[aggId] != null) {
              outs.add(rp.outShares[aggId]);
            }
          }
          Poplar1AggregateShare agg = poplar.aggregate(aggParam, outs);
          String want = (String) VectorFile.list(v.get("agg_shares")).get(aggId);
          assertEquals(want, hex(poplar.encodeAggregateShare(agg)), where);
          assertEquals(agg, poplar.decodeAggregateShare(aggParam, HEX.parseHex(want)));
          aggShares.add(agg);
        }
        case "unshard" -> {
          assertTrue(success, where);
          List<Long> want = VectorFile.list(v.get("agg_result")).stream()
              .map(x -> VectorFile.integer(x).longValueExact()).toList();
          assertEquals(want, poplar.unshard(aggParam, aggShares, reports.size()), where);
        }
        default -> throw new AssertionError("unknown operation " + operation);
      }
    }
    if (expectFailure) {
      assertTrue(replays.values().stream().anyMatch(rp -> rp.failed), file);
      assertTrue(aggShares.isEmpty());
    } else {
      assertEquals(2, aggShares.size(), file);
    }
  }

  private static String verifierShare(Map<String, Object> report, int round, int aggId) {
    return (String) VectorFile.list(VectorFile.list(report.get("verifier_shares")).get(round))
        .get(aggId);
  }

  private static Poplar1VerifyState roundTrip(Poplar1 poplar, Poplar1VerifyState s)
      throws DecodeException {
    byte[] enc = poplar.encodeVerifyState(s);
    Poplar1VerifyState back = poplar.decodeVerifyState(enc);
    assertEquals(s, back);
    assertArrayEquals(enc, poplar.encodeVerifyState(back));
    return back;
  }

  // ---- Parameters --------------------------------------------------------------------------

  @Test
  void parametersOfDraft20() {
    Poplar1 poplar = new Poplar1(V, 4);
    assertEquals(V, poplar.version());
    assertEquals(6, poplar.id());
    assertEquals(32, poplar.verifyKeySize());
    assertEquals(3 * 32 + 32, poplar.randSize());
    assertEquals(16 + 32 + 2 * 3 * 8 + 2 * 32, poplar.inputShareLength());
    assertEquals(4, poplar.idpfBBCGGI21().bits());
    assertThrows(IllegalStateException.class, poplar::idpf);

    Poplar1 d08 = new Poplar1(4);
    assertEquals(VdafVersion.DRAFT_08, d08.version());
    assertEquals(0x1000, d08.id());
    assertEquals(16, d08.verifyKeySize());
    assertEquals(80, d08.randSize());
    assertThrows(IllegalStateException.class, d08::idpfBBCGGI21);
    // Draft-08 has no application context.
    assertThrows(IllegalArgumentException.class,
        () -> d08.shard(CTX, BigInteger.ONE, bytes(16), bytes(80)));
  }

  // ---- End to end on random measurements ---------------------------------------------------

  /** A sharded report in encoded form. */
  private record Report(byte[] nonce, byte[] publicShare, List<byte[]> inputShares) {
    static Report of(Poplar1 poplar, byte[] ctx, BigInteger measurement) {
      byte[] nonce = bytes(Poplar1.NONCE_SIZE);
      Poplar1Sharded s = poplar.shard(ctx, measurement, nonce);
      return new Report(nonce, poplar.encodePublicShare(s.publicShare()),
          s.inputShares().stream().map(poplar::encodeInputShare).toList());
    }
  }

  /** Tamper functions for the pieces of one report's verification; identity by default. */
  private static final class Tamper {
    UnaryOperator<byte[]> publicShare = UnaryOperator.identity();
    UnaryOperator<byte[]> leaderInput = UnaryOperator.identity();
    UnaryOperator<byte[]> leaderRound1 = UnaryOperator.identity();
    UnaryOperator<byte[]> helperRound2 = UnaryOperator.identity();
    byte[] helperCtx;
    byte[] helperVerifyKey;
  }

  /** One report through both aggregators, every message through its encoding. */
  private static List<Poplar1OutputShare> prepare(Poplar1 poplar, byte[] verifyKey, byte[] ctx,
      Poplar1AggParam aggParam, Report report, Tamper tamper) throws Exception {
    IdpfPoplar.PublicShare ps =
        poplar.decodePublicShare(tamper.publicShare.apply(report.publicShare()));
    byte[][] ctxs = {ctx, tamper.helperCtx == null ? ctx : tamper.helperCtx};
    byte[][] keys = {verifyKey, tamper.helperVerifyKey == null ? verifyKey
        : tamper.helperVerifyKey};
    List<Poplar1VerifyState> states = new ArrayList<>();
    List<Poplar1VerifierShare> shares = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      byte[] in = report.inputShares().get(j);
      Poplar1VerifyInit init = poplar.verifyInit(keys[j], ctxs[j], j, aggParam, report.nonce(), ps,
          poplar.decodeInputShare(j == 0 ? tamper.leaderInput.apply(in) : in));
      states.add(poplar.decodeVerifyState(poplar.encodeVerifyState(init.state())));
      byte[] share = poplar.encodeVerifierShare(init.share());
      shares.add(poplar.decodeVerifierShare(init.state(),
          j == 0 ? tamper.leaderRound1.apply(share) : share));
    }
    byte[] msg = poplar.encodeVerifierMessage(poplar.verifierSharesToMessage(ctx, aggParam, shares));
    shares.clear();
    for (int j = 0; j < 2; j++) {
      Poplar1VerifyStep.Continue c = assertInstanceOf(Poplar1VerifyStep.Continue.class,
          poplar.verifyNext(ctxs[j], states.get(j), poplar.decodeVerifierMessage(states.get(j), msg)));
      states.set(j, poplar.decodeVerifyState(poplar.encodeVerifyState(c.state())));
      byte[] share = poplar.encodeVerifierShare(c.share());
      shares.add(poplar.decodeVerifierShare(c.state(),
          j == 1 ? tamper.helperRound2.apply(share) : share));
    }
    msg = poplar.encodeVerifierMessage(poplar.verifierSharesToMessage(ctx, aggParam, shares));
    assertEquals(0, msg.length);
    List<Poplar1OutputShare> out = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      Poplar1VerifyStep.Finish f = assertInstanceOf(Poplar1VerifyStep.Finish.class,
          poplar.verifyNext(ctxs[j], states.get(j), poplar.decodeVerifierMessage(states.get(j), msg)));
      out.add(poplar.decodeOutputShare(aggParam, poplar.encodeOutputShare(f.outputShare())));
    }
    return out;
  }

  /** Runs verification, aggregation (two batches, merged) and unsharding. */
  private static List<Long> collect(Poplar1 poplar, byte[] verifyKey, byte[] ctx,
      Poplar1AggParam aggParam, List<Report> reports) throws Exception {
    List<List<Poplar1OutputShare>> first = List.of(new ArrayList<>(), new ArrayList<>());
    List<List<Poplar1OutputShare>> second = List.of(new ArrayList<>(), new ArrayList<>());
    for (int r = 0; r < reports.size(); r++) {
      List<Poplar1OutputShare> out =
          prepare(poplar, verifyKey, ctx, aggParam, reports.get(r), new Tamper());
      for (int j = 0; j < 2; j++) {
        (r % 2 == 0 ? first : second).get(j).add(out.get(j));
      }
    }
    List<Poplar1AggregateShare> aggs = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      Poplar1AggregateShare a = poplar.merge(poplar.aggregate(aggParam, first.get(j)),
          poplar.aggregate(aggParam, second.get(j)));
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

  /**
   * Heavy hitters level by level as draft-20's is_valid allows them: each level's candidates
   * extend the last level's, and the counts are exact at every level.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 8, 66})
  void heavyHitterCountsAreExactAtEveryLevel(int bits) throws Exception {
    Poplar1 poplar = new Poplar1(V, bits);
    byte[] verifyKey = bytes(poplar.verifyKeySize());
    List<BigInteger> heavy = List.of(new BigInteger(bits, RNG), new BigInteger(bits, RNG));
    List<BigInteger> measurements = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      measurements.add(i < 7 ? heavy.get(i % 2) : new BigInteger(bits, RNG));
    }
    List<Report> reports = measurements.stream().map(m -> Report.of(poplar, CTX, m)).toList();
    List<Poplar1AggParam> previous = new ArrayList<>();
    List<BigInteger> survivors = List.of(BigInteger.ZERO, BigInteger.ONE);
    for (int level = 0; level < bits; level++) {
      TreeSet<BigInteger> candidates = new TreeSet<>();
      if (level == 0) {
        candidates.addAll(survivors);
      } else {
        for (BigInteger s : survivors) {
          candidates.add(s.shiftLeft(1));
          candidates.add(s.shiftLeft(1).setBit(0));
        }
      }
      Poplar1AggParam aggParam = Poplar1AggParam.ofAnyOrder(level, new ArrayList<>(candidates));
      assertTrue(poplar.isValid(aggParam, previous), "level " + level);
      Poplar1AggParam decoded = poplar.decodeAggParam(poplar.encodeAggParam(aggParam));
      assertEquals(aggParam, decoded);
      List<Long> counts = collect(poplar, verifyKey, CTX, decoded, reports);
      assertEquals(expectedCounts(bits, level, aggParam.prefixes(), measurements), counts,
          "bits " + bits + " level " + level);
      previous.add(aggParam);
      // The same level again, or going back, is not valid.
      assertFalse(poplar.isValid(aggParam, previous));
      // Prefixes with a count of at least 2 survive.
      List<BigInteger> next = new ArrayList<>();
      for (int i = 0; i < counts.size(); i++) {
        if (counts.get(i) >= 2) {
          next.add(aggParam.prefixes().get(i));
        }
      }
      survivors = next;
    }
    assertTrue(survivors.containsAll(heavy), "bits " + bits);
  }

  @Test
  void everyPrefixAtEveryLevelWithAnEmptyContextAndUnsortedPrefixes() throws Exception {
    int bits = 4;
    Poplar1 poplar = new Poplar1(V, bits);
    byte[] verifyKey = bytes(32);
    byte[] noCtx = new byte[0];
    List<BigInteger> measurements = new ArrayList<>();
    for (int m = 0; m < 16; m += 3) {
      measurements.add(BigInteger.valueOf(m));
    }
    List<Report> reports = measurements.stream().map(m -> Report.of(poplar, noCtx, m)).toList();
    for (int level = 0; level < bits; level++) {
      List<BigInteger> all = new ArrayList<>();
      for (int p = 0; p < 1 << (level + 1); p++) {
        all.add(BigInteger.valueOf(p));
      }
      Collections.shuffle(all, RNG);
      // verify_init takes prefixes in any order (is_valid is where the order is checked).
      Poplar1AggParam aggParam = Poplar1AggParam.ofAnyOrder(level, all);
      List<BigInteger> sorted = new ArrayList<>(all);
      Collections.sort(sorted);
      assertEquals(sorted.equals(all), poplar.isValid(aggParam, List.of()));
      assertEquals(expectedCounts(bits, level, all, measurements),
          collect(poplar, verifyKey, noCtx, aggParam, reports), "level " + level);
    }
  }

  @Test
  void noCandidatePrefixes() throws Exception {
    Poplar1 poplar = new Poplar1(V, 15);
    Report r = Report.of(poplar, CTX, BigInteger.valueOf(12345));
    for (int level : new int[] {3, 14}) {
      Poplar1AggParam empty = Poplar1AggParam.of(level);
      assertEquals(List.of(), collect(poplar, bytes(32), CTX, empty, List.of(r)));
    }
  }

  // ---- What makes verification fail --------------------------------------------------------

  /** Verifies one report with the given tampering; returns the failure or null. */
  private static VdafException prepareTampered(Poplar1 poplar, Poplar1AggParam aggParam,
      BigInteger measurement, Tamper tamper) throws Exception {
    Report r = Report.of(poplar, CTX, measurement);
    try {
      prepare(poplar, bytes(32), CTX, aggParam, r, tamper);
      return null;
    } catch (VdafException e) {
      return e;
    }
  }

  private static UnaryOperator<byte[]> flip(int at) {
    return b -> {
      byte[] c = b.clone();
      c[at >= 0 ? at : c.length + at] ^= 1;
      return c;
    };
  }

  @Test
  void untamperedReportsVerify() throws Exception {
    Poplar1 poplar = new Poplar1(V, 6);
    for (Poplar1AggParam p : List.of(Poplar1AggParam.of(2, 0, 3, 5), Poplar1AggParam.of(5, 9))) {
      assertNull(prepareTampered(poplar, p, BigInteger.valueOf(45), new Tamper()));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5})
  void tamperingMakesTheSketchFail(int level) throws Exception {
    int bits = 6;
    Poplar1 poplar = new Poplar1(V, bits);
    Poplar1AggParam aggParam = Poplar1AggParam.of(level, 0, 1, 2, 3);
    BigInteger m = BigInteger.valueOf(2).shiftLeft(bits - 1 - level); // on prefix 2
    boolean leaf = level == bits - 1;
    int ctrlLen = (2 * bits + 7) / 8;
    int payloads = ctrlLen + 16 * bits;

    // The public share's payload correction word of the level.
    Tamper t = new Tamper();
    t.publicShare = flip(leaf ? -64 : payloads + 16 * level);
    assertNotNull(prepareTampered(poplar, aggParam, m, t), "payload");
    // The seed correction word of the level.
    t = new Tamper();
    t.publicShare = flip(ctrlLen + 16 * level + 3);
    assertNotNull(prepareTampered(poplar, aggParam, m, t), "seed");
    // The leader's (A, B) share of the level.
    int corr = 16 + 32;
    t = new Tamper();
    t.leaderInput = flip(leaf ? -64 : corr + 16 * level);
    assertNotNull(prepareTampered(poplar, aggParam, m, t), "A");
    t = new Tamper();
    t.leaderInput = flip(leaf ? -32 : corr + 16 * level + 8);
    assertNotNull(prepareTampered(poplar, aggParam, m, t), "B");
    // The leader's correlation seed and IDPF key.
    t = new Tamper();
    t.leaderInput = flip(16);
    assertNotNull(prepareTampered(poplar, aggParam, m, t), "corr seed");
    t = new Tamper();
    t.leaderInput = flip(5);
    assertNotNull(prepareTampered(poplar, aggParam, m, t), "IDPF key");
    // Each element of the leader's round-1 verifier share, and the helper's round-2 share.
    int size = poplar.field(level).encodedSize();
    for (int e = 0; e < 3; e++) {
      t = new Tamper();
      t.leaderRound1 = flip(e * size);
      assertNotNull(prepareTampered(poplar, aggParam, m, t), "round 1 element " + e);
    }
    t = new Tamper();
    t.helperRound2 = flip(0);
    assertNotNull(prepareTampered(poplar, aggParam, m, t), "round 2");
  }

  @Test
  void aContextOrVerifyKeyMismatchFails() throws Exception {
    Poplar1 poplar = new Poplar1(V, 5);
    BigInteger m = BigInteger.valueOf(0b10110);
    for (int level : new int[] {0, 3, 4}) {
      Poplar1AggParam aggParam = Poplar1AggParam.ofAnyOrder(level,
          List.of(m.shiftRight(4 - level), m.shiftRight(4 - level).flipBit(0)));
      Report r = Report.of(poplar, CTX, m);
      byte[] verifyKey = bytes(32);
      assertEquals(2, prepare(poplar, verifyKey, CTX, aggParam, r, new Tamper()).size());
      // Both aggregators under another ctx than the client's.
      byte[] other = "some applicatioN".getBytes(StandardCharsets.US_ASCII);
      assertThrows(VdafException.class,
          () -> prepare(poplar, verifyKey, other, aggParam, r, new Tamper()), "level " + level);
      assertThrows(VdafException.class,
          () -> prepare(poplar, verifyKey, new byte[0], aggParam, r, new Tamper()));
      // Only the helper under another ctx.
      Tamper t = new Tamper();
      t.helperCtx = other;
      assertThrows(VdafException.class, () -> prepare(poplar, verifyKey, CTX, aggParam, r, t));
      // The aggregators with different verification keys.
      Tamper k = new Tamper();
      k.helperVerifyKey = bytes(32);
      assertThrows(VdafException.class, () -> prepare(poplar, verifyKey, CTX, aggParam, r, k));
    }
    // A report sharded without ctx does not verify under one.
    Report plain = Report.of(poplar, new byte[0], m);
    assertThrows(VdafException.class,
        () -> prepare(poplar, bytes(32), CTX, Poplar1AggParam.of(1, 2), plain, new Tamper()));
  }

  @Test
  void roundOneNeedsItsVerifierMessage() throws Exception {
    Poplar1 poplar = new Poplar1(V, 3);
    Report r = Report.of(poplar, CTX, BigInteger.valueOf(5));
    Poplar1AggParam aggParam = Poplar1AggParam.of(1, 2);
    Poplar1VerifyInit init = poplar.verifyInit(bytes(32), CTX, 0, aggParam, r.nonce(),
        poplar.decodePublicShare(r.publicShare()), poplar.decodeInputShare(r.inputShares().get(0)));
    // A missing (None) round-1 message is refused in draft-20; draft-08 took it as zeros.
    Poplar1VerifierMessage none = poplar.decodeVerifierMessage(aggParam, 2, new byte[0]);
    assertThrows(VdafException.class, () -> poplar.verifyNext(CTX, init.state(), none));
    // The empty string is not a round-1 message on the wire.
    assertThrows(DecodeException.class, () -> poplar.decodeVerifierMessage(init.state(), new byte[0]));
  }

  @Test
  void preparationArgumentsAreChecked() {
    Poplar1 poplar = new Poplar1(V, 4);
    byte[] nonce = bytes(16);
    Poplar1Sharded s = poplar.shard(CTX, BigInteger.valueOf(9), nonce);
    IdpfPoplar.PublicShare ps = s.publicShare();
    Poplar1InputShare in = s.inputShares().get(0);
    Poplar1AggParam ok = Poplar1AggParam.of(1, 1);
    assertNotNull(poplar.verifyInit(bytes(32), CTX, 0, ok, nonce, ps, in));
    // VERIFY_KEY_SIZE is 32.
    assertThrows(IllegalArgumentException.class,
        () -> poplar.verifyInit(bytes(16), CTX, 0, ok, nonce, ps, in));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.verifyInit(bytes(32), CTX, 0, Poplar1AggParam.of(4, 1), nonce, ps, in));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.verifyInit(bytes(32), CTX, 2, ok, nonce, ps, in));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.verifyInit(bytes(32), CTX, 0, ok, bytes(15), ps, in));
    // Repeated prefixes are refused by the IDPF.
    Poplar1AggParam twice =
        Poplar1AggParam.ofAnyOrder(1, List.of(BigInteger.ONE, BigInteger.ONE));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.verifyInit(bytes(32), CTX, 0, twice, nonce, ps, in));
    // Unsorted prefixes are fine for draft-20's verify_init, not for draft-08's prep_init.
    Poplar1AggParam unsorted =
        Poplar1AggParam.ofAnyOrder(1, List.of(BigInteger.TWO, BigInteger.ONE));
    assertNotNull(poplar.verifyInit(bytes(32), CTX, 0, unsorted, nonce, ps, in));
    Poplar1 d08 = new Poplar1(4);
    Poplar1Sharded s08 = d08.shard(BigInteger.valueOf(9), nonce);
    assertThrows(IllegalArgumentException.class, () -> d08.verifyInit(bytes(16), 0, unsorted,
        nonce, s08.publicShare(), s08.inputShares().get(0)));
    // A draft-08 input share (16-byte correlation seed) is not a draft-20 one.
    Poplar1Sharded old = new Poplar1(4).shard(BigInteger.valueOf(9), nonce);
    assertThrows(IllegalArgumentException.class,
        () -> poplar.verifyInit(bytes(32), CTX, 0, ok, nonce, ps, old.inputShares().get(0)));
    // Sharding: rand of RAND_SIZE, measurement of BITS bits.
    assertThrows(IllegalArgumentException.class,
        () -> poplar.shard(CTX, BigInteger.ONE, nonce, bytes(80)));
    assertThrows(IllegalArgumentException.class,
        () -> poplar.shard(CTX, BigInteger.valueOf(16), nonce));
  }

  // ---- is_valid (§8.2.3) -------------------------------------------------------------------

  @Test
  void isValidRulesOfDraft20() {
    Poplar1 poplar = new Poplar1(V, 8);
    Poplar1AggParam l0 = Poplar1AggParam.of(0, 0, 1);
    Poplar1AggParam l1 = Poplar1AggParam.of(1, 1, 2); // 01 extends 0, 10 extends 1
    Poplar1AggParam l3 = Poplar1AggParam.of(3, 0b0100, 0b0111, 0b1011);
    assertTrue(poplar.isValid(l0, List.of()));
    assertTrue(poplar.isValid(l3, List.of())); // no previous parameter: any level
    assertTrue(poplar.isValid(l1, List.of(l0)));
    assertTrue(poplar.isValid(l3, List.of(l0, l1)));
    // Prefixes unique and sorted.
    assertFalse(poplar.isValid(Poplar1AggParam.ofAnyOrder(1,
        List.of(BigInteger.TWO, BigInteger.ONE)), List.of()));
    assertFalse(poplar.isValid(Poplar1AggParam.ofAnyOrder(1,
        List.of(BigInteger.ONE, BigInteger.ONE)), List.of()));
    assertTrue(poplar.isValid(Poplar1AggParam.of(1), List.of()));
    // The level must increase over the last previous parameter.
    assertFalse(poplar.isValid(l1, List.of(l0, l1)));
    assertFalse(poplar.isValid(l0, List.of(l1)));
    assertFalse(poplar.isValid(Poplar1AggParam.of(1, 1), List.of(l0, l3)));
    // Every prefix must extend one of the last parameter's prefixes.
    assertFalse(poplar.isValid(Poplar1AggParam.of(3, 0b0100, 0b1100), List.of(l0, l1)));
    assertFalse(poplar.isValid(Poplar1AggParam.of(2, 0b000), List.of(l1)));
    assertTrue(poplar.isValid(Poplar1AggParam.of(2, 0b010, 0b011, 0b101), List.of(l1)));
    assertTrue(poplar.isValid(Poplar1AggParam.of(2), List.of(l1)));

    // Draft-08 only forbids a repeated level.
    Poplar1 d08 = new Poplar1(8);
    assertTrue(d08.isValid(l0, List.of(l1)));
    assertTrue(d08.isValid(Poplar1AggParam.of(3, 0b1100), List.of(l0, l1)));
    assertFalse(d08.isValid(l1, List.of(l1, l0)));
  }

  // ---- Aggregation parameter encoding (§8.2.6.6) --------------------------------------------

  @Test
  void aggParamEncodingKnownAnswersAndRoundTrips() throws DecodeException {
    Poplar1 poplar = new Poplar1(V, 256);
    // From the official vectors: each prefix on its own bytes, first bit most significant.
    assertEquals("0000000000020080", hex(poplar.encodeAggParam(Poplar1AggParam.of(0, 0, 1))));
    assertEquals("000200000004004080c0",
        hex(poplar.encodeAggParam(Poplar1AggParam.of(2, 0, 2, 4, 6))));
    assertEquals("00020000000400204060",
        hex(poplar.encodeAggParam(Poplar1AggParam.of(2, 0, 1, 2, 3))));
    assertEquals("0003000000071030507090d0f0", hex(poplar.encodeAggParam(
        Poplar1AggParam.of(3, 1, 3, 5, 7, 9, 13, 15))));
    assertEquals("000a000000040000c800c820ffe0", hex(poplar.encodeAggParam(
        Poplar1AggParam.of(10, 0, 0b11001000000, 0b11001000001, 0b11111111111))));
    assertEquals("000000000000", hex(poplar.encodeAggParam(Poplar1AggParam.of(0))));
    // Level 7: eight bits, one byte each, no padding; level 8: two bytes, seven padding bits.
    assertEquals("0007" + "00000002" + "00ff",
        hex(poplar.encodeAggParam(Poplar1AggParam.of(7, 0, 255))));
    assertEquals("0008" + "00000002" + "0080ff80",
        hex(poplar.encodeAggParam(Poplar1AggParam.of(8, 1, 511))));

    BigInteger max256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    for (Poplar1AggParam p : List.of(Poplar1AggParam.of(0), Poplar1AggParam.of(0, 0, 1),
        Poplar1AggParam.of(2, 0, 1, 2, 3), Poplar1AggParam.of(17, 0, 1, 1233, (1 << 18) - 1),
        new Poplar1AggParam(255, List.of(BigInteger.ZERO, BigInteger.ONE,
            BigInteger.valueOf(1233), max256)),
        Poplar1AggParam.of(62, 5, Long.MAX_VALUE), Poplar1AggParam.of(63, 5, Long.MAX_VALUE),
        Poplar1AggParam.ofAnyOrder(5, List.of(BigInteger.valueOf(40), BigInteger.ONE,
            BigInteger.valueOf(40))))) {
      byte[] enc = poplar.encodeAggParam(p);
      assertEquals(6 + (p.level() + 8) / 8 * p.prefixCount(), enc.length);
      assertArrayEquals(enc, p.encode(V));
      assertEquals(p, poplar.decodeAggParam(enc));
      assertEquals(p, Poplar1AggParam.decode(V, enc));
      assertArrayEquals(enc, poplar.encodeAggParam(poplar.decodeAggParam(enc)));
    }
    // The two drafts encode differently.
    assertNotEquals(hex(Poplar1AggParam.of(2, 0, 1, 2, 3).encode()),
        hex(Poplar1AggParam.of(2, 0, 1, 2, 3).encode(V)));
  }

  @Test
  void aggParamDecodingOfDraft20() throws DecodeException {
    Poplar1 poplar = new Poplar1(V, 16);
    // Prefix order and repeats survive decoding (is_valid refuses them): (1, [2, 1]), (1, [1, 1]).
    Poplar1AggParam unsorted = poplar.decodeAggParam(HEX.parseHex("0001" + "00000002" + "8040"));
    assertEquals(List.of(BigInteger.TWO, BigInteger.ONE), unsorted.prefixes());
    assertFalse(unsorted.prefixesSortedAndUnique());
    assertFalse(poplar.isValid(unsorted, List.of()));
    Poplar1AggParam repeated = poplar.decodeAggParam(HEX.parseHex("0001" + "00000002" + "4040"));
    assertEquals(List.of(BigInteger.ONE, BigInteger.ONE), repeated.prefixes());
    assertFalse(poplar.isValid(repeated, List.of()));
    // Draft-08's decoder refuses the same order.
    assertThrows(DecodeException.class,
        () -> new Poplar1(16).decodeAggParam(HEX.parseHex("0001" + "00000002" + "06")));

    // Padding bits of each prefix must be zero, in every prefix.
    for (int bit = 0; bit < 6; bit++) {
      byte[] first = HEX.parseHex("0001" + "00000002" + "8040");
      first[6] |= (byte) (1 << bit);
      assertThrows(DecodeException.class, () -> poplar.decodeAggParam(first), "bit " + bit);
      byte[] second = HEX.parseHex("0001" + "00000002" + "8040");
      second[7] |= (byte) (1 << bit);
      assertThrows(DecodeException.class, () -> poplar.decodeAggParam(second), "bit " + bit);
    }
    byte[] level8 = HEX.parseHex("0008" + "00000001" + "ff81");
    assertThrows(DecodeException.class, () -> poplar.decodeAggParam(level8));
    assertEquals(Poplar1AggParam.of(8, 511),
        poplar.decodeAggParam(HEX.parseHex("0008" + "00000001" + "ff80")));
    // Lengths: exact, nothing truncated or trailing.
    byte[] ok = HEX.parseHex("0002" + "00000004" + "004080c0");
    for (int len = 0; len < ok.length; len++) {
      byte[] cut = Arrays.copyOf(ok, len);
      assertThrows(DecodeException.class, () -> poplar.decodeAggParam(cut), "length " + len);
    }
    assertThrows(DecodeException.class, () -> poplar.decodeAggParam(Arrays.copyOf(ok, 11)));
    assertThrows(DecodeException.class, () -> poplar.decodeAggParam(null));
    // A count that the bytes cannot hold (and must not be allocated).
    assertThrows(DecodeException.class,
        () -> poplar.decodeAggParam(HEX.parseHex("ffff" + "ffffffff" + "00")));
    // A level must be below BITS.
    assertThrows(DecodeException.class,
        () -> poplar.decodeAggParam(HEX.parseHex("0010" + "00000000")));
    assertEquals(Poplar1AggParam.of(15),
        poplar.decodeAggParam(HEX.parseHex("000f" + "00000000")));
  }

  // ---- Message encodings -------------------------------------------------------------------

  private static void assertStrict(byte[] valid, Decoder decoder) throws DecodeException {
    decoder.decode(valid);
    for (int len = 0; len < valid.length; len++) {
      byte[] cut = Arrays.copyOf(valid, len);
      assertThrows(DecodeException.class, () -> decoder.decode(cut), "length " + len);
    }
    assertThrows(DecodeException.class,
        () -> decoder.decode(Arrays.copyOf(valid, valid.length + 1)));
  }

  private interface Decoder {
    void decode(byte[] b) throws DecodeException;
  }

  @Test
  void messageDecodingIsStrict() throws Exception {
    Poplar1 poplar = new Poplar1(V, 5);
    byte[] nonce = bytes(16);
    Poplar1Sharded s = poplar.shard(CTX, BigInteger.valueOf(22), nonce);
    byte[] publicShare = poplar.encodePublicShare(s.publicShare());
    assertEquals(poplar.idpfBBCGGI21().publicShareLength(), publicShare.length);
    assertStrict(publicShare, poplar::decodePublicShare);
    byte[] input = poplar.encodeInputShare(s.inputShares().get(1));
    assertEquals(poplar.inputShareLength(), input.length);
    assertStrict(input, poplar::decodeInputShare);
    // Field elements at or above their modulus.
    byte[] bigInner = input.clone();
    Arrays.fill(bigInner, 48, 56, (byte) 0xff);
    assertThrows(DecodeException.class, () -> poplar.decodeInputShare(bigInner));
    byte[] bigLeaf = input.clone();
    Arrays.fill(bigLeaf, input.length - 32, input.length, (byte) 0xff);
    assertThrows(DecodeException.class, () -> poplar.decodeInputShare(bigLeaf));

    for (Poplar1AggParam aggParam : List.of(Poplar1AggParam.of(2, 1, 5),
        Poplar1AggParam.of(4, 3))) {
      Poplar1VerifyInit init = poplar.verifyInit(bytes(32), CTX, 1, aggParam, nonce,
          s.publicShare(), s.inputShares().get(1));
      byte[] share = poplar.encodeVerifierShare(init.share());
      assertEquals(3 * poplar.field(aggParam.level()).encodedSize(), share.length);
      assertStrict(share, b -> poplar.decodeVerifierShare(init.state(), b));
      assertStrict(share, b -> poplar.decodeVerifierMessage(init.state(), b));
      assertStrict(poplar.encodeVerifyState(init.state()), poplar::decodeVerifyState);
    }
  }
}
