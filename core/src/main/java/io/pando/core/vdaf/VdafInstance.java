package io.pando.core.vdaf;

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
   * The instance for a type name and parameters; names are matched without regard to case.
   *
   * @throws IllegalArgumentException for an unknown type, a missing parameter, or parameters the
   *     VDAF refuses
   */
  static VdafInstance of(String type, Map<String, ? extends Number> p) {
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
