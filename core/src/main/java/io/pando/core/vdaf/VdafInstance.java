package io.pando.core.vdaf;

import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.prio3.Prio3;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The VDAFs a DAP task can use, with their parameters: the one place where a task's VDAF
 * description becomes a {@link Prio3} instance. Names and parameter names follow Janus and the
 * DAP interop test API ({@code Prio3Sum} with {@code bits}, {@code Prio3Histogram} with
 * {@code length} and {@code chunk_length}, ...).
 */
public sealed interface VdafInstance {
  /** The VDAF's name, e.g. "Prio3Histogram". */
  String type();

  /** The parameters by their wire names, e.g. {length=10, chunk_length=3}. */
  Map<String, Integer> parameters();

  /** A fresh Prio3 instance (cheap; instances are immutable and thread-safe). */
  Prio3<?, ?> prio3();

  /** The VDAF draft the instance follows: draft-08 for every DAP-09 task. */
  default VdafVersion version() {
    return VdafVersion.DRAFT_08;
  }

  /**
   * Poplar1 (draft-08 §8, codepoint 0x00001000; draft-20 §8, codepoint 6) for measurements of
   * {@code bits} bits. A DAP-09 task names it {@code {"type": "Poplar1", "bits": N}}, which
   * {@link #of(String, Map)} reads as the draft-08 form; it has no Prio3 form, and its tasks go
   * through {@link DapVdaf} only.
   */
  record Poplar1(int bits, VdafVersion version) implements VdafInstance {
    public Poplar1 {
      new io.pando.vdaf.poplar1.Poplar1(version, bits); // validates bits
    }

    public String type() {
      return "Poplar1";
    }

    public Map<String, Integer> parameters() {
      return Map.of("bits", bits);
    }

    /** Always refused: Poplar1 is not a Prio3 VDAF; see {@link #poplar1()}. */
    public Prio3<?, ?> prio3() {
      throw new UnsupportedOperationException("Poplar1 is not a Prio3 VDAF");
    }

    /** A fresh Poplar1 instance. */
    public io.pando.vdaf.poplar1.Poplar1 poplar1() {
      return new io.pando.vdaf.poplar1.Poplar1(version, bits);
    }
  }

  /**
   * A Prio3 variant of draft-20 (§7.4; what the newest DAP draft uses): {@code Prio3Count},
   * {@code Prio3Sum} ({@code max_measurement}), {@code Prio3SumVec} ({@code length}, {@code
   * max_measurement}, {@code chunk_length}), {@code Prio3Histogram} ({@code length}, {@code
   * chunk_length}), {@code Prio3MultihotCountVec} ({@code length}, {@code max_weight}, {@code
   * chunk_length}) and {@code Prio3SumVecField64Multiproof} ({@code proofs}, {@code length},
   * {@code max_measurement}, {@code chunk_length}). DAP-09 tasks cannot use them.
   */
  record Draft20Prio3(String type, Map<String, Integer> parameters) implements VdafInstance {
    public Draft20Prio3 {
      parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    @Override
    public VdafVersion version() {
      return VdafVersion.DRAFT_20;
    }

    public Prio3<?, ?> prio3() {
      Map<String, Integer> p = parameters;
      return switch (type) {
        case "Prio3Count" -> Prio3.Draft20.count();
        case "Prio3Sum" -> Prio3.Draft20.sum(get(p, "max_measurement"));
        case "Prio3SumVec" -> Prio3.Draft20.sumVec(get(p, "length"), get(p, "max_measurement"),
            get(p, "chunk_length"));
        case "Prio3Histogram" -> Prio3.Draft20.histogram(get(p, "length"),
            get(p, "chunk_length"));
        case "Prio3MultihotCountVec" -> Prio3.Draft20.multihotCountVec(get(p, "length"),
            get(p, "max_weight"), get(p, "chunk_length"));
        case "Prio3SumVecField64Multiproof" -> Prio3.Draft20.sumVecWithMultiproof(
            io.pando.vdaf.field.Field64.INSTANCE, get(p, "proofs"), get(p, "length"),
            get(p, "max_measurement"), get(p, "chunk_length"));
        default -> throw new IllegalArgumentException("unknown draft-20 VDAF type " + type);
      };
    }
  }

  record Prio3Count() implements VdafInstance {
    public String type() {
      return "Prio3Count";
    }

    public Map<String, Integer> parameters() {
      return Map.of();
    }

    public Prio3<Boolean, Long> prio3() {
      return Prio3.count();
    }
  }

  record Prio3Sum(int bits) implements VdafInstance {
    public String type() {
      return "Prio3Sum";
    }

    public Map<String, Integer> parameters() {
      return Map.of("bits", bits);
    }

    public Prio3<Long, java.math.BigInteger> prio3() {
      return Prio3.sum(bits);
    }
  }

  record Prio3SumVec(int length, int bits, int chunkLength) implements VdafInstance {
    public String type() {
      return "Prio3SumVec";
    }

    public Map<String, Integer> parameters() {
      return ordered("length", length, "bits", bits, "chunk_length", chunkLength);
    }

