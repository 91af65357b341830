package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;

/** Polynomial helpers for the generic FLP. Internal to the FLP. */
final class Polys {
  private Polys() {}

  static int nextPowerOfTwo(int n) {
    if (n <= 1) {
      return 1;
    }
    int p = Integer.highestOneBit(n - 1) << 1;
    if (p <= 0) {
      throw new IllegalArgumentException("too large: " + n);
    }
    return p;
  }

  /**
   * G applied to polynomials by evaluation and interpolation: each wire polynomial ({@code n}
   * coefficients) is evaluated at the {@code m}-th roots of unity, {@code m =
   * next_power_of_2(degree*(n-1)+1)}; G is applied at each point; an inverse NTT recovers the
   * coefficients.
   */
  static long[] evalPolyPointwise(Field f, Gadget g, long[][] wirePolys, int n) {
    int arity = g.arity();
    int outLen = g.degree() * (n - 1) + 1;
    int m = nextPowerOfTwo(outLen);
    int limbs = f.limbs();
    long[][] evals = new long[arity][];
    for (int j = 0; j < arity; j++) {
      long[] e = f.alloc(m);
      System.arraycopy(wirePolys[j], 0, e, 0, n * limbs);
      f.ntt(e, m);
      evals[j] = e;
    }
    long[] out = f.alloc(m);
    long[] in = f.alloc(arity);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < arity; j++) {
        f.copy(evals[j], i, in, j);
      }
      g.eval(f, in, out, i);
    }
    f.invNtt(out, m);
    long[] r = f.alloc(outLen);
    System.arraycopy(out, 0, r, 0, outLen * limbs);
    return r;
  }

  /**
   * The gadget polynomial from the wire values at the n-th roots of unity (FLP prove, VDAF-08
   * §7.3.3): interpolates each wire, applies the gadget pointwise and interpolates the result.
   * With {@code lagrange}, the result is the polynomial's values at the first {@code D * (n - 1) +
   * 1} of the {@code next_power_of_2(D * (n - 1) + 1)}-th roots of unity (draft-20 §7.3.3) instead
   * of its coefficients.
   *
   * <p>For degree-2 gadgets the 2n evaluation points are the n-th roots (where the wire values are
   * already known) and their coset {@code omega * alpha^k}, {@code omega} a primitive 2n-th root:
   * one size-n transform per wire instead of one of size 2n.
   */
  static long[] gadgetPoly(Field f, Gadget g, long[][] wireValues, int n, boolean lagrange) {
    int arity = g.arity();
    int outLen = g.degree() * (n - 1) + 1;
    int m = nextPowerOfTwo(outLen);
    int limbs = f.limbs();
    if (m != 2 * n) {
      long[][] coeffs = new long[arity][];
      for (int j = 0; j < arity; j++) {
        coeffs[j] = wireValues[j].clone();
        f.invNtt(coeffs[j], n);
      }
      long[] poly = g.evalPoly(f, coeffs, n);
      if (!lagrange) {
        return poly;
      }
      long[] values = f.alloc(m);
      System.arraycopy(poly, 0, values, 0, outLen * limbs);
      f.ntt(values, m);
      long[] r = f.alloc(outLen);
      System.arraycopy(values, 0, r, 0, outLen * limbs);
      return r;
    }
    // omega^i for i in [0, n): the coset shift.
    long[] shift = f.alloc(n);
    long[] omega = f.alloc(1);
    f.rootOfUnity(2 * n, omega, 0);
    f.set(shift, 0, 1);
    for (int i = 1; i < n; i++) {
      f.mul(shift, i - 1, omega, 0, shift, i);
    }
    long[][] coset = new long[arity][];
    for (int j = 0; j < arity; j++) {
      long[] c = wireValues[j].clone();
      f.invNtt(c, n);
      for (int i = 0; i < n; i++) {
        f.mul(c, i, shift, i, c, i);
      }
      f.ntt(c, n);
      coset[j] = c;
    }
    long[] out = f.alloc(m);
    long[] in = f.alloc(arity);
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < arity; j++) {
        f.copy(wireValues[j], k, in, j);
      }
      g.eval(f, in, out, 2 * k);
      for (int j = 0; j < arity; j++) {
        f.copy(coset[j], k, in, j);
      }
      g.eval(f, in, out, 2 * k + 1);
    }
    if (!lagrange) {
      f.invNtt(out, m);
    }
    // The values at the 2n-th roots in natural order (draft-20), or the coefficients (draft-08).
    long[] r = f.alloc(outLen);
    System.arraycopy(out, 0, r, 0, outLen * limbs);
    return r;
  }

  /**
   * The {@code len} coefficients of the polynomial of degree {@code < len} whose values at the
   * first {@code len} of the {@code N = next_power_of_2(len)}-th roots of unity are {@code
   * values} (a draft-20 gadget polynomial): the missing values are recovered (the draft's {@code
   * extend_values_to_power_of_2}), then one inverse NTT.
   */
  static long[] coefficientsFromRootValues(Field f, long[] values, int len) {
    int n = nextPowerOfTwo(len);
    int limbs = f.limbs();
    long[] full = f.alloc(n);
    System.arraycopy(values, 0, full, 0, len * limbs);
    long[] omega = f.alloc(1);
    f.rootOfUnity(n, omega, 0);
    if (n - len == 1) {
      // Coefficient n-1 is zero: sum_i v_i * omega^i = 0, so v_{n-1} = -omega * sum_{i<n-1}.
      long[] x = f.alloc(1);
      long[] acc = f.alloc(1);
      long[] term = f.alloc(1);
      f.set(x, 0, 1);
      for (int i = 0; i < len; i++) {
        f.mul(full, i, x, 0, term, 0);
        f.add(acc, 0, term, 0, acc, 0);
        f.mul(x, 0, omega, 0, x, 0);
      }
      f.mul(acc, 0, omega, 0, acc, 0);
      f.neg(acc, 0, full, n - 1);
    } else if (n > len) {
      interpolateMissing(f, full, len, n, omega);
    }
    f.invNtt(full, n);
    long[] r = f.alloc(len);
    System.arraycopy(full, 0, r, 0, len * limbs);
    return r;
  }

  /** Lagrange interpolation from nodes {@code omega^0..omega^(len-1)} to the others. */
  private static void interpolateMissing(Field f, long[] full, int len, int n, long[] omega) {
    long[] x = f.alloc(n);
    f.set(x, 0, 1);
    for (int i = 1; i < n; i++) {
      f.mul(x, i - 1, omega, 0, x, i);
    }
    long[] w = f.alloc(len); // 1 / prod_{j != i} (x_i - x_j)
    long[] d = f.alloc(1);
    for (int i = 0; i < len; i++) {
      f.set(w, i, 1);
      for (int j = 0; j < len; j++) {
        if (j != i) {
          f.sub(x, i, x, j, d, 0);
          f.mul(w, i, d, 0, w, i);
        }
      }
      f.inv(w, i, w, i);
    }
    long[] ell = f.alloc(1);
    long[] sum = f.alloc(1);
    long[] term = f.alloc(1);
    for (int k = len; k < n; k++) {
      f.set(ell, 0, 1);
      f.set(sum, 0, 0);
      for (int i = 0; i < len; i++) {
        f.sub(x, k, x, i, d, 0);
        f.mul(ell, 0, d, 0, ell, 0);
        f.inv(d, 0, d, 0);
        f.mul(d, 0, w, i, term, 0);
        f.mul(term, 0, full, i, term, 0);
        f.add(sum, 0, term, 0, sum, 0);
      }
      f.mul(ell, 0, sum, 0, full, k);
    }
  }

  /**
   * Lagrange coefficients at {@code t} for the n-th roots of unity as nodes: {@code c[k] = x_k *
   * (t^n - 1) / (n * (t - x_k))} with {@code x_k = alpha_n^k}, so that {@code p(t) = sum_k
   * p(x_k) * c[k]} for any p of degree < n. Requires {@code t^n != 1}.
   */
  static long[] lagrangeAt(Field f, long[] t, int ti, int n) {
    long[] c = f.alloc(n);
    long[] alpha = f.alloc(1);
    f.rootOfUnity(n, alpha, 0);
    long[] xk = f.alloc(n);
    f.set(xk, 0, 1);
    for (int k = 1; k < n; k++) {
      f.mul(xk, k - 1, alpha, 0, xk, k);
    }
    // d[k] = n * (t - x_k), inverted in one batch (Montgomery's trick): the 1/n of the formula
    // rides along, so the whole evaluation costs a single field inversion.
    long[] nElem = f.alloc(1);
    f.set(nElem, 0, n);
    long[] d = f.alloc(n);
    for (int k = 0; k < n; k++) {
      f.sub(t, ti, xk, k, d, k);
      f.mul(d, k, nElem, 0, d, k);
    }
    batchInvert(f, d, n);
    long[] scale = f.alloc(1);
    f.pow(t, ti, n, scale, 0);
    long[] one = f.alloc(1);
    f.set(one, 0, 1);
    f.sub(scale, 0, one, 0, scale, 0);
    for (int k = 0; k < n; k++) {
      f.mul(xk, k, d, k, c, k);
      f.mul(c, k, scale, 0, c, k);
    }
    return c;
  }

  /** Inverts a[0..n) in place; every element must be non-zero. */
  static void batchInvert(Field f, long[] a, int n) {
    if (n == 0) {
      return;
    }
    long[] prefix = f.alloc(n);
    f.copy(a, 0, prefix, 0);
    for (int i = 1; i < n; i++) {
      f.mul(prefix, i - 1, a, i, prefix, i);
    }
    long[] inv = f.alloc(1);
    f.inv(prefix, n - 1, inv, 0);
    long[] tmp = f.alloc(1);
    for (int i = n - 1; i > 0; i--) {
      f.mul(inv, 0, prefix, i - 1, tmp, 0);
      f.mul(inv, 0, a, i, inv, 0);
      f.copy(tmp, 0, a, i);
    }
    f.copy(inv, 0, a, 0);
  }

  /** Inner product sum_k a[aOff + k] * b[k] for k in [0, n), into r[ri]. */
  static void dot(Field f, long[] a, int aOff, long[] b, int n, long[] r, int ri, long[] tmp) {
    f.set(r, ri, 0);
    for (int k = 0; k < n; k++) {
      f.mul(a, aOff + k, b, k, tmp, 0);
      f.add(r, ri, tmp, 0, r, ri);
    }
  }
}
