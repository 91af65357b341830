package io.pando.vdaf.dp;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Exact samplers of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
 * Privacy" (NeurIPS 2020, arXiv:2004.00010): Bernoulli(exp(-gamma)) (Algorithm 1), the
 * discrete Laplace (Algorithm 2) and the discrete Gaussian (Algorithm 3). Every parameter is a
 * {@link Rational} and every step is integer arithmetic on {@link BigInteger}: no floating point
 * anywhere, so the output distribution is exactly the stated one (up to the quality of the random
 * source), with no rounding artefacts an attacker could exploit.
 *
 * <p>The only source of randomness is {@link #uniform}, uniform integers drawn by rejection from
 * the injected {@link SecureRandom} (no modulo bias). Not thread-safe when the random source is
 * not; a {@link SecureRandom} is.
 */
public final class ExactSampler {
  private final SecureRandom random;

  public ExactSampler(SecureRandom random) {
    this.random = random;
  }

  /** A uniform integer in {@code [0, n)}, {@code n >= 1}: rejection of {@code bitLength} draws. */
  public BigInteger uniform(BigInteger n) {
    if (n.signum() <= 0) {
      throw new IllegalArgumentException("uniform range must be positive");
    }
    if (n.equals(BigInteger.ONE)) {
      return BigInteger.ZERO;
    }
    int bits = n.subtract(BigInteger.ONE).bitLength();
    while (true) {
      BigInteger u = new BigInteger(bits, random);
      if (u.compareTo(n) < 0) {
        return u;
      }
    }
  }

  /** Bernoulli(p) for a rational {@code p} in [0, 1]. */
  public boolean bernoulli(Rational p) {
    if (p.compareTo(Rational.ONE) > 0) {
      throw new IllegalArgumentException("probability above 1");
    }
    return uniform(p.denominator()).compareTo(p.numerator()) < 0;
  }

  /** Bernoulli(exp(-gamma)) for a rational {@code gamma >= 0} (Algorithm 1). */
  public boolean bernoulliExp(Rational gamma) {
    return bernoulliExp(gamma.numerator(), gamma.denominator());
  }

  /** Bernoulli(exp(-n/d)) for n >= 0, d > 0 (not necessarily in lowest terms). */
  private boolean bernoulliExp(BigInteger n, BigInteger d) {
    // gamma > 1: exp(-gamma) = exp(-1)^floor(gamma) * exp(-(gamma - floor(gamma))).
    BigInteger[] qr = n.divideAndRemainder(d);
    for (BigInteger k = BigInteger.ZERO; k.compareTo(qr[0]) < 0; k = k.add(BigInteger.ONE)) {
      if (!bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE)) {
        return false;
      }
    }
    return bernoulliExpAtMostOne(qr[1], d);
  }

  /**
   * Bernoulli(exp(-n/d)) for n/d in [0, 1]: draw A_k ~ Bernoulli(n / (d k)) for k = 1, 2, ...
   * until the first A_k = 0; the answer is whether that k is odd.
   */
  private boolean bernoulliExpAtMostOne(BigInteger n, BigInteger d) {
    BigInteger k = BigInteger.ONE;
    while (uniform(d.multiply(k)).compareTo(n) < 0) {
      k = k.add(BigInteger.ONE);
    }
    return k.testBit(0);
  }

  /**
   * The discrete Laplace distribution with scale {@code t > 0} (Algorithm 2): {@code P[X = x]}
   * proportional to {@code exp(-|x| / t)} on the integers.
   */
  public BigInteger discreteLaplace(Rational scale) {
    if (!scale.isPositive()) {
      throw new IllegalArgumentException("scale must be positive");
    }
    // The paper's s/t parametrisation: scale = t/s with t = numerator, s = denominator.
    BigInteger t = scale.numerator();
    BigInteger s = scale.denominator();
    while (true) {
      BigInteger u = uniform(t);
      if (!bernoulliExp(u, t)) {
        continue;
      }
      BigInteger v = BigInteger.ZERO;
      while (bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE)) {
        v = v.add(BigInteger.ONE);
      }
      BigInteger x = u.add(t.multiply(v));
      BigInteger y = x.divide(s);
      boolean negative = uniform(BigInteger.valueOf(2)).signum() != 0; // Bernoulli(1/2)
      if (negative && y.signum() == 0) {
        continue;
      }
      return negative ? y.negate() : y;
    }
  }

  /**
   * The discrete Gaussian with variance parameter {@code sigma^2 > 0} (Algorithm 3): {@code P[X =
   * x]} proportional to {@code exp(-x^2 / (2 sigma^2))} on the integers. Discrete Laplace
   * proposals of scale {@code t = floor(sigma) + 1}, accepted with probability {@code
   * exp(-(|y| - sigma^2/t)^2 / (2 sigma^2))}.
   */
  public BigInteger discreteGaussian(Rational sigma2) {
    if (!sigma2.isPositive()) {
      throw new IllegalArgumentException("sigma^2 must be positive");
    }
    BigInteger t = sigma2.floorSqrt().add(BigInteger.ONE);
    BigInteger n = sigma2.numerator();
    BigInteger d = sigma2.denominator();
    // (|y| - n/(d t))^2 / (2 n/d) = (|y| d t - n)^2 / (2 n d t^2)
    BigInteger gammaDen = BigInteger.valueOf(2).multiply(n).multiply(d).multiply(t).multiply(t);
    BigInteger dt = d.multiply(t);
    Rational proposal = Rational.of(t);
    while (true) {
      BigInteger y = discreteLaplace(proposal);
      BigInteger diff = y.abs().multiply(dt).subtract(n);
      if (bernoulliExp(diff.multiply(diff), gammaDen)) {
        return y;
      }
    }
  }
}
