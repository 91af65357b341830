package io.pando.vdaf.dp;

/**
 * A pure {@code epsilon}-DP budget: for neighbouring inputs the probability of any outcome
 * changes by at most a factor {@code exp(epsilon)}.
 */
public record PureDpBudget(Rational epsilon) {
  public PureDpBudget {
    if (epsilon == null || !epsilon.isPositive()) {
      throw new IllegalArgumentException("epsilon must be positive");
    }
  }
}
