package io.pando.core.vdaf;

import io.pando.dap.messages.dap18.VdafConfig;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.prio3.Prio3;

/**
 * The VDAF a DAP-18 {@code TaskConfiguration} names (DAP-18 Appendix B; draft-irtf-cfrg-vdaf-20
 * §7.4 and §8): what a client shards with and a collector unshards with, given only the task's
 * configuration.
 */
public final class Dap18Vdafs {
  private Dap18Vdafs() {}

  /**
   * The draft-20 Prio3 instance of a Prio3 configuration.
   *
   * @throws IllegalArgumentException for Poplar1, an unknown VDAF, or parameters out of range
   */
  public static Prio3<?, ?> prio3(VdafConfig config) {
    if (config instanceof VdafConfig.Prio3Count) {
      return Prio3.Draft20.count();
    } else if (config instanceof VdafConfig.Prio3Sum s) {
      return Prio3.Draft20.sum(s.maxMeasurement());
    } else if (config instanceof VdafConfig.Prio3SumVec s) {
      return Prio3.Draft20.sumVec(toInt(s.length(), "length"), s.maxMeasurement(),
          toInt(s.chunkLength(), "chunk_length"));
    } else if (config instanceof VdafConfig.Prio3Histogram h) {
      return Prio3.Draft20.histogram(toInt(h.length(), "length"),
          toInt(h.chunkLength(), "chunk_length"));
    } else if (config instanceof VdafConfig.Prio3MultihotCountVec m) {
      return Prio3.Draft20.multihotCountVec(toInt(m.length(), "length"),
          toInt(m.maxWeight(), "max_weight"), toInt(m.chunkLength(), "chunk_length"));
    }
    throw new IllegalArgumentException(config + " is not a Prio3 VDAF");
  }

  /**
   * The draft-20 Poplar1 instance of a Poplar1 configuration.
   *
   * @throws IllegalArgumentException for any other VDAF
   */
  public static Poplar1 poplar1(VdafConfig config) {
    if (config instanceof VdafConfig.Poplar1 p) {
      return new Poplar1(VdafVersion.DRAFT_20, p.bits());
    }
    throw new IllegalArgumentException(config + " is not Poplar1");
  }

  /**
   * Whether {@code vdaf} is the draft-20 Prio3 that {@code config} names: same draft, codepoint,
   * share lengths and verify key size.
   */
  public static boolean matches(VdafConfig config, Prio3<?, ?> vdaf) {
    Prio3<?, ?> named;
    try {
      named = prio3(config);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return named.version() == vdaf.version() && named.id() == vdaf.id()
        && named.verifyKeySize() == vdaf.verifyKeySize()
        && named.publicShareLength() == vdaf.publicShareLength()
        && named.inputShareLength(0) == vdaf.inputShareLength(0)
        && named.inputShareLength(1) == vdaf.inputShareLength(1)
        && named.flp().outputLen() == vdaf.flp().outputLen()
        && named.flp().measLen() == vdaf.flp().measLen();
  }

  /**
   * The configuration's VDAF as a {@link VdafInstance} (draft-20): a {@link
   * VdafInstance.Draft20Prio3} or a draft-20 {@link VdafInstance.Poplar1}.
   *
   * @throws IllegalArgumentException for an unknown VDAF or parameters that do not fit an int
   */
  public static VdafInstance instance(VdafConfig config) {
    if (config instanceof VdafConfig.Poplar1 p) {
      return new VdafInstance.Poplar1(p.bits(), VdafVersion.DRAFT_20);
    }
    java.util.Map<String, Integer> params = new java.util.LinkedHashMap<>();
    String type;
    if (config instanceof VdafConfig.Prio3Count) {
      type = "Prio3Count";
    } else if (config instanceof VdafConfig.Prio3Sum s) {
      type = "Prio3Sum";
      params.put("max_measurement", toInt(s.maxMeasurement(), "max_measurement"));
    } else if (config instanceof VdafConfig.Prio3SumVec s) {
      type = "Prio3SumVec";
      params.put("length", toInt(s.length(), "length"));
      params.put("max_measurement", toInt(s.maxMeasurement(), "max_measurement"));
      params.put("chunk_length", toInt(s.chunkLength(), "chunk_length"));
    } else if (config instanceof VdafConfig.Prio3Histogram h) {
      type = "Prio3Histogram";
      params.put("length", toInt(h.length(), "length"));
      params.put("chunk_length", toInt(h.chunkLength(), "chunk_length"));
    } else if (config instanceof VdafConfig.Prio3MultihotCountVec m) {
      type = "Prio3MultihotCountVec";
      params.put("length", toInt(m.length(), "length"));
      params.put("max_weight", toInt(m.maxWeight(), "max_weight"));
      params.put("chunk_length", toInt(m.chunkLength(), "chunk_length"));
    } else {
      throw new IllegalArgumentException(config + " is not a VDAF this implementation runs");
    }
    return VdafInstance.of(VdafVersion.DRAFT_20, type, params);
  }

  /**
   * The configuration of a draft-20 VDAF as a DAP-18 TaskConfiguration carries it (Appendix B);
   * the inverse of {@link #instance}.
   *
   * @throws IllegalArgumentException for a VDAF of another draft or without a draft-18
   *     configuration encoding
   */
  public static VdafConfig config(VdafInstance vdaf) {
    if (vdaf.version() != VdafVersion.DRAFT_20) {
      throw new IllegalArgumentException(vdaf.type() + " of " + vdaf.version()
          + " is not a draft-20 VDAF; DAP-18 tasks take draft-20 VDAFs");
    }
    java.util.Map<String, Integer> p = vdaf.parameters();
    switch (vdaf.type()) {
      case "Prio3Count":
        return new VdafConfig.Prio3Count();
      case "Prio3Sum":
        return new VdafConfig.Prio3Sum(p.get("max_measurement"));
      case "Prio3SumVec":
        return new VdafConfig.Prio3SumVec(p.get("length"), p.get("max_measurement"),
            p.get("chunk_length"));
      case "Prio3Histogram":
        return new VdafConfig.Prio3Histogram(p.get("length"), p.get("chunk_length"));
      case "Prio3MultihotCountVec":
        return new VdafConfig.Prio3MultihotCountVec(p.get("length"), p.get("chunk_length"),
            p.get("max_weight"));
      case "Poplar1":
        return new VdafConfig.Poplar1(p.get("bits"));
      default:
        throw new IllegalArgumentException(vdaf.type()
            + " has no configuration encoding in draft-18 (Appendix B); DAP-18 tasks take"
            + " Prio3Count, Prio3Sum, Prio3SumVec, Prio3Histogram, Prio3MultihotCountVec or"
            + " Poplar1");
    }
  }

  private static int toInt(long v, String name) {
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " " + v + " is too large");
    }
    return (int) v;
  }
}
