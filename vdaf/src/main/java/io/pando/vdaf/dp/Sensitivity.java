package io.pando.vdaf.dp;

import java.math.BigInteger;

/**
 * How far one report can move an aggregate, under the add/remove-one-report neighbouring
 * notion (two batches are neighbours when one is the other plus one report): the largest L1
 * norm {@code l1} and squared L2 norm {@code l2Squared} of one report's contribution to the
 * aggregate vector. The squared L2 norm keeps the Gaussian's variance rational.
 */
public record Sensitivity(BigInteger l1, BigInteger l2Squared) {
  public Sensitivity {
    if (l1.signum() <= 0 || l2Squared.signum() <= 0) {
      throw new IllegalArgumentException("sensitivity must be positive");
    }
  }

  /** Prio3Count: one report adds 0 or 1. */
  public static Sensitivity count() {
    return new Sensitivity(BigInteger.ONE, BigInteger.ONE);
  }

  /** Prio3Sum with {@code bits}: one report adds at most {@code 2^bits - 1}. */
  public static Sensitivity sum(int bits) {
    BigInteger max = maxOf(bits);
    return new Sensitivity(max, max.multiply(max));
  }

  /**
   * Prio3Histogram: one report is a one-hot vector, L1 = L2 = 1 (whatever the length; under
   * replacement of a report it would be 2 and sqrt(2)).
   */
  public static Sensitivity histogram() {
    return new Sensitivity(BigInteger.ONE, BigInteger.ONE);
  }

  /**
   * Prio3SumVec (and its Field64 multiproof variant): {@code length} entries of at most {@code
   * 2^bits - 1}; L1 = length * (2^bits - 1), L2^2 = length * (2^bits - 1)^2.
   */
  public static Sensitivity sumVec(int length, int bits) {
    BigInteger max = maxOf(bits);
    BigInteger n = BigInteger.valueOf(length);
    return new Sensitivity(n.multiply(max), n.multiply(max).multiply(max));
  }

  /** Prio3MultihotCountVec: at most {@code maxWeight} ones; L1 = maxWeight, L2^2 = maxWeight. */
  public static Sensitivity multihotCountVec(int maxWeight) {
    BigInteger w = BigInteger.valueOf(maxWeight);
    return new Sensitivity(w, w);
  }

  private static BigInteger maxOf(int bits) {
    if (bits < 1) {
      throw new IllegalArgumentException("bits must be positive");
    }
    return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
  }
}
