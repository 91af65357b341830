package io.pando.vdaf.field;

import io.pando.codec.DecodeException;
import java.math.BigInteger;

/**
 * Field64 (draft-irtf-cfrg-vdaf-08 §6.1.2): the prime field modulo {@code p = 2^64 - 2^32 + 1}.
 *
 * <p>Each element is one {@code long} holding the canonical representative in {@code [0, p)},
 * read as unsigned. Products are reduced with the identities {@code 2^64 = 2^32 - 1} and {@code
 * 2^96 = -1 (mod p)}.
 */
public final class Field64 extends Field {
  /** The single instance. */
  public static final Field64 INSTANCE = new Field64();

  /** The modulus, {@code 0xffffffff00000001}. */
  static final long P = 0xffffffff00000001L;

  /** {@code 2^64 mod p = 2^32 - 1}. */
  private static final long EPS = 0xffffffffL;

  private static final BigInteger MODULUS = new BigInteger("ffffffff00000001", 16);
  private static final int LOG2_GEN_ORDER = 32;
  /** Generator of the order-2^32 subgroup: {@code 7^((p - 1) / 2^32)}. */
  static final long GENERATOR = 0x185629dcda58878cL;

  /** ROOTS[k] is the principal 2^k-th root of unity {@code g^(2^(32 - k))}. */
  private static final long[] ROOTS = new long[LOG2_GEN_ORDER + 1];

  /** INV_POW2[k] = 2^-k mod p. */
  private static final long[] INV_POW2 = new long[LOG2_GEN_ORDER + 1];

  static {
    long w = GENERATOR;
    for (int k = LOG2_GEN_ORDER; k >= 0; k--) {
      ROOTS[k] = w;
      w = mulMod(w, w);
    }
    long half = (P >>> 1) + 1; // (p + 1) / 2 = 2^-1
    INV_POW2[0] = 1;
    for (int k = 1; k <= LOG2_GEN_ORDER; k++) {
      INV_POW2[k] = mulMod(INV_POW2[k - 1], half);
    }
  }

  private final NttTable64 table = new NttTable64();

  private Field64() {}

  @Override
  public int limbs() {
    return 1;
  }

  @Override
  public int encodedSize() {
    return 8;
  }

  @Override
  public BigInteger modulus() {
    return MODULUS;
  }

  @Override
  public int log2GenOrder() {
    return LOG2_GEN_ORDER;
  }

  @Override
  public String name() {
    return "Field64";
  }

  // ---- scalar arithmetic on canonical values -----------------------------------------------

  // Carries and borrows are computed with bit operations and applied through masks: no
  // data-dependent branches or selections, whose compiled form (branch or conditional move) would
  // depend on the JIT's profile and mispredict on random elements.

  /** Carry out of the unsigned addition s = a + b, as 0 or 1. */
  private static long carry(long a, long b, long s) {
    return ((a & b) | ((a | b) & ~s)) >>> 63;
  }

  /** (a + b) mod p for canonical a, b. */
  static long addMod(long a, long b) {
    // b + 2^32 - 1 <= 2^64 - 1 cannot overflow, and a + (b + 2^32 - 1) carries out of 64 bits
    // exactly when a + b >= p, in which case the wrapped sum is a + b - p.
    long x = b + EPS;
    long s = a + x;
    return s - (EPS & (carry(a, x, s) - 1));
  }

  /** (a - b) mod p for canonical a, b. */
  static long subMod(long a, long b) {
    long d = a - b;
    // On borrow d = a - b + 2^64; adding p modulo 2^64 is subtracting 2^32 - 1.
    long borrowMask = ((~a & b) | (~(a ^ b) & d)) >> 63;
    return d - (EPS & borrowMask);
  }

  /** (a * b) mod p for canonical a, b. */
  static long mulMod(long a, long b) {
    long lo = a * b;
    long hi = Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    return reduce128(hi, lo);
  }

  /** (hi * 2^64 + lo) mod p, for any 128-bit unsigned value. */
  static long reduce128(long hi, long lo) {
    long hiHi = hi >>> 32;
    // lo - hiHi * 2^96 = lo - hiHi (mod p). As hiHi < 2^32, a borrow happened exactly when the top
    // bit of lo is clear and that of the difference is set; then subtract 2^64 = 2^32 - 1 (mod p),
    // which cannot underflow since the wrapped difference is at least 2^64 - 2^32.
    long t0 = lo - hiHi;
    t0 -= EPS & ((~lo & t0) >> 63);
    // (hi mod 2^32) * 2^64 = (hi mod 2^32) * (2^32 - 1) (mod p) = t1, at most 2^64 - 2^33 + 1.
    // x = t1 + 2^32 - 1 = (hi << 32) + (2^32 - 1 - (hi mod 2^32)) does not overflow, and t0 + x
    // carries exactly when t0 + t1 >= p; either way the result is below p.
    long x = (hi << 32) | (~hi & EPS);
    long s = t0 + x;
    return s - (EPS & (carry(t0, x, s) - 1));
  }

