package io.pando.core.vdaf;

import io.pando.vdaf.VdafVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The VDAF object of the DAP interop test API (draft-dcook-ppm-dap-interop-test-design, "Common
 * Structures: VDAF"): {@code type} and the VDAF's parameters, each an integer written in base 10
 * as a JSON string. Types and parameter names are the draft's ({@code Prio3Count},
 * {@code Prio3Sum} with {@code bits}, {@code Prio3SumVec} with {@code bits}, {@code length},
 * {@code chunk_length}, {@code Prio3Histogram} with {@code length}, {@code chunk_length}) and, for
 * VDAFs the draft does not define, Janus's: {@code Prio3SumVecField64MultiproofHmacSha256Aes128}
 * with {@code proofs}, {@code bits}, {@code length}, {@code chunk_length}, and
 * {@code Prio3MultihotCountVec} with {@code length}, {@code max_weight}, {@code chunk_length}.
 * Keys a type does not define are ignored, as the draft adds keys for new VDAFs.
 */
public final class InteropVdaf {
  /** PROOFS of the multiproof SumVec this project implements (codepoint 0xFFFF1003). */
  public static final int MULTIPROOF_PROOFS = 3;

  private static final Map<String, List<String>> PARAMETERS = Map.of(
      "Prio3Count", List.of(),
      "Prio3Sum", List.of("bits"),
      "Prio3SumVec", List.of("bits", "length", "chunk_length"),
      "Prio3Histogram", List.of("length", "chunk_length"),
      "Prio3MultihotCountVec", List.of("length", "max_weight", "chunk_length"),
      "Prio3SumVecField64MultiproofHmacSha256Aes128",
      List.of("proofs", "bits", "length", "chunk_length"),
      "Poplar1", List.of("bits"));

  /**
   * The draft-20 VDAFs of DAP-18 tasks (DAP-18 Appendix B) and their draft-20 parameter names:
   * {@code Prio3Sum}, {@code Prio3SumVec} take {@code max_measurement} in place of {@code bits}.
   */
  private static final Map<String, List<String>> DRAFT20_PARAMETERS = Map.of(
      "Prio3Count", List.of(),
      "Prio3Sum", List.of("max_measurement"),
      "Prio3SumVec", List.of("length", "max_measurement", "chunk_length"),
      "Prio3Histogram", List.of("length", "chunk_length"),
      "Prio3MultihotCountVec", List.of("length", "max_weight", "chunk_length"),
      "Poplar1", List.of("bits"));

  private InteropVdaf() {}

  /**
   * The VDAF an interop VDAF object names.
   *
   * @throws IllegalArgumentException naming the field at fault: an unknown or unsupported type, a
   *     missing parameter, a parameter that is not a base-10 string, or parameters the VDAF
   *     refuses
   */
  public static VdafInstance parse(Map<String, ?> vdaf) {
    return parse(vdaf, PARAMETERS, VdafVersion.DRAFT_08);
  }

  /**
   * The draft-20 VDAF an interop VDAF object of a DAP-18 task names: one of DAP-18 Appendix B's
   * VDAFs with its draft-20 parameters, each a base-10 string ({@code Prio3Sum} {@code
   * max_measurement}; {@code Prio3SumVec} {@code length}, {@code max_measurement}, {@code
   * chunk_length}; the others as for {@link #parse}).
   *
   * @throws IllegalArgumentException as {@link #parse}
   */
  public static VdafInstance parseDraft20(Map<String, ?> vdaf) {
    return parse(vdaf, DRAFT20_PARAMETERS, VdafVersion.DRAFT_20);
  }

  private static VdafInstance parse(Map<String, ?> vdaf, Map<String, List<String>> parameters,
      VdafVersion version) {
    if (vdaf == null) {
      throw new IllegalArgumentException("vdaf is required");
    }
    if (!(vdaf.get("type") instanceof String type)) {
      throw new IllegalArgumentException("vdaf.type is required (a string)");
    }
    List<String> names = parameters.get(type);
    if (names == null) {
      throw new IllegalArgumentException("vdaf.type " + type + " is not supported (supported: "
          + String.join(", ", new TreeSet<>(parameters.keySet())) + ")");
    }
    Map<String, Integer> params = new LinkedHashMap<>();
    for (String name : names) {
      params.put(name, decimal(vdaf.get(name), "vdaf." + name));
    }
    if (params.containsKey("proofs") && params.remove("proofs") != MULTIPROOF_PROOFS) {
      throw new IllegalArgumentException("vdaf.proofs must be \"" + MULTIPROOF_PROOFS + "\" for "
          + type + " (the deployed variant; others are not implemented)");
    }
    try {
      return version == VdafVersion.DRAFT_08 ? VdafInstance.of(type, params)
          : VdafInstance.of(version, type, params);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vdaf: " + e.getMessage(), e);
    }
  }

  /** The interop VDAF object of a VDAF: its type and parameters as base-10 strings. */
  public static Map<String, String> toJson(VdafInstance v) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("type", v.type());
    if (v instanceof VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128) {
      m.put("proofs", Integer.toString(MULTIPROOF_PROOFS));
    }
    v.parameters().forEach((k, x) -> m.put(k, Integer.toString(x)));
    return m;
  }

  /** A non-negative integer written in base 10 as a JSON string, as the draft requires. */
  static int decimal(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!(value instanceof String s) || !s.matches("[0-9]{1,9}")) {
      throw new IllegalArgumentException(field + " must be an integer written in base 10 as a"
          + " string, got " + (value instanceof String ? "\"" + value + "\"" : value));
    }
    return Integer.parseInt(s);
  }
}
