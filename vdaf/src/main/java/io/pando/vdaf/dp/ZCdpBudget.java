package io.pando.vdaf.dp;

/**
 * A zero-concentrated DP budget {@code rho} (Bun and Steinke, "Concentrated Differential
 * Privacy", 2016, Definition 1.1): the Rényi divergence of order {@code alpha} between the
 * outputs on neighbouring inputs is at most {@code rho * alpha} for all {@code alpha > 1}.
 */
public record ZCdpBudget(Rational rho) {
  public ZCdpBudget {
    if (rho == null || !rho.isPositive()) {
      throw new IllegalArgumentException("rho must be positive");
    }
  }
}