    public Prio3<java.util.List<Long>, java.util.List<java.math.BigInteger>> prio3() {
      return Prio3.sumVec(length, bits, chunkLength);
    }
  }

  record Prio3Histogram(int length, int chunkLength) implements VdafInstance {
    public String type() {
      return "Prio3Histogram";
    }

    public Map<String, Integer> parameters() {
      return ordered("length", length, "chunk_length", chunkLength);
    }

    public Prio3<Integer, java.util.List<Long>> prio3() {
      return Prio3.histogram(length, chunkLength);
    }
  }

  record Prio3MultihotCountVec(int length, int maxWeight, int chunkLength)
      implements VdafInstance {
    public String type() {
      return "Prio3MultihotCountVec";
    }

    public Map<String, Integer> parameters() {
      return ordered("length", length, "max_weight", maxWeight, "chunk_length", chunkLength);
    }

    public Prio3<java.util.List<Boolean>, java.util.List<Long>> prio3() {
      return Prio3.multihotCountVec(length, maxWeight, chunkLength);
    }
  }

  /** Janus's private codepoint 0xFFFF1003. */
  record Prio3SumVecField64MultiproofHmacSha256Aes128(int length, int bits, int chunkLength)
      implements VdafInstance {
    public String type() {
      return "Prio3SumVecField64MultiproofHmacSha256Aes128";
    }

    public Map<String, Integer> parameters() {
      return ordered("length", length, "bits", bits, "chunk_length", chunkLength);
    }

    public Prio3<java.util.List<Long>, java.util.List<java.math.BigInteger>> prio3() {
      return Prio3.sumVecField64MultiproofHmacSha256Aes128(length, bits, chunkLength);
    }
  }

  /**
   * The instance for a type name and parameters as a DAP-09 task names them (draft-08);
   * names are matched without regard to case.
   *
   * @throws IllegalArgumentException for an unknown type, a missing parameter, or parameters the
   *     VDAF refuses
   */
  static VdafInstance of(String type, Map<String, ? extends Number> p) {
    if (type.equalsIgnoreCase("poplar1")) {
      return new Poplar1(get(p, "bits"), VdafVersion.DRAFT_08); // validates bits
    }
    VdafInstance v = switch (type.toLowerCase(Locale.ROOT)) {
      case "prio3count" -> new Prio3Count();
      case "prio3sum" -> new Prio3Sum(get(p, "bits"));
      case "prio3sumvec" -> new Prio3SumVec(get(p, "length"), get(p, "bits"),
          get(p, "chunk_length"));
      case "prio3histogram" -> new Prio3Histogram(get(p, "length"), get(p, "chunk_length"));
      case "prio3multihotcountvec" -> new Prio3MultihotCountVec(get(p, "length"),
          get(p, "max_weight"), get(p, "chunk_length"));
      case "prio3sumvecfield64multiproofhmacsha256aes128" ->
          new Prio3SumVecField64MultiproofHmacSha256Aes128(get(p, "length"), get(p, "bits"),
              get(p, "chunk_length"));
      default -> throw new IllegalArgumentException("unknown VDAF type " + type);
    };
    v.prio3(); // validates the parameters
    return v;
  }

  /**
   * The instance of a draft for a type name and parameters: {@link #of(String, Map)} for
   * draft-08 Prio3, a {@link Draft20Prio3} for draft-20, {@link Poplar1} for "Poplar1".
   *
   * @throws IllegalArgumentException as {@link #of(String, Map)}
   */
  static VdafInstance of(VdafVersion version, String type, Map<String, ? extends Number> p) {
    if (type.equalsIgnoreCase("poplar1")) {
      return new Poplar1(get(p, "bits"), version);
    }
    if (version == VdafVersion.DRAFT_08) {
      return of(type, p);
    }
    String name = switch (type.toLowerCase(Locale.ROOT)) {
      case "prio3count" -> "Prio3Count";
      case "prio3sum" -> "Prio3Sum";
      case "prio3sumvec" -> "Prio3SumVec";
      case "prio3histogram" -> "Prio3Histogram";
      case "prio3multihotcountvec" -> "Prio3MultihotCountVec";
      case "prio3sumvecfield64multiproof" -> "Prio3SumVecField64Multiproof";
      default -> throw new IllegalArgumentException("unknown draft-20 VDAF type " + type);
    };
    Map<String, Integer> params = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends Number> e : p.entrySet()) {
      params.put(e.getKey(), get(p, e.getKey()));
    }
    VdafInstance v = new Draft20Prio3(name, params);
    v.prio3(); // validates the parameters
    return v;
  }

  private static int get(Map<String, ? extends Number> p, String name) {
    Number n = p.get(name);
    if (n == null) {
      throw new IllegalArgumentException("missing VDAF parameter " + name);
    }
    if (n.longValue() != n.doubleValue() || n.longValue() > Integer.MAX_VALUE
        || n.longValue() < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("VDAF parameter " + name + " must be an integer");
    }
    return n.intValue();
  }

  private static Map<String, Integer> ordered(Object... kv) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
