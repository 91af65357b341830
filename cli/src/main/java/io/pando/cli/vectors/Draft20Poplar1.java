package io.pando.cli.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.field.Field255;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.idpf.IdpfBBCGGI21;
import io.pando.vdaf.idpf.IdpfPoplar;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1AggregateShare;
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
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays the draft-20 Poplar1 vectors through their {@code operations} (both rounds of
 * verification, every encoding compared, negative vectors refused at the operation they mark),
 * and the IdpfBBCGGI21 vector (public share and keys from gen, eval of both keys at every prefix
 * of every level).
 */
final class Draft20Poplar1 {
  private static final HexFormat HEX = HexFormat.of();

  private Draft20Poplar1() {}

  /** One report's verification state through the operations. */
  private static final class Replay {
    final Poplar1VerifyState[] states = new Poplar1VerifyState[2];
    final Poplar1OutputShare[] out = new Poplar1OutputShare[2];
  }

  static String replayPoplar1(JsonNode v) throws Mismatch, DecodeException {
    Poplar1 poplar = new Poplar1(VdafVersion.DRAFT_20, v.get("bits").asInt());
    byte[] ctx = VectorChecker.hex(v, "ctx");
    byte[] verifyKey = VectorChecker.hex(v, "verify_key");
    Poplar1AggParam aggParam = poplar.decodeAggParam(VectorChecker.hex(v, "agg_param"));
    JsonNode reports = v.get("reports");
    Map<Integer, Replay> replays = new TreeMap<>();
    List<Poplar1AggregateShare> aggShares = new ArrayList<>();
    int steps = 0;
    int refused = 0;
    for (JsonNode op : v.get("operations")) {
      String kind = op.get("operation").asText();
      boolean success = op.get("success").asBoolean();
      int r = op.path("report_index").asInt(-1);
      int j = op.path("aggregator_id").asInt(-1);
      int round = op.path("round").asInt(-1);
      JsonNode rep = r >= 0 ? reports.get(r) : null;
      Replay replay = r >= 0 ? replays.computeIfAbsent(r, k -> new Replay()) : null;
      String at = kind + (r >= 0 ? " of report " + r : "") + (j >= 0 ? " by aggregator " + j : "")
          + (round >= 0 ? " in round " + round : "");
      steps++;
      try {
        switch (kind) {
          case "shard" -> {
            List<Boolean> m = new ArrayList<>();
            rep.get("measurement").forEach(b -> m.add(b.asBoolean()));
            Poplar1Sharded s = poplar.shard(ctx, IdpfBBCGGI21.index(m),
                VectorChecker.hex(rep, "nonce"), VectorChecker.hex(rep, "rand"));
            VectorChecker.expectHex(at + ": public_share", poplar.encodePublicShare(s.publicShare()),
                rep.get("public_share").asText());
            for (int a = 0; a < 2; a++) {
              VectorChecker.expectHex(at + ": input_shares[" + a + "]",
                  poplar.encodeInputShare(s.inputShares().get(a)),
                  rep.get("input_shares").get(a).asText());
            }
          }
          case "verify_init" -> {
            IdpfPoplar.PublicShare ps =
                poplar.decodePublicShare(VectorChecker.hex(rep, "public_share"));
            Poplar1VerifyInit init = poplar.verifyInit(verifyKey, ctx, j, aggParam,
                VectorChecker.hex(rep, "nonce"), ps, poplar.decodeInputShare(
                    HEX.parseHex(rep.get("input_shares").get(j).asText())));
            VectorChecker.expectHex(at + ": verifier_shares[0][" + j + "]", poplar.encodeVerifierShare(init.share()),
                rep.get("verifier_shares").get(0).get(j).asText());
            replay.states[j] = init.state();
          }
          case "verifier_shares_to_message" -> {
            List<Poplar1VerifierShare> shares = new ArrayList<>();
            for (int a = 0; a < 2; a++) {
              shares.add(poplar.decodeVerifierShare(replay.states[a],
                  HEX.parseHex(rep.get("verifier_shares").get(round).get(a).asText())));
            }
            Poplar1VerifierMessage m = poplar.verifierSharesToMessage(ctx, aggParam, shares);
            VectorChecker.expectHex(at + ": verifier_messages[" + round + "]", poplar.encodeVerifierMessage(m),
                rep.get("verifier_messages").get(round).asText());
          }
          case "verify_next" -> {
            Poplar1VerifyState state = replay.states[j];
            Poplar1VerifyStep step = poplar.verifyNext(ctx, state, poplar.decodeVerifierMessage(state,
                HEX.parseHex(rep.get("verifier_messages").get(round - 1).asText())));
            if (step instanceof Poplar1VerifyStep.Continue c) {
              VectorChecker.expectHex(at + ": verifier_shares[" + round + "][" + j + "]",
                  poplar.encodeVerifierShare(c.share()),
                  rep.get("verifier_shares").get(round).get(j).asText());
              replay.states[j] = c.state();
            } else {
              Poplar1OutputShare out = ((Poplar1VerifyStep.Finish) step).outputShare();
              VectorChecker.expectHex(at + ": out_shares[" + j + "]", poplar.encodeOutputShare(out),
                  rep.get("out_shares").get(j).asText());
              replay.out[j] = out;
            }
          }
          case "aggregate" -> {
            List<Poplar1OutputShare> outs = new ArrayList<>();
            for (Replay rp : replays.values()) {
              if (rp.out[j] != null) {
                outs.add(rp.out[j]);
              }
            }
            Poplar1AggregateShare agg = poplar.aggregate(aggParam, outs);
            String want = v.get("agg_shares").get(j).asText();
            VectorChecker.expectHex(at + ": agg_shares[" + j + "]", poplar.encodeAggregateShare(agg), want);
            aggShares.add(poplar.decodeAggregateShare(aggParam, HEX.parseHex(want)));
          }
          case "unshard" -> {
            long n = replays.values().stream().filter(rp -> rp.out[0] != null).count();
            List<Long> result = poplar.unshard(aggParam, aggShares, n);
            List<Long> want = Prio3Vectors.longList(v.get("agg_result"));
            if (!want.equals(result)) {
              throw new Mismatch(at + ": agg_result: got " + result + ", want " + want);
            }
          }
          default -> throw new Mismatch("unknown operation " + kind);
        }
        if (!success) {
          throw new Mismatch(at + " succeeded; the vector says it must fail");
        }
      } catch (VdafException | DecodeException | IllegalArgumentException e) {
        if (success) {
          throw new Mismatch(at + " failed: " + e.getMessage());
        }
        refused++;
      }
    }
    return "Poplar1(bits=" + poplar.bits() + "), level " + aggParam.level() + ", "
        + aggParam.prefixCount() + " prefixes: " + reports.size() + " report(s), " + steps
        + " operation(s) match" + (refused > 0 ? ", " + refused
        + " refused where the vector says so" : "");
  }

