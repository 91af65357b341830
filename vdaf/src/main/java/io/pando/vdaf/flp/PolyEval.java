package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The PolyEval gadget (draft-irtf-cfrg-vdaf-08 §7.3.3): {@code G(x) = p(x)} for a fixed
 * polynomial p with integer coefficients (lowest degree first; leading zeros are stripped).
 * {@code Range2} of the draft's Sum circuit is {@code PolyEval([0, -1, 1])}, i.e. {@code x^2 - x}.
 */
public final class PolyEval implements Gadget {
  private final long[] coefficients;
  private final int degree;

  public PolyEval(long... coefficients) {
    int n = coefficients.length;
    while (n > 0 && coefficients[n - 1] == 0) {
      n--;
    }
    if (n < 2) {
      throw new IllegalArgumentException("polynomial must have degree >= 1");
    }
    this.coefficients = Arrays.copyOf(coefficients, n);
    this.degree = n - 1;
  }

  /** {@code x^2 - x}: zero exactly when x is 0 or 1. */
  public static PolyEval range2() {
    return new PolyEval(0, -1, 1);
  }

  @Override
  public int arity() {
    return 1;
  }

  @Override
  public int degree() {
    return degree;
  }

  private final java.util.Map<Field, long[]> inField =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The coefficients as elements of f (converted once per field). */
  private long[] coefficientsIn(Field f) {
    return inField.computeIfAbsent(f, g -> {
      long[] p = g.alloc(coefficients.length);
      for (int i = 0; i < coefficients.length; i++) {
        g.set(p, i, BigInteger.valueOf(coefficients[i]));
      }
      return p;
    });
  }

  @Override
  public void eval(Field f, long[] in, long[] out, int oi) {
    f.polyEval(coefficientsIn(f), 0, coefficients.length, in, 0, out, oi);
  }

  @Override
  public long[] evalPoly(Field f, long[][] wirePolys, int n) {
    // Pointwise evaluation with the coefficients converted once.
    long[] p = coefficientsIn(f);
    Gadget fixed =
        new Gadget() {
          @Override
          public int arity() {
            return 1;
          }

          @Override
          public int degree() {
            return degree;
          }

          @Override
          public void eval(Field g, long[] in, long[] out, int oi) {
            g.polyEval(p, 0, coefficients.length, in, 0, out, oi);
          }
        };
    return Polys.evalPolyPointwise(f, fixed, wirePolys, n);
  }

  @Override
  public String toString() {
    return "PolyEval" + Arrays.toString(coefficients);
  }
}
