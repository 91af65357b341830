package io.pando.cli.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyInit;
import io.pando.vdaf.prio3.VerifierMessage;
import io.pando.vdaf.prio3.VerifierShare;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.PublicShare;
import io.pando.vdaf.prio3.Sharded;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a draft-20 Prio3 vector (the {@code operations} schema of draft-17 and later): each
 * operation in order, comparing every encoding it produces with the vector's, and for an
 * operation marked {@code "success": false} (the negative {@code _bad_*} vectors) checking that it
 * is refused at exactly that step.
 */
final class Draft20Prio3 {
  private static final HexFormat HEX = HexFormat.of();

  private Draft20Prio3() {}

  /** The draft-20 Prio3 variant a file holds, from its name and parameters; null if none. */
  static Prio3Vectors.Candidate candidate(Path file, JsonNode v) {
    String name = file.getFileName().toString();
    int shares = v.get("shares").asInt();
    Prio3Vectors.Candidate c = byName(name, v);
    if (c == null) {
      return null;
    }
    return c.prio3().shares() == shares ? c
        : new Prio3Vectors.Candidate(c.name() + " with " + shares + " shares",
            c.prio3().withShares(shares), c.meas(), c.res());
  }

  private static Prio3Vectors.Candidate byName(String name, JsonNode v) {
    if (name.startsWith("Prio3Count")) {
      return Prio3Vectors.candidate("Prio3Count", Prio3.Draft20.count(),
          m -> m.asLong() == 1, Prio3Vectors::asLong);
    }
    if (name.startsWith("Prio3HigherDegree")) {
      return Prio3Vectors.candidate("Prio3HigherDegree", Prio3.Draft20.higherDegree(),
          JsonNode::asLong, VectorChecker::bigInteger);
    }
    if (name.startsWith("Prio3SumVecWithMultiproof")) {
      int length = v.get("length").asInt();
      long max = v.get("max_measurement").asLong();
      int chunk = v.get("chunk_length").asInt();
      return Prio3Vectors.candidate("Prio3SumVecWithMultiproof(Field64, proofs=3, length="
              + length + ", max_measurement=" + max + ", chunk_length=" + chunk + ")",
          Prio3.Draft20.sumVecWithMultiproof(Field64.INSTANCE, 3, length, max, chunk),
          Prio3Vectors::longList, Prio3Vectors::bigIntegerList);
    }
    if (name.startsWith("Prio3SumVec")) {
      int length = v.get("length").asInt();
      long max = v.get("max_measurement").asLong();
      int chunk = v.get("chunk_length").asInt();
      return Prio3Vectors.candidate("Prio3SumVec(length=" + length + ", max_measurement=" + max
              + ", chunk_length=" + chunk + ")",
          Prio3.Draft20.sumVec(length, max, chunk),
          Prio3Vectors::longList, Prio3Vectors::bigIntegerList);
    }
    if (name.startsWith("Prio3Sum")) {
      long max = v.get("max_measurement").asLong();
      return Prio3Vectors.candidate("Prio3Sum(max_measurement=" + max + ")",
          Prio3.Draft20.sum(max), JsonNode::asLong, VectorChecker::bigInteger);
    }
    if (name.startsWith("Prio3Histogram")) {
      int length = v.get("length").asInt();
      int chunk = v.get("chunk_length").asInt();
      return Prio3Vectors.candidate("Prio3Histogram(length=" + length + ", chunk_length=" + chunk
              + ")", Prio3.Draft20.histogram(length, chunk),
          JsonNode::asInt, Prio3Vectors::longList);
    }
    if (name.startsWith("Prio3MultihotCountVec")) {
      int length = v.get("length").asInt();
      int maxWeight = v.get("max_weight").asInt();
      int chunk = v.get("chunk_length").asInt();
      return Prio3Vectors.candidate("Prio3MultihotCountVec(length=" + length + ", max_weight="
              + maxWeight + ", chunk_length=" + chunk + ")",
          Prio3.Draft20.multihotCountVec(length, maxWeight, chunk),
          Prio3Vectors::boolList, Prio3Vectors::longList);
    }
    return null;
  }

