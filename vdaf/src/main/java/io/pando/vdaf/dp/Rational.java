package io.pando.vdaf.dp;

import java.math.BigInteger;

/**
 * A non-negative rational number {@code numerator / denominator} in lowest terms, for privacy
 * budgets and noise parameters: the samplers compute with these exactly, never with floating
 * point.
 */
public record Rational(BigInteger numerator, BigInteger denominator) implements
    Comparable<Rational> {
  public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
  public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

  /** Normalises to lowest terms; refuses a negative value or a zero denominator. */
  public Rational {
    if (numerator == null || denominator == null) {
      throw new IllegalArgumentException("a rational needs a numerator and a denominator");
    }
    if (denominator.signum() == 0) {
      throw new IllegalArgumentException("denominator must not be zero");
    }
    if (denominator.signum() < 0) {
      numerator = numerator.negate();
      denominator = denominator.negate();
    }
    if (numerator.signum() < 0) {
      throw new IllegalArgumentException("a rational here must not be negative");
    }
    BigInteger g = numerator.gcd(denominator);
    if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
      numerator = numerator.divide(g);
      denominator = denominator.divide(g);
    }
  }

  public static Rational of(long numerator, long denominator) {
    return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
  }

  public static Rational of(BigInteger n) {
    return new Rational(n, BigInteger.ONE);
  }

  /** The most digits a numerator or denominator may have in {@link #parse}. */
  static final int MAX_DIGITS = 60;

  /**
   * Parses {@code "a/b"} or {@code "a"} (decimal digits only, no sign, no spaces).
   *
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static Rational parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException("missing rational");
    }
    int slash = s.indexOf('/');
    String n = slash < 0 ? s : s.substring(0, slash);
    String d = slash < 0 ? "1" : s.substring(slash + 1);
    if (!digits(n) || !digits(d)) {
      throw new IllegalArgumentException("not a rational of the form a/b: " + s);
    }
    return new Rational(new BigInteger(n), new BigInteger(d));
  }

  private static boolean digits(String s) {
    if (s.isEmpty() || s.length() > MAX_DIGITS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  public boolean isPositive() {
    return numerator.signum() > 0;
  }

  public Rational add(Rational o) {
    return new Rational(numerator.multiply(o.denominator).add(o.numerator.multiply(denominator)),
        denominator.multiply(o.denominator));
  }

  /** {@code this - o}; {@code o} must not exceed {@code this}. */
  public Rational subtract(Rational o) {
    return new Rational(
        numerator.multiply(o.denominator).subtract(o.numerator.multiply(denominator)),
        denominator.multiply(o.denominator));
  }

  public Rational multiply(Rational o) {
    return new Rational(numerator.multiply(o.numerator), denominator.multiply(o.denominator));
  }

  /** {@code this / o}; {@code o} must be positive. */
  public Rational divide(Rational o) {
    if (o.numerator.signum() == 0) {
      throw new ArithmeticException("division by zero");
    }
    return new Rational(numerator.multiply(o.denominator), denominator.multiply(o.numerator));
  }

  /** The largest integer not above this value. */
  public BigInteger floor() {
    return numerator.divide(denominator);
  }

  /** {@code floor(sqrt(this))}, exactly: {@code isqrt(floor(x)) = floor(sqrt(x))} for x >= 0. */
  public BigInteger floorSqrt() {
    return isqrt(floor());
  }

  /** {@code floor(sqrt(n))} for n >= 0, by Newton's iteration from above. */
  static BigInteger isqrt(BigInteger n) {
    if (n.signum() == 0) {
      return n;
    }
    BigInteger x = BigInteger.ONE.shiftLeft((n.bitLength() + 1) / 2); // > sqrt(n)
    while (true) {
      BigInteger y = x.add(n.divide(x)).shiftRight(1);
      if (y.compareTo(x) >= 0) {
        return x;
      }
      x = y;
    }
  }

  @Override
  public int compareTo(Rational o) {
    return numerator.multiply(o.denominator).compareTo(o.numerator.multiply(denominator));
  }

  /** {@code "a/b"}, or {@code "a"} for an integer: the form {@link #parse} reads. */
  @Override
  public String toString() {
    return denominator.equals(BigInteger.ONE) ? numerator.toString()
        : numerator + "/" + denominator;
  }
}
