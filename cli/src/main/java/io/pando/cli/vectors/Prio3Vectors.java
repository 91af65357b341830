package io.pando.cli.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.pando.vdaf.field.Field128;
import io.pando.vdaf.flp.MultihotCountVec;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.xof.XofTurboShake128;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Maps a VDAF-08 Prio3 vector's parameters to the Prio3 variants that could have produced it, and
 * converts its JSON measurements and results into the variants' Java types.
 */
final class Prio3Vectors {
  private Prio3Vectors() {}

  /** A Prio3 variant to try, with converters for measurement and result. */
  record Candidate(String name, Prio3<Object, Object> prio3, Function<JsonNode, Object> meas,
      Function<JsonNode, Object> res) {
    Object measurement(JsonNode report) {
      return meas.apply(report.get("measurement"));
    }

    Object result(JsonNode aggResult) {
      return res.apply(aggResult);
    }
  }

  @SuppressWarnings("unchecked")
  static Candidate candidate(String name, Prio3<?, ?> prio3,
      Function<JsonNode, Object> meas, Function<JsonNode, Object> res) {
    return new Candidate(name, (Prio3<Object, Object>) prio3, meas, res);
  }

  static List<Candidate> candidates(Path file, JsonNode v) {
    boolean hasBits = v.has("bits");
    boolean hasLength = v.has("length");
    boolean hasChunk = v.has("chunk_length");
    List<Candidate> out = new ArrayList<>();
    if (!hasBits && !hasLength) {
      out.add(candidate("Prio3Count", Prio3.count(),
          m -> m.asLong() == 1, Prio3Vectors::asLong));
      return out;
    }
    if (hasBits && !hasLength) {
      int bits = v.get("bits").asInt();
      out.add(candidate("Prio3Sum(bits=" + bits + ")", Prio3.sum(bits),
          JsonNode::asLong, VectorChecker::bigInteger));
      return out;
    }
    int length = v.get("length").asInt();
    int chunk = hasChunk ? v.get("chunk_length").asInt() : 0;
    if (hasBits) {
      int bits = v.get("bits").asInt();
      String p = "(length=" + length + ", bits=" + bits + ", chunk_length=" + chunk + ")";
      out.add(candidate("Prio3SumVec" + p, Prio3.sumVec(length, bits, chunk),
          Prio3Vectors::longList, Prio3Vectors::bigIntegerList));
      // Field64 multiproof variants (private codepoint 0xFFFFFFFF): the draft's experimental
      // Prio3SumVecWithMultiproof and the deployed three-proof form.
      for (int proofs = 2; proofs <= 8; proofs++) {
        out.add(candidate("Prio3SumVecField64Multiproof" + p.replace(")", ", proofs=" + proofs
            + ")"), Prio3.sumVecField64Multiproof(0xFFFFFFFF, XofTurboShake128.INSTANCE, proofs,
                length, bits, chunk), Prio3Vectors::longList, Prio3Vectors::bigIntegerList));
      }
      return out;
    }
    if (v.has("max_weight")) {
      int maxWeight = v.get("max_weight").asInt();
      out.add(candidate("Prio3MultihotCountVec(length=" + length + ", max_weight=" + maxWeight
              + ", chunk_length=" + chunk + ")",
          Prio3.multihotCountVec(length, maxWeight, chunk),
          Prio3Vectors::boolList, Prio3Vectors::longList));
      return out;
    }
    if (v.has("max_count")) {
      int maxCount = v.get("max_count").asInt();
      out.add(candidate("Prio3MultiHotHistogram(length=" + length + ", max_count=" + maxCount
              + ", chunk_length=" + chunk + ")",
          new Prio3<>(0xFFFFFFFF, "Prio3MultiHotHistogram",
              new MultihotCountVec(Field128.INSTANCE, length, maxCount, chunk),
              XofTurboShake128.INSTANCE, 1, 2),
          Prio3Vectors::boolList, Prio3Vectors::longList));
      return out;
    }
    out.add(candidate("Prio3Histogram(length=" + length + ", chunk_length=" + chunk + ")",
        Prio3.histogram(length, chunk), JsonNode::asInt, Prio3Vectors::longList));
    return out;
  }

  static Object asLong(JsonNode n) {
    return n.asLong();
  }

  static List<Long> longList(JsonNode n) {
    List<Long> r = new ArrayList<>();
    n.forEach(e -> r.add(e.asLong()));
    return List.copyOf(r);
  }

  static List<Boolean> boolList(JsonNode n) {
    List<Boolean> r = new ArrayList<>();
    n.forEach(e -> r.add(e.isBoolean() ? e.asBoolean() : e.asLong() == 1));
    return List.copyOf(r);
  }

  static List<BigInteger> bigIntegerList(JsonNode n) {
    List<BigInteger> r = new ArrayList<>();
    n.forEach(e -> r.add(VectorChecker.bigInteger(e)));
    return List.copyOf(r);
  }
}