  /**
   * Runs the operations; returns a summary. Throws Mismatch when a value differs, an expected
   * failure does not happen, or an operation fails that should not.
   */
  static String replay(Prio3Vectors.Candidate c, JsonNode v) throws Mismatch {
    Prio3<Object, Object> prio3 = c.prio3();
    int shares = prio3.shares();
    byte[] verifyKey = VectorChecker.hex(v, "verify_key");
    byte[] ctx = VectorChecker.hex(v, "ctx");
    JsonNode reports = v.get("reports");
    Map<Integer, List<VerifyInit>> inits = new HashMap<>();
    Map<Integer, Map<Integer, OutputShare>> outShares = new TreeMap<>();
    List<AggregateShare> aggShares = new ArrayList<>();
    int refused = 0;
    int steps = 0;
    for (JsonNode op : v.get("operations")) {
      String kind = op.get("operation").asText();
      boolean success = op.get("success").asBoolean();
      int r = op.path("report_index").asInt(-1);
      int j = op.path("aggregator_id").asInt(-1);
      JsonNode rep = r >= 0 ? reports.get(r) : null;
      String at = kind + (r >= 0 ? " of report " + r : "") + (j >= 0 ? " by aggregator " + j : "");
      steps++;
      try {
        switch (kind) {
          case "shard" -> {
            Sharded s = prio3.shard(ctx, c.measurement(rep), VectorChecker.hex(rep, "nonce"),
                VectorChecker.hex(rep, "rand"));
            VectorChecker.expectHex(at + ": public_share", prio3.encodePublicShare(s.publicShare()),
                rep.get("public_share").asText());
            for (int a = 0; a < shares; a++) {
              VectorChecker.expectHex(at + ": input_shares[" + a + "]",
                  prio3.encodeInputShare(s.inputShares().get(a)),
                  rep.get("input_shares").get(a).asText());
            }
          }
          case "verify_init" -> {
            PublicShare ps = prio3.decodePublicShare(VectorChecker.hex(rep, "public_share"));
            VerifyInit init = prio3.verifyInit(verifyKey, ctx, j, VectorChecker.hex(rep, "nonce"),
                ps, prio3.decodeInputShare(j, HEX.parseHex(
                    rep.get("input_shares").get(j).asText())));
            inits.computeIfAbsent(r, k -> new ArrayList<>(java.util.Collections.nCopies(shares,
                (VerifyInit) null))).set(j, init);
            VectorChecker.expectHex(at + ": verifier_shares[0][" + j + "]", prio3.encodeVerifierShare(init.share()),
                rep.get("verifier_shares").get(0).get(j).asText());
          }
          case "verifier_shares_to_message" -> {
            List<VerifierShare> vs = new ArrayList<>();
            for (JsonNode e : rep.get("verifier_shares").get(op.get("round").asInt())) {
              vs.add(prio3.decodeVerifierShare(HEX.parseHex(e.asText())));
            }
            VerifierMessage msg = prio3.verifierSharesToMessage(ctx, vs);
            VectorChecker.expectHex(at + ": verifier_messages[0]", prio3.encodeVerifierMessage(msg),
                rep.get("verifier_messages").get(0).asText());
          }
          case "verify_next" -> {
            VerifyInit init = inits.get(r).get(j);
            OutputShare out = prio3.verifyNext(init.state(), prio3.decodeVerifierMessage(
                HEX.parseHex(rep.get("verifier_messages").get(0).asText())));
            VectorChecker.expectHex(at + ": out_shares[" + j + "]", prio3.encodeOutputShare(out),
                rep.get("out_shares").get(j).asText());
            outShares.computeIfAbsent(j, k -> new TreeMap<>()).put(r, out);
          }
          case "aggregate" -> {
            AggregateShare agg = prio3.aggregate(outShares.getOrDefault(j, Map.of()).values());
            String want = v.get("agg_shares").get(j).asText();
            VectorChecker.expectHex(at + ": agg_shares[" + j + "]", prio3.encodeAggregateShare(agg), want);
            aggShares.add(prio3.decodeAggregateShare(HEX.parseHex(want)));
          }
          case "unshard" -> {
            Object result = prio3.unshard(aggShares, outShares.getOrDefault(0, Map.of()).size());
            Object want = c.result(v.get("agg_result"));
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
    return c.name() + ": " + reports.size() + " report(s), " + steps + " operation(s) match"
        + (refused > 0 ? ", " + refused + " refused where the vector says so" : "");
  }
}