  static String replayIdpf(JsonNode v) throws Mismatch, DecodeException {
    int bits = v.get("bits").asInt();
    IdpfBBCGGI21 idpf = new IdpfBBCGGI21(bits, 2);
    List<Boolean> alphaBits = new ArrayList<>();
    v.get("alpha").forEach(b -> alphaBits.add(b.asBoolean()));
    BigInteger alpha = IdpfBBCGGI21.index(alphaBits);
    List<long[]> beta = new ArrayList<>();
    long[][] betaInner = new long[bits - 1][];
    for (int level = 0; level < bits - 1; level++) {
      betaInner[level] = Poplar1Vectors.elements(Field64.INSTANCE, v.get("beta_inner").get(level));
      beta.add(betaInner[level]);
    }
    long[] betaLeaf = Poplar1Vectors.elements(Field255.INSTANCE, v.get("beta_leaf"));
    beta.add(betaLeaf);
    byte[] ctx = VectorChecker.hex(v, "ctx");
    byte[] nonce = VectorChecker.hex(v, "nonce");
    byte[] key0 = HEX.parseHex(v.get("keys").get(0).asText());
    byte[] key1 = HEX.parseHex(v.get("keys").get(1).asText());
    byte[] rand = new byte[IdpfBBCGGI21.RAND_SIZE];
    System.arraycopy(key0, 0, rand, 0, IdpfBBCGGI21.KEY_SIZE);
    System.arraycopy(key1, 0, rand, IdpfBBCGGI21.KEY_SIZE, IdpfBBCGGI21.KEY_SIZE);
    IdpfBBCGGI21.Keys keys = idpf.gen(alpha, betaInner, betaLeaf, ctx, nonce, rand);
    VectorChecker.expectHex("public_share", idpf.encodePublicShare(keys.publicShare()),
        v.get("public_share").asText());
    VectorChecker.expectHex("keys[0]", keys.key(0), HEX.formatHex(key0));
    VectorChecker.expectHex("keys[1]", keys.key(1), HEX.formatHex(key1));
    IdpfPoplar.PublicShare ps = idpf.decodePublicShare(VectorChecker.hex(v, "public_share"));
    int evaluated = Poplar1Vectors.checkPointFunction(bits, alpha, beta, idpf::currentField,
        (aggId, level, prefixes) -> idpf.eval(aggId, ps, aggId == 0 ? key0 : key1, level,
            prefixes, ctx, nonce));
    return "IdpfBBCGGI21(bits=" + bits + "): public share and keys match; " + evaluated
        + " prefixes over " + bits + " levels evaluate to the point function";
  }
}
