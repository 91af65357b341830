package io.pando.vdaf.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Statistical checks of the exact samplers against the exact distributions, from a seeded
 * generator so that the outcome is reproducible. Each check fails for a sampler off by a small
 * amount: a chi-square goodness-of-fit test at the 0.1% level over 100,000 draws, and the sample
 * mean, variance and a tail probability within five standard errors of the exact values.
 */
class ExactSamplerTest {
  private static final int DRAWS = 100_000;

  static ExactSampler seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed); // before any draw: the output is a function of the seed alone
      return new ExactSampler(r);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void uniformHasNoModuloBias() {
    ExactSampler s = seeded(1);
    // n = 3 in two bits: reducing modulo 3 would give 0 with probability 1/2.
    int[] counts = new int[3];
    for (int i = 0; i < 30_000; i++) {
      counts[s.uniform(BigInteger.valueOf(3)).intValue()]++;
    }
    double chi2 = 0;
    for (int c : counts) {
      chi2 += (c - 10_000.0) * (c - 10_000.0) / 10_000.0;
    }
    assertTrue(chi2 < 13.8, "chi^2 " + chi2 + " over 2 degrees of freedom"); // p = 0.001
    assertEquals(BigInteger.ZERO, s.uniform(BigInteger.ONE));
    assertThrows(IllegalArgumentException.class, () -> s.uniform(BigInteger.ZERO));
  }

  @Test
  void bernoulliExpMatchesExpMinusGamma() {
    ExactSampler s = seeded(2);
    for (Rational gamma : new Rational[] {Rational.ZERO, Rational.of(1, 3), Rational.ONE,
        Rational.of(7, 3), Rational.of(9, 2)}) {
      double p = Math.exp(-gamma.numerator().doubleValue() / gamma.denominator().doubleValue());
      int hits = 0;
      for (int i = 0; i < DRAWS; i++) {
        hits += s.bernoulliExp(gamma) ? 1 : 0;
      }
      double se = Math.sqrt(p * (1 - p) / DRAWS);
      double freq = hits / (double) DRAWS;
      assertTrue(Math.abs(freq - p) <= 5 * se + 1e-12,
          "gamma " + gamma + ": frequency " + freq + ", exp(-gamma) " + p);
    }
  }

  @Test
  void discreteLaplaceMatchesItsPmf() {
    Rational scale = Rational.of(5, 2);
    double q = Math.exp(-1 / 2.5);
    double norm = (1 - q) / (1 + q);
    IntToDoubleFunction pmf = x -> norm * Math.pow(q, Math.abs(x));
    double variance = 2 * q / ((1 - q) * (1 - q));
    ExactSampler s = seeded(3);
    check(() -> s.discreteLaplace(scale), pmf, 0, variance, 6);
  }

  @Test
  void discreteLaplaceWithFractionalAndLargeScales() {
    ExactSampler s = seeded(4);
    // Scale 1/2 (t < s in the paper's terms): P[X = 0] = (1 - q) / (1 + q), q = e^-2.
    double q = Math.exp(-2);
    double pmf0 = (1 - q) / (1 + q);
    int zeros = 0;
    for (int i = 0; i < DRAWS; i++) {
      zeros += s.discreteLaplace(Rational.of(1, 2)).signum() == 0 ? 1 : 0;
    }
    assertTrue(Math.abs(zeros / (double) DRAWS - pmf0) < 5 * Math.sqrt(pmf0 * (1 - pmf0) / DRAWS));
    // A large scale (Prio3SumVec-sized): the sample variance is 2 t^2 within 5%.
    Rational big = Rational.of(1_000_000, 3);
    double t = 1_000_000 / 3.0;
    double sum2 = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double x = s.discreteLaplace(big).doubleValue();
      sum2 += x * x;
    }
    double v = sum2 / n;
    assertTrue(Math.abs(v / (2 * t * t) - 1) < 0.05, "variance " + v);
  }

  @Test
  void discreteGaussianMatchesItsPmf() {
    for (Rational sigma2 : new Rational[] {Rational.of(5, 2), Rational.of(40, 1)}) {
      double s2 = sigma2.numerator().doubleValue() / sigma2.denominator().doubleValue();
      double norm = 0;
      double var = 0;
      for (int x = -2000; x <= 2000; x++) {
        double w = Math.exp(-x * (double) x / (2 * s2));
        norm += w;
        var += x * (double) x * w;
      }
      double z = norm;
      IntToDoubleFunction pmf = x -> Math.exp(-x * (double) x / (2 * s2)) / z;
      ExactSampler s = seeded(5);
      check(() -> s.discreteGaussian(sigma2), pmf, 0, var / z,
          (int) Math.ceil(2 * Math.sqrt(s2)));
    }
  }

  @Test
  void refusesNonPositiveParameters() {
    ExactSampler s = seeded(6);
    assertThrows(IllegalArgumentException.class, () -> s.discreteLaplace(Rational.ZERO));
    assertThrows(IllegalArgumentException.class, () -> s.discreteGaussian(Rational.ZERO));
    assertThrows(IllegalArgumentException.class, () -> s.bernoulli(Rational.of(3, 2)));
  }

  /**
   * Draws DRAWS samples and checks them against {@code pmf}: chi-square over the cells {@code x}
   * with expected count at least 5 plus the two tails, mean and variance within five standard
   * errors, and {@code P[|X| >= tail]} within five standard errors.
   */
  private static void check(Supplier<BigInteger> draw, IntToDoubleFunction pmf, double mean,
      double variance, int tail) {
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    double sum = 0;
    double sum2 = 0;
    double sum4 = 0;
    int beyond = 0;
    for (int i = 0; i < DRAWS; i++) {
      int x = draw.get().intValueExact();
      counts.merge(x, 1, Integer::sum);
      sum += x;
      sum2 += (double) x * x;
      sum4 += (double) x * x * x * x;
      beyond += Math.abs(x) >= tail ? 1 : 0;
    }
    double m = sum / DRAWS;
    assertTrue(Math.abs(m - mean) <= 5 * Math.sqrt(variance / DRAWS), "mean " + m);
    double v = sum2 / DRAWS - m * m;
    double fourth = sum4 / DRAWS;
    double seVar = Math.sqrt((fourth - variance * variance) / DRAWS);
    assertTrue(Math.abs(v - variance) <= 5 * seVar, "variance " + v + ", exact " + variance);

    double pTail = 0;
    for (int x = -100_000; x <= 100_000; x++) {
      if (Math.abs(x) >= tail) {
        pTail += pmf.applyAsDouble(x);
      }
    }
    double seTail = Math.sqrt(pTail * (1 - pTail) / DRAWS);
    assertTrue(Math.abs(beyond / (double) DRAWS - pTail) <= 5 * seTail,
        "P[|X| >= " + tail + "] " + beyond / (double) DRAWS + ", exact " + pTail);

    // Cells: every x in [-k, k] with expected count >= 5; the two tails as two more cells.
    int k = 0;
    while (pmf.applyAsDouble(k + 1) * DRAWS >= 5) {
      k++;
    }
    double chi2 = 0;
    double inside = 0;
    int observedInside = 0;
    for (int x = -k; x <= k; x++) {
      double e = pmf.applyAsDouble(x) * DRAWS;
      int o = counts.getOrDefault(x, 0);
      chi2 += (o - e) * (o - e) / e;
      inside += e;
      observedInside += o;
    }
    double eachTail = (DRAWS - inside) / 2;
    int below = counts.headMap(-k).values().stream().mapToInt(Integer::intValue).sum();
    int above = DRAWS - observedInside - below;
    if (eachTail >= 5) {
      chi2 += (below - eachTail) * (below - eachTail) / eachTail;
      chi2 += (above - eachTail) * (above - eachTail) / eachTail;
    }
    int df = 2 * k + (eachTail >= 5 ? 2 : 0);
    assertTrue(chi2 < critical(df), "chi^2 " + chi2 + " over " + df + " degrees of freedom");
  }

  /** The chi-square 99.9% quantile (Wilson-Hilferty), for df >= 2. */
  static double critical(int df) {
    double z = 3.090;
    double a = 2.0 / (9 * df);
    return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
  }
}