  /** a^e mod p for e >= 0 (e read as signed; negative values are rejected). */
  static long powMod(long a, long e) {
    if (e < 0) {
      throw new IllegalArgumentException("negative exponent");
    }
    return powModUnsigned(a, e);
  }

  /** a^e mod p, e read as an unsigned 64-bit integer. */
  private static long powModUnsigned(long a, long e) {
    long r = 1;
    long b = a;
    while (e != 0) {
      if ((e & 1) != 0) {
        r = mulMod(r, b);
      }
      e >>>= 1;
      if (e != 0) {
        b = mulMod(b, b);
      }
    }
    return r;
  }

  /** a^-1 mod p for canonical nonzero a. */
  static long invMod(long a) {
    if (a == 0) {
      throw new ArithmeticException("Field64: inverse of zero");
    }
    return powModUnsigned(a, P - 2);
  }

  // ---- single elements ---------------------------------------------------------------------

  @Override
  public void set(long[] r, int ri, long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative value");
    }
    r[ri] = v; // v < 2^63 < p
  }

  @Override
  public void set(long[] r, int ri, BigInteger v) {
    r[ri] = v.mod(MODULUS).longValue();
  }

  @Override
  public BigInteger toBigInteger(long[] a, int ai) {
    long v = a[ai];
    BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
    return v < 0 ? b.setBit(63) : b;
  }

  @Override
  public void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    r[ri] = addMod(a[ai], b[bi]);
  }

  @Override
  public void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    r[ri] = subMod(a[ai], b[bi]);
  }

  @Override
  public void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    r[ri] = mulMod(a[ai], b[bi]);
  }

  @Override
  public void neg(long[] a, int ai, long[] r, int ri) {
    long v = a[ai];
    r[ri] = v == 0 ? 0 : P - v;
  }

  @Override
  public void inv(long[] a, int ai, long[] r, int ri) {
    r[ri] = invMod(a[ai]);
  }

  @Override
  public void pow(long[] a, int ai, long e, long[] r, int ri) {
    r[ri] = powMod(a[ai], e);
  }

  @Override
  public boolean isZero(long[] a, int ai) {
    return a[ai] == 0;
  }

  @Override
  public boolean equal(long[] a, int ai, long[] b, int bi) {
    return a[ai] == b[bi];
  }

  // ---- vectors -----------------------------------------------------------------------------

  @Override
  public void addVec(long[] a, long[] b, long[] r, int n) {
    for (int i = 0; i < n; i++) {
      long x = b[i] + EPS;
      long ai = a[i];
      long s = ai + x;
      long carry = ((ai & x) | ((ai | x) & ~s)) >>> 63;
      r[i] = s - (EPS & (carry - 1));
    }
  }

  @Override
  public void subVec(long[] a, long[] b, long[] r, int n) {
    for (int i = 0; i < n; i++) {
      long ai = a[i];
      long bi = b[i];
      long d = ai - bi;
      long borrow = ((~ai & bi) | (~(ai ^ bi) & d)) >> 63;
      r[i] = d - (EPS & borrow);
    }
  }

  @Override
  public boolean equalVec(long[] a, long[] b, int n) {
    long diff = 0;
    for (int i = 0; i < n; i++) {
      diff |= a[i] ^ b[i];
    }
    return diff == 0;
  }

  // ---- NTT ---------------------------------------------------------------------------------

  @Override
  public void rootOfUnity(int n, long[] r, int ri) {
    r[ri] = ROOTS[log2(n)];
  }

  /** log2(n) for a power of two n with {@code 1 <= n <= GEN_ORDER}. */
  private static int log2(int n) {
    if (n <= 0 || (n & (n - 1)) != 0) {
      throw new IllegalArgumentException("not a power of two: " + n);
    }
    return Integer.numberOfTrailingZeros(n);
  }

  @Override
  public void ntt(long[] a, int n) {
    int logN = log2(n);
    if (n == 1) {
      return;
    }
    long[] tw = table.get(n);
    bitReverse(a, n, logN);
    butterflies(a, n, tw);
  }

  @Override
  public void invNtt(long[] a, int n) {
    int logN = log2(n);
    if (n == 1) {
      return;
    }
    long[] tw = table.get(n);
    bitReverse(a, n, logN);
    butterflies(a, n, tw);
    // The forward transform evaluated at alpha^k; the inverse needs alpha^-k = alpha^(n-k), so
    // swap k <-> n-k while scaling by 1/n.
    long nInv = INV_POW2[logN];
    a[0] = mulMod(a[0], nInv);
    a[n >>> 1] = mulMod(a[n >>> 1], nInv);
    for (int i = 1, j = n - 1; i < j; i++, j--) {
      long x = a[i];
      a[i] = mulMod(a[j], nInv);
      a[j] = mulMod(x, nInv);
    }
  }

  private static void bitReverse(long[] a, int n, int logN) {
    int shift = 32 - logN;
    for (int i = 1; i < n - 1; i++) {
      int j = Integer.reverse(i) >>> shift;
      if (i < j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
  }

  /** Decimation-in-time butterflies on bit-reversed input, natural-order output. */
  private static void butterflies(long[] a, int n, long[] tw) {
    // Stage with half-size 1: the twiddle is 1.
    for (int k = 0; k < n; k += 2) {
      long u = a[k];
      long v = a[k + 1];
      a[k] = addMod(u, v);
      a[k + 1] = subMod(u, v);
    }
    for (int h = 2; h < n; h <<= 1) {
      for (int k = 0; k < n; k += h << 1) {
        // j = 0: the twiddle is 1.
        long u0 = a[k];
        long v0 = a[k + h];
        a[k] = addMod(u0, v0);
        a[k + h] = subMod(u0, v0);
        for (int j = 1; j < h; j++) {
          long u = a[k + j];
          long v = mulMod(a[k + j + h], tw[h + j]);
          a[k + j] = addMod(u, v);
          a[k + j + h] = subMod(u, v);
        }
      }
    }
  }

  /**
   * Twiddle factors, grown on demand: {@code tw[h + j] = alpha_{2h}^j} for every power of two
   * {@code h < size} and {@code 0 <= j < h}. Tables are immutable once published.
   */
  private static final class NttTable64 {
    private volatile long[] tw = new long[0];

    long[] get(int n) {
      long[] t = tw;
      if (t.length >= n) {
        return t;
      }
      synchronized (this) {
        t = tw;
        if (t.length < n) {
          t = build(Math.max(n, 1 << 10));
          tw = t;
        }
        return t;
      }
    }

    private static long[] build(int size) {
      long[] t = new long[size];
      int h = size >>> 1;
      long w = ROOTS[Integer.numberOfTrailingZeros(size)];
      long x = 1;
      for (int j = 0; j < h; j++) {
        t[h + j] = x;
        x = mulMod(x, w);
      }
      // alpha_{2h}^j = alpha_{4h}^{2j}: each lower level is every other entry of the one above.
      for (h >>>= 1; h >= 1; h >>>= 1) {
        for (int j = 0; j < h; j++) {
          t[h + j] = t[2 * h + 2 * j];
        }
      }
      return t;
    }
  }

  @Override
  public void polyEval(long[] poly, int off, int n, long[] x, int xi, long[] r, int ri) {
    if (n == 0) {
      r[ri] = 0;
      return;
    }
    long xv = x[xi];
    long acc = poly[off + n - 1];
    for (int i = off + n - 2; i >= off; i--) {
      acc = addMod(mulMod(acc, xv), poly[i]);
    }
    r[ri] = acc;
  }

  // ---- encoding ----------------------------------------------------------------------------

  @Override
  public void encode(long[] v, int n, byte[] out, int off) {
    for (int i = 0; i < n; i++) {
      LittleEndian.putLong(out, off + 8 * i, v[i]);
    }
  }

  @Override
  public long[] decode(byte[] in, int off, int n) throws DecodeException {
    if (in == null) {
      throw new DecodeException("Field64: null input");
    }
    if (off < 0 || n < 0 || off > in.length || n > (in.length - off) / 8) {
      throw new DecodeException(
          "Field64: cannot decode " + n + " elements at offset " + off + " of " + in.length);
    }
    long[] r = new long[n];
    for (int i = 0; i < n; i++) {
      long v = LittleEndian.getLong(in, off + 8 * i);
      if (v + Long.MIN_VALUE >= P + Long.MIN_VALUE) {
        throw new DecodeException("Field64: element " + i + " is not below the modulus");
      }
      r[i] = v;
    }
    return r;
  }

  @Override
  public boolean trySample(byte[] in, int off, long[] r, int ri) {
    long v = LittleEndian.getLong(in, off);
    if (v + Long.MIN_VALUE >= P + Long.MIN_VALUE) {
      return false;
    }
    r[ri] = v;
    return true;
  }
}
