package io.pando.cli.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field255;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.idpf.IdpfPoplar;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1AggregateShare;
import io.pando.vdaf.poplar1.Poplar1InputShare;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1VerifyInit;
import io.pando.vdaf.poplar1.Poplar1VerifierMessage;
import io.pando.vdaf.poplar1.Poplar1VerifierShare;
import io.pando.vdaf.poplar1.Poplar1VerifyState;
import io.pando.vdaf.poplar1.Poplar1VerifyStep;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Replays the draft-08 Poplar1 and IdpfPoplar vectors: for Poplar1 shard, both rounds of
 * prep_init / prep_shares_to_prep / prep_next, aggregate and unshard, every encoding compared;
 * for the IDPF the public share and keys from gen, and eval of both keys at every prefix of every
 * level summing to beta on alpha's path and to zero elsewhere.
 */
final class Poplar1Vectors {
  private static final HexFormat HEX = HexFormat.of();

  private Poplar1Vectors() {}

  static String replayPoplar1(JsonNode v) throws Mismatch, VdafException, DecodeException {
    Poplar1 poplar = new Poplar1(v.get("bits").asInt());
    if (v.get("shares").asInt() != Poplar1.SHARES) {
      throw new Mismatch("Poplar1 has two aggregators, the vector " + v.get("shares"));
    }
    byte[] verifyKey = VectorChecker.hex(v, "verify_key");
    JsonNode ap = v.get("agg_param");
    List<BigInteger> prefixes = new ArrayList<>();
    ap.get(1).forEach(p -> prefixes.add(VectorChecker.bigInteger(p)));
    Poplar1AggParam aggParam = new Poplar1AggParam(ap.get(0).asInt(), prefixes);
    List<List<Poplar1OutputShare>> outShares = List.of(new ArrayList<>(), new ArrayList<>());
    JsonNode reports = v.get("prep");
    for (int r = 0; r < reports.size(); r++) {
      JsonNode rep = reports.get(r);
      String at = "report " + r + ": ";
      byte[] nonce = VectorChecker.hex(rep, "nonce");
      Poplar1Sharded s = poplar.shard(VectorChecker.bigInteger(rep.get("measurement")), nonce,
          VectorChecker.hex(rep, "rand"));
      VectorChecker.expectHex(at + "public_share", poplar.encodePublicShare(s.publicShare()),
          rep.get("public_share").asText());
      IdpfPoplar.PublicShare ps = poplar.decodePublicShare(VectorChecker.hex(rep, "public_share"));
      List<Poplar1VerifyState> states = new ArrayList<>();
      List<Poplar1VerifierShare> round1 = new ArrayList<>();
      for (int j = 0; j < 2; j++) {
        String wantIn = rep.get("input_shares").get(j).asText();
        VectorChecker.expectHex(at + "input_shares[" + j + "]", poplar.encodeInputShare(s.inputShares().get(j)),
            wantIn);
        Poplar1InputShare in = poplar.decodeInputShare(HEX.parseHex(wantIn));
        Poplar1VerifyInit init = poplar.verifyInit(verifyKey, j, aggParam, nonce, ps, in);
        String want = rep.get("prep_shares").get(0).get(j).asText();
        VectorChecker.expectHex(at + "prep_shares[0][" + j + "]", poplar.encodeVerifierShare(init.share()), want);
        round1.add(poplar.decodeVerifierShare(init.state(), HEX.parseHex(want)));
        states.add(init.state());
      }
      Poplar1VerifierMessage msg1 = poplar.verifierSharesToMessage(aggParam, round1);
      String want1 = rep.get("prep_messages").get(0).asText();
      VectorChecker.expectHex(at + "prep_messages[0]", poplar.encodeVerifierMessage(msg1), want1);
      List<Poplar1VerifierShare> round2 = new ArrayList<>();
      for (int j = 0; j < 2; j++) {
        Poplar1VerifyStep step = poplar.verifyNext(states.get(j),
            poplar.decodeVerifierMessage(states.get(j), HEX.parseHex(want1)));
        if (!(step instanceof Poplar1VerifyStep.Continue c)) {
          throw new Mismatch(at + "round 1 of aggregator " + j + " did not continue");
        }
        String want = rep.get("prep_shares").get(1).get(j).asText();
        VectorChecker.expectHex(at + "prep_shares[1][" + j + "]", poplar.encodeVerifierShare(c.share()), want);
        round2.add(poplar.decodeVerifierShare(c.state(), HEX.parseHex(want)));
        states.set(j, c.state());
      }
      Poplar1VerifierMessage msg2 = poplar.verifierSharesToMessage(aggParam, round2);
      String want2 = rep.get("prep_messages").get(1).asText();
      VectorChecker.expectHex(at + "prep_messages[1]", poplar.encodeVerifierMessage(msg2), want2);
      for (int j = 0; j < 2; j++) {
        Poplar1VerifyStep step = poplar.verifyNext(states.get(j),
            poplar.decodeVerifierMessage(states.get(j), HEX.parseHex(want2)));
        if (!(step instanceof Poplar1VerifyStep.Finish f)) {
          throw new Mismatch(at + "round 2 of aggregator " + j + " did not finish");
        }
        StringBuilder want = new StringBuilder();
        rep.get("out_shares").get(j).forEach(e -> want.append(e.asText()));
        VectorChecker.expectHex(at + "out_shares[" + j + "]", poplar.encodeOutputShare(f.outputShare()),
            want.toString());
        outShares.get(j).add(f.outputShare());
      }
    }
    List<Poplar1AggregateShare> aggShares = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      Poplar1AggregateShare agg = poplar.aggregate(aggParam, outShares.get(j));
      String want = v.get("agg_shares").get(j).asText();
      VectorChecker.expectHex("agg_shares[" + j + "]", poplar.encodeAggregateShare(agg), want);
      aggShares.add(poplar.decodeAggregateShare(aggParam, HEX.parseHex(want)));
    }
    List<Long> result = poplar.unshard(aggParam, aggShares, reports.size());
    List<Long> want = Prio3Vectors.longList(v.get("agg_result"));
    if (!want.equals(result)) {
      throw new Mismatch("agg_result: got " + result + ", want " + want);
    }
    return "Poplar1(bits=" + poplar.bits() + "), level " + aggParam.level() + ", "
        + prefixes.size() + " prefixes, " + reports.size() + " report(s): every step matches";
  }

  static String replayIdpf(JsonNode v) throws Mismatch, DecodeException {
    int bits = v.get("bits").asInt();
    IdpfPoplar idpf = new IdpfPoplar(bits, 2);
    BigInteger alpha = VectorChecker.bigInteger(v.get("alpha"));
    List<long[]> beta = new ArrayList<>();
    long[][] betaInner = new long[bits - 1][];
    for (int level = 0; level < bits - 1; level++) {
      betaInner[level] = elements(Field64.INSTANCE, v.get("beta_inner").get(level));
      beta.add(betaInner[level]);
    }
    long[] betaLeaf = elements(Field255.INSTANCE, v.get("beta_leaf"));
    beta.add(betaLeaf);
    byte[] binder = VectorChecker.hex(v, "binder");
    byte[] rand = new byte[IdpfPoplar.RAND_SIZE];
    byte[] key0 = HEX.parseHex(v.get("keys").get(0).asText());
    byte[] key1 = HEX.parseHex(v.get("keys").get(1).asText());
    System.arraycopy(key0, 0, rand, 0, IdpfPoplar.KEY_SIZE);
    System.arraycopy(key1, 0, rand, IdpfPoplar.KEY_SIZE, IdpfPoplar.KEY_SIZE);
    IdpfPoplar.Keys keys = idpf.gen(alpha, betaInner, betaLeaf, binder, rand);
    VectorChecker.expectHex("public_share", idpf.encodePublicShare(keys.publicShare()),
        v.get("public_share").asText());
    VectorChecker.expectHex("keys[0]", keys.key(0), HEX.formatHex(key0));
    VectorChecker.expectHex("keys[1]", keys.key(1), HEX.formatHex(key1));
    IdpfPoplar.PublicShare ps = idpf.decodePublicShare(VectorChecker.hex(v, "public_share"));
    int evaluated = checkPointFunction(bits, alpha, beta, idpf::currentField,
        (aggId, level, prefixes) -> idpf.eval(aggId, ps, aggId == 0 ? key0 : key1, level,
            prefixes, binder));
    return "IdpfPoplar(bits=" + bits + "): public share and keys match; " + evaluated
        + " prefixes over " + bits + " levels evaluate to the point function";
  }

  /** An IDPF's eval of one key at a level over prefixes (flattened VALUE_LEN 2 elements each). */
  interface Eval {
    long[] at(int aggId, int level, List<BigInteger> prefixes) throws DecodeException;
  }

  /**
   * Evaluates both keys at every prefix of every level and checks that the shares sum to beta on
   * alpha's path and to zero elsewhere; returns how many prefixes were checked.
   */
  static int checkPointFunction(int bits, BigInteger alpha, List<long[]> beta,
      IntFunction<Field> fieldAt, Eval eval) throws Mismatch, DecodeException {
    int evaluated = 0;
    for (int level = 0; level < bits; level++) {
      Field f = fieldAt.apply(level);
      List<BigInteger> prefixes = new ArrayList<>();
      for (int p = 0; p < 1 << (level + 1); p++) {
        prefixes.add(BigInteger.valueOf(p));
      }
      long[] s0 = eval.at(0, level, prefixes);
      long[] s1 = eval.at(1, level, prefixes);
      BigInteger onPath = alpha.shiftRight(bits - 1 - level);
      for (int p = 0; p < prefixes.size(); p++) {
        for (int k = 0; k < 2; k++) {
          long[] sum = f.alloc(1);
          f.add(s0, p * 2 + k, s1, p * 2 + k, sum, 0);
          BigInteger want = prefixes.get(p).equals(onPath)
              ? f.toBigInteger(beta.get(level), k) : BigInteger.ZERO;
          if (!f.toBigInteger(sum, 0).equals(want)) {
            throw new Mismatch("level " + level + ", prefix " + p + ", element " + k
                + ": the shares sum to " + f.toBigInteger(sum, 0) + ", want " + want);
          }
        }
        evaluated++;
      }
    }
    return evaluated;
  }

  /** Field elements from a JSON list of decimal strings. */
  static long[] elements(Field f, JsonNode decimals) {
    long[] r = f.alloc(decimals.size());
    for (int i = 0; i < decimals.size(); i++) {
      f.set(r, i, VectorChecker.bigInteger(decimals.get(i)));
    }
    return r;
  }
}
