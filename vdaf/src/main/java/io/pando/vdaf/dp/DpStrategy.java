package io.pando.vdaf.dp;

import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;

/**
 * How an aggregator noises its aggregate share: one independent draw per coordinate of the
 * share, added in the VDAF's field. Each aggregator noising its own share with the full budget
 * makes the unsharded aggregate private as long as one aggregator is honest.
 */
public sealed interface DpStrategy {
  /** The name used in task definitions, e.g. {@code "pure_dp_discrete_laplace"}. */
  String type();

  /** The budget's parameter name ({@code "epsilon"} or {@code "rho"}). */
  String budgetName();

  /** The budget's value. */
  Rational budget();

  /** One noise draw for a share whose VDAF has sensitivity {@code s}. */
  BigInteger sample(ExactSampler sampler, Sensitivity s);

  /**
   * A one-line description, e.g. {@code "pure DP, epsilon=1/2 per aggregator (discrete Laplace,
   * scale 2)"}.
   */
  String describe(Sensitivity s);

  /** Adds one independent draw to every coordinate of the share, in field arithmetic. */
  default AggregateShare addNoise(Prio3<?, ?> vdaf, AggregateShare share, ExactSampler sampler,
      Sensitivity s) {
    return vdaf.addToAggregateShare(share, i -> sample(sampler, s));
  }

  /**
   * Pure {@code epsilon}-DP by the discrete Laplace with scale {@code L1 / epsilon}: for an
   * integer vector query of L1 sensitivity Δ1, independent discrete Laplace draws of scale
   * {@code t} per coordinate give {@code (Δ1 / t)}-DP, as the continuous Laplace does.
   */
  record PureDpDiscreteLaplace(PureDpBudget epsilon) implements DpStrategy {
    public static final String TYPE = "pure_dp_discrete_laplace";

    public String type() {
      return TYPE;
    }

    public String budgetName() {
      return "epsilon";
    }

    public Rational budget() {
      return epsilon.epsilon();
    }

    public Rational scale(Sensitivity s) {
      return Rational.of(s.l1()).divide(epsilon.epsilon());
    }

    public BigInteger sample(ExactSampler sampler, Sensitivity s) {
      return sampler.discreteLaplace(scale(s));
    }

    public String describe(Sensitivity s) {
      return "pure DP, epsilon=" + epsilon.epsilon() + " per aggregator (discrete Laplace, scale "
          + scale(s) + ")";
    }
  }

  /**
   * {@code rho}-zCDP by the discrete Gaussian with {@code sigma^2 = L2^2 / (2 rho)}: for an
   * integer vector query of L2 sensitivity Δ2, independent discrete Gaussian draws per coordinate
   * give {@code (Δ2^2 / (2 sigma^2))}-zCDP (Canonne-Kamath-Steinke), as the continuous Gaussian
   * does.
   */
  record ZCdpDiscreteGaussian(ZCdpBudget rho) implements DpStrategy {
    public static final String TYPE = "zcdp_discrete_gaussian";

    public String type() {
      return TYPE;
    }

    public String budgetName() {
      return "rho";
    }

    public Rational budget() {
      return rho.rho();
    }

    public Rational sigma2(Sensitivity s) {
      return Rational.of(s.l2Squared()).divide(Rational.of(2, 1).multiply(rho.rho()));
    }

    public BigInteger sample(ExactSampler sampler, Sensitivity s) {
      return sampler.discreteGaussian(sigma2(s));
    }

    public String describe(Sensitivity s) {
      return "zCDP, rho=" + rho.rho() + " per aggregator (discrete Gaussian, sigma^2 "
          + sigma2(s) + ")";
    }
  }

  /**
   * The strategy of a type name and budget text ({@code "a/b"} or an integer).
   *
   * @throws IllegalArgumentException for an unknown type or a budget that is not positive
   */
  static DpStrategy of(String type, String budget) {
    return switch (type) {
      case PureDpDiscreteLaplace.TYPE ->
          new PureDpDiscreteLaplace(new PureDpBudget(Rational.parse(budget)));
      case ZCdpDiscreteGaussian.TYPE ->
          new ZCdpDiscreteGaussian(new ZCdpBudget(Rational.parse(budget)));
      default -> throw new IllegalArgumentException("unknown DP strategy type " + type
          + "; known: " + PureDpDiscreteLaplace.TYPE + ", " + ZCdpDiscreteGaussian.TYPE);
    };
  }
}
