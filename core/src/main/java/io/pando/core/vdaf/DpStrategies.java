package io.pando.core.vdaf;

import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.dp.Sensitivity;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A task's differential privacy strategy as task definitions write it, and the sensitivity of
 * the task's VDAF: the one place shared by the aggregator (which adds the noise) and the
 * collector tools (which say a result is noised). JSON form: {@code {"type":
 * "pure_dp_discrete_laplace", "epsilon": "1/2"}} or {@code {"type": "zcdp_discrete_gaussian",
 * "rho": "1/10"}}, the budget a string {@code "a/b"} or an integer.
 */
public final class DpStrategies {
  private DpStrategies() {}

  /**
   * The L1 and L2 sensitivity of a VDAF's aggregate under adding or removing one report.
   *
   * @throws IllegalArgumentException for a VDAF tasks cannot noise (draft-20 instances, Poplar1)
   */
  public static Sensitivity sensitivity(VdafInstance v) {
    if (v instanceof VdafInstance.Prio3Count) {
      return Sensitivity.count();
    } else if (v instanceof VdafInstance.Prio3Sum s) {
      return Sensitivity.sum(s.bits());
    } else if (v instanceof VdafInstance.Prio3Histogram) {
      return Sensitivity.histogram();
    } else if (v instanceof VdafInstance.Prio3SumVec s) {
      return Sensitivity.sumVec(s.length(), s.bits());
    } else if (v instanceof VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 s) {
      return Sensitivity.sumVec(s.length(), s.bits());
    } else if (v instanceof VdafInstance.Prio3MultihotCountVec m) {
      return Sensitivity.multihotCountVec(m.maxWeight());
    }
    throw new IllegalArgumentException("differential privacy is not supported for "
        + v.type());
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException for an unknown type, a missing, malformed or non-positive
   *     budget, or an unknown member
   */
  public static DpStrategy fromJson(Map<String, ?> json) {
    if (!(json.get("type") instanceof String type)) {
      throw new IllegalArgumentException("dp_strategy.type is required");
    }
    String budgetName = switch (type) {
      case DpStrategy.PureDpDiscreteLaplace.TYPE -> "epsilon";
      case DpStrategy.ZCdpDiscreteGaussian.TYPE -> "rho";
      default -> throw new IllegalArgumentException("dp_strategy.type must be "
          + DpStrategy.PureDpDiscreteLaplace.TYPE + " or "
          + DpStrategy.ZCdpDiscreteGaussian.TYPE);
    };
    for (String k : json.keySet()) {
      if (!Set.of("type", budgetName).contains(k)) {
        throw new IllegalArgumentException("dp_strategy." + k + " is not a member of " + type);
      }
    }
    Object budget = json.get(budgetName);
    String text;
    if (budget instanceof String s) {
      text = s;
    } else if (budget instanceof Integer || budget instanceof Long
        || budget instanceof BigInteger) {
      text = budget.toString();
    } else {
      throw new IllegalArgumentException("dp_strategy." + budgetName
          + " is required: a positive rational as \"a/b\" or an integer");
    }
    try {
      return DpStrategy.of(type, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("dp_strategy." + budgetName + ": " + e.getMessage());
    }
  }

  /** Reads the short form {@code type:budget}, e.g. {@code pure_dp_discrete_laplace:1/2}. */
  public static DpStrategy parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected TYPE:BUDGET, e.g. "
          + DpStrategy.PureDpDiscreteLaplace.TYPE + ":1/2");
    }
    String type = text.substring(0, colon).trim();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put(type.equals(DpStrategy.ZCdpDiscreteGaussian.TYPE) ? "rho" : "epsilon",
        text.substring(colon + 1).trim());
    return fromJson(m);
  }

  /** The JSON form, the budget as a string. */
  public static Map<String, Object> toJson(DpStrategy s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", s.type());
    m.put(s.budgetName(), s.budget().toString());
    return m;
  }

  /**
   * Checks that a task with VDAF {@code v} can use the strategy, and returns the sensitivity.
   *
   * @throws IllegalArgumentException if it cannot
   */
  public static Sensitivity check(DpStrategy s, VdafInstance v) {
    Sensitivity sens = sensitivity(v);
    s.describe(sens); // computes the noise parameters once
    return sens;
  }
}
