package io.pando.vdaf.field;

import io.pando.codec.DecodeException;
import java.math.BigInteger;

/**
 * Field128 (draft-irtf-cfrg-vdaf-08 §6.1.2): the prime field modulo {@code p = 2^66 *
 * 4611686018427387897 + 1 = 2^128 - 28 * 2^64 + 1}.
 *
 * <p>Each element is two {@code long}s, {@code [lo, hi]}, holding the Montgomery form {@code x *
 * 2^128 mod p} of the element {@code x}, canonical in {@code [0, p)}. Since {@code p = 1 (mod
 * 2^64)}, the per-word Montgomery factor is simply {@code -t0 mod 2^64}.
 */
public final class Field128 extends Field {
  /** The single instance. */
  public static final Field128 INSTANCE = new Field128();

  /** High word of the modulus, {@code 2^64 - 28}; the low word is 1. */
  static final long P1 = 0xffffffffffffffe4L;

  private static final BigInteger MODULUS = new BigInteger("ffffffffffffffe40000000000000001", 16);
  private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
  private static final int LOG2_GEN_ORDER = 66;
  private static final BigInteger GENERATOR =
      new BigInteger("6d278fbf4f60228b1f9b2759c5109f06", 16);

  /** {@code R^2 mod p} for {@code R = 2^128}, the factor that converts into Montgomery form. */
  private static final long R2_0;
  private static final long R2_1;

  /** ROOTS[2k], ROOTS[2k+1]: Montgomery form of the principal 2^k-th root of unity. */
  private static final long[] ROOTS;

  /** INV_POW2[2k], INV_POW2[2k+1]: Montgomery form of 2^-k. */
  private static final long[] INV_POW2;

  /** Montgomery form of 1. */
  private static final long ONE_0;
  private static final long ONE_1;

  static {
    BigInteger r2 = TWO_128.multiply(TWO_128).mod(MODULUS);
    R2_0 = r2.longValue();
    R2_1 = r2.shiftRight(64).longValue();
    BigInteger one = TWO_128.mod(MODULUS);
    ONE_0 = one.longValue();
    ONE_1 = one.shiftRight(64).longValue();
    // Orders above 2^30 cannot be requested through an int, so the table stops at 2^30.
    ROOTS = new long[2 * 31];
    INV_POW2 = new long[2 * 31];
    BigInteger twoInv = BigInteger.valueOf(2).modInverse(MODULUS);
    for (int k = 0; k <= 30; k++) {
      BigInteger w = GENERATOR.modPow(BigInteger.ONE.shiftLeft(LOG2_GEN_ORDER - k), MODULUS);
      storeMont(w, ROOTS, k);
      storeMont(twoInv.modPow(BigInteger.valueOf(k), MODULUS), INV_POW2, k);
    }
  }

  private final NttTable128 table = new NttTable128();

  private Field128() {}

  @Override
  public int limbs() {
    return 2;
  }

  @Override
  public int encodedSize() {
    return 16;
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
    return "Field128";
  }

  // ---- word helpers ------------------------------------------------------------------------
  //
  // Carries and borrows are computed with bit operations and applied through masks: no
  // data-dependent branches or selections, whose compiled form (branch or conditional move) would
  // depend on the JIT's profile and mispredict on random elements.

  /** Carry out of the unsigned addition s = a + b, as 0 or 1. */
  private static long carry(long a, long b, long s) {
    return ((a & b) | ((a | b) & ~s)) >>> 63;
  }

  /** Borrow out of the unsigned subtraction d = a - b, as 0 or 1. */
  private static long borrow(long a, long b, long d) {
    return ((~a & b) | (~(a ^ b) & d)) >>> 63;
  }

  /** High word of the unsigned product a * b. */
  private static long mulHiU(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  /** High word of the unsigned product m * P1 (P1 has its top bit set). */
  private static long mulHiP1(long m) {
    return Math.multiplyHigh(m, P1) + ((m >> 63) & P1) + m;
  }

  /** Stores the Montgomery form of canonical v (0 <= v < p) at element ri of r. */
  private static void storeMont(BigInteger v, long[] r, int ri) {
    BigInteger m = v.shiftLeft(128).mod(MODULUS);
    r[2 * ri] = m.longValue();
    r[2 * ri + 1] = m.shiftRight(64).longValue();
  }

  // ---- Montgomery arithmetic ---------------------------------------------------------------

  /**
   * Stores {@code a * b * 2^-128 mod p} at r[ri], r[ri + 1] (long indices), for a = (a0, a1) and b =
   * (b0, b1) below p.
   */
  static void montMul(long a0, long a1, long b0, long b1, long[] r, int ri) {
    // Schoolbook 128x128 -> 256-bit product (t0, t1, t2, t3).
    long t0 = a0 * b0;
    long h00 = mulHiU(a0, b0);
    long l01 = a0 * b1;
    long h01 = mulHiU(a0, b1);
    long l10 = a1 * b0;
    long h10 = mulHiU(a1, b0);
    long l11 = a1 * b1;
    long h11 = mulHiU(a1, b1);

    long t1 = h00 + l01;
    long c = carry(h00, l01, t1);
    long x = t1 + l10;
    c += carry(t1, l10, x);
    t1 = x;
    long t2 = h01 + h10;
    long c2 = carry(h01, h10, t2);
    x = t2 + l11;
    c2 += carry(t2, l11, x);
    t2 = x + c;
    c2 += (x & ~t2) >>> 63; // adding c <= 2 carries iff the top bit falls
    long t3 = h11 + c2;

    montReduce(t0, t1, t2, t3, r, ri);
  }

  /** Stores {@code t * 2^-128 mod p} for a 256-bit t = (t0, t1, t2, t3) below p * 2^128. */
  private static void montReduce(long t0, long t1, long t2, long t3, long[] r, int ri) {
    // Round 1: add m * p with m = -t0 (p = 1 mod 2^64), so the low word cancels; it carries into
    // the next word iff t0 != 0.
    long m = -t0;
    long c = (t0 | m) >>> 63;
    long q0 = m * P1;
    long q1 = mulHiP1(m);
    long s1 = t1 + q0;
    long k = carry(t1, q0, s1);
    long x = s1 + c;
    k += (s1 & ~x) >>> 63;
    s1 = x;
    long s2 = t2 + q1;
    long k2 = carry(t2, q1, s2);
    x = s2 + k;
    k2 += (s2 & ~x) >>> 63;
    s2 = x;
    long s3 = t3 + k2;

    // Round 2 on (s1, s2, s3); the result (v0, v1, v2) is below 2p.
    m = -s1;
    c = (s1 | m) >>> 63;
    q0 = m * P1;
    q1 = mulHiP1(m);
    long v0 = s2 + q0;
    k = carry(s2, q0, v0);
    x = v0 + c;
    k += (v0 & ~x) >>> 63;
    v0 = x;
    long v1 = s3 + q1;
    long v2 = carry(s3, q1, v1);
    x = v1 + k;
    v2 += (v1 & ~x) >>> 63;
    v1 = x;

    // y = v + (2^128 - p) = v + 27 * 2^64 + (2^64 - 1) reaches 2^128 exactly when v >= p, and then
    // its low 128 bits are v - p.
    long y0 = v0 - 1;
    long y1 = v1 + 27 + ((v0 | -v0) >>> 63);
    long mask = -(v2 | ((v1 & ~y1) >>> 63));
    r[ri] = v0 ^ ((v0 ^ y0) & mask);
    r[ri + 1] = v1 ^ ((v1 ^ y1) & mask);
  }

  /** Stores (a + b) mod p at r[ri], r[ri + 1] (long indices), for a, b below p. */
  private static void addMod(long a0, long a1, long b0, long b1, long[] r, int ri) {
    long s0 = a0 + b0;
    long t = a1 + b1;
    long s1 = t + carry(a0, b0, s0);
    long c1 = carry(a1, b1, t) | ((t & ~s1) >>> 63);
    // y = s + (2^128 - p): s >= p iff the 128-bit sum s carried out or y does.
    long y0 = s0 - 1;
    long y1 = s1 + 27 + ((s0 | -s0) >>> 63);
    long mask = -(c1 | ((s1 & ~y1) >>> 63));
    r[ri] = s0 ^ ((s0 ^ y0) & mask);
    r[ri + 1] = s1 ^ ((s1 ^ y1) & mask);
  }

  /** Stores (a - b) mod p at r[ri], r[ri + 1] (long indices), for a, b below p. */
  private static void subMod(long a0, long a1, long b0, long b1, long[] r, int ri) {
    long d0 = a0 - b0;
    long t = a1 - b1;
    long d1 = t - borrow(a0, b0, d0);
    long bw = borrow(a1, b1, t) | ((~t & d1) >>> 63);
    // On borrow add p = P1 * 2^64 + 1.
    long y0 = d0 + 1;
    long y1 = d1 + P1 + ((d0 & ~y0) >>> 63);
    long mask = -bw;
    r[ri] = d0 ^ ((d0 ^ y0) & mask);
    r[ri + 1] = d1 ^ ((d1 ^ y1) & mask);
  }

  // ---- single elements ---------------------------------------------------------------------

  @Override
  public void set(long[] r, int ri, long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative value");
    }
    montMul(v, 0, R2_0, R2_1, r, 2 * ri);
  }

  @Override
  public void set(long[] r, int ri, BigInteger v) {
    BigInteger c = v.mod(MODULUS);
    montMul(c.longValue(), c.shiftRight(64).longValue(), R2_0, R2_1, r, 2 * ri);
  }

  @Override
  public BigInteger toBigInteger(long[] a, int ai) {
    long[] t = new long[2];
    montReduce(a[2 * ai], a[2 * ai + 1], 0, 0, t, 0);
    return unsigned(t[1]).shiftLeft(64).or(unsigned(t[0]));
  }

  private static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
    return v < 0 ? b.setBit(63) : b;
  }

  @Override
  public void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    addMod(a[2 * ai], a[2 * ai + 1], b[2 * bi], b[2 * bi + 1], r, 2 * ri);
  }

  @Override
  public void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    subMod(a[2 * ai], a[2 * ai + 1], b[2 * bi], b[2 * bi + 1], r, 2 * ri);
  }

  @Override
  public void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    montMul(a[2 * ai], a[2 * ai + 1], b[2 * bi], b[2 * bi + 1], r, 2 * ri);
  }

  @Override
  public void neg(long[] a, int ai, long[] r, int ri) {
    subMod(0, 0, a[2 * ai], a[2 * ai + 1], r, 2 * ri);
  }

  @Override
  public void inv(long[] a, int ai, long[] r, int ri) {
    long a0 = a[2 * ai];
    long a1 = a[2 * ai + 1];
    if ((a0 | a1) == 0) {
      throw new ArithmeticException("Field128: inverse of zero");
    }
    // Fermat: a^(p - 2), with p - 2 = (P1 - 1) * 2^64 + (2^64 - 1).
    long[] t = new long[2];
    powMont(a0, a1, new long[] {-1L, P1 - 1}, t);
    r[2 * ri] = t[0];
    r[2 * ri + 1] = t[1];
  }

  @Override
  public void pow(long[] a, int ai, long e, long[] r, int ri) {
    if (e < 0) {
      throw new IllegalArgumentException("negative exponent");
    }
    long[] t = new long[2];
    powMont(a[2 * ai], a[2 * ai + 1], new long[] {e}, t);
    r[2 * ri] = t[0];
    r[2 * ri + 1] = t[1];
  }

  /** t = a^e for the unsigned exponent e given as little-endian words. */
  private static void powMont(long a0, long a1, long[] e, long[] t) {
    long[] b = {a0, a1};
    t[0] = ONE_0;
    t[1] = ONE_1;
    for (int w = 0; w < e.length; w++) {
      long word = e[w];
      // Bits of the last word above its highest set bit need no squarings.
      int bits = w == e.length - 1 ? 64 - Long.numberOfLeadingZeros(word) : 64;
      for (int i = 0; i < bits; i++) {
        if ((word & 1) != 0) {
          montMul(t[0], t[1], b[0], b[1], t, 0);
        }
        montMul(b[0], b[1], b[0], b[1], b, 0);
        word >>>= 1;
      }
    }
  }

  @Override
  public boolean isZero(long[] a, int ai) {
    return (a[2 * ai] | a[2 * ai + 1]) == 0;
  }

  @Override
  public boolean equal(long[] a, int ai, long[] b, int bi) {
    return a[2 * ai] == b[2 * bi] && a[2 * ai + 1] == b[2 * bi + 1];
  }

  // ---- vectors -----------------------------------------------------------------------------

  @Override
  public void addVec(long[] a, long[] b, long[] r, int n) {
    for (int i = 0; i < 2 * n; i += 2) {
      addMod(a[i], a[i + 1], b[i], b[i + 1], r, i);
    }
  }

  /**
   * Per element two words (laid out as in a vector, first 2n longs) and a carry count (last n
   * longs): sums of up to 2^64 elements stay exact.
   */
  @Override
  public int wideLimbs() {
    return 3;
  }

  @Override
  public void addWide(long[] acc, long[] v, int n) {
    int carries = 2 * n;
    for (int i = 0; i < n; i++) {
      int j = 2 * i;
      long a0 = acc[j];
      long a1 = acc[j + 1];
      long b0 = v[j];
      long b1 = v[j + 1];
      long lo = a0 + b0;
      long t = a1 + b1;
      long hi = t + carry(a0, b0, lo);
      acc[j] = lo;
      acc[j + 1] = hi;
      acc[carries + i] += carry(a1, b1, t) | ((t & ~hi) >>> 63);
    }
  }

  /** Folds the carry count back in with {@code 2^128 = 28 * 2^64 - 1 (mod p)}. */
  @Override
  public void reduceWide(long[] acc, int n, long[] r) {
    for (int i = 0; i < n; i++) {
      long lo = acc[2 * i];
      long hi = acc[2 * i + 1];
      long c = acc[2 * n + i];
      while (c != 0) {
        // c * 2^128 = (28c - 1) * 2^64 + (2^64 - c) (mod p), for c >= 1
        long addLo = -c;
        long addHi = 28 * c - 1;
        long nlo = lo + addLo;
        long t = hi + addHi;
        long nhi = t + carry(lo, addLo, nlo);
        c = carry(hi, addHi, t) | ((t & ~nhi) >>> 63);
        lo = nlo;
        hi = nhi;
      }
      addMod(lo, hi, 0, 0, r, 2 * i); // below 2^128 < 2p: one conditional subtraction of p
    }
  }

  @Override
  public void subVec(long[] a, long[] b, long[] r, int n) {
    for (int i = 0; i < 2 * n; i += 2) {
      subMod(a[i], a[i + 1], b[i], b[i + 1], r, i);
    }
  }

  @Override
  public boolean equalVec(long[] a, long[] b, int n) {
    long diff = 0;
    for (int i = 0; i < 2 * n; i++) {
      diff |= a[i] ^ b[i];
    }
    return diff == 0;
  }

  // ---- NTT ---------------------------------------------------------------------------------

  @Override
  public void rootOfUnity(int n, long[] r, int ri) {
    int k = log2(n);
    r[2 * ri] = ROOTS[2 * k];
    r[2 * ri + 1] = ROOTS[2 * k + 1];
  }

  /** log2(n) for a power of two n >= 1. */
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
    long s0 = INV_POW2[2 * logN];
    long s1 = INV_POW2[2 * logN + 1];
    montMul(a[0], a[1], s0, s1, a, 0);
    montMul(a[n], a[n + 1], s0, s1, a, n);
    for (int i = 2, j = 2 * n - 2; i < j; i += 2, j -= 2) {
      long x0 = a[i];
      long x1 = a[i + 1];
      montMul(a[j], a[j + 1], s0, s1, a, i);
      montMul(x0, x1, s0, s1, a, j);
    }
  }

  private static void bitReverse(long[] a, int n, int logN) {
    int shift = 32 - logN;
    for (int i = 1; i < n - 1; i++) {
      int j = Integer.reverse(i) >>> shift;
      if (i < j) {
        long t0 = a[2 * i];
        long t1 = a[2 * i + 1];
        a[2 * i] = a[2 * j];
        a[2 * i + 1] = a[2 * j + 1];
        a[2 * j] = t0;
        a[2 * j + 1] = t1;
      }
    }
  }

  /** Decimation-in-time butterflies on bit-reversed input, natural-order output. */
  private static void butterflies(long[] a, int n, long[] tw) {
    // Stage with half-size 1: the twiddle is 1.
    for (int k = 0; k < 2 * n; k += 4) {
      long u0 = a[k];
      long u1 = a[k + 1];
      long v0 = a[k + 2];
      long v1 = a[k + 3];
      addMod(u0, u1, v0, v1, a, k);
      subMod(u0, u1, v0, v1, a, k + 2);
    }
    for (int h = 2; h < n; h <<= 1) {
      int h2 = 2 * h; // half-size in longs
      for (int k = 0; k < 2 * n; k += 2 * h2) {
        // j = 0: the twiddle is 1.
        long a0 = a[k];
        long a1 = a[k + 1];
        long b0 = a[k + h2];
        long b1 = a[k + h2 + 1];
        addMod(a0, a1, b0, b1, a, k);
        subMod(a0, a1, b0, b1, a, k + h2);
        for (int j = 2; j < h2; j += 2) {
          int x = k + j;
          int y = x + h2;
          montMul(a[y], a[y + 1], tw[h2 + j], tw[h2 + j + 1], a, y);
          long u0 = a[x];
          long u1 = a[x + 1];
          long v0 = a[y];
          long v1 = a[y + 1];
          addMod(u0, u1, v0, v1, a, x);
          subMod(u0, u1, v0, v1, a, y);
        }
      }
    }
  }

  /**
   * Twiddle factors in Montgomery form, grown on demand: element {@code h + j} is {@code
   * alpha_{2h}^j} for every power of two {@code h < size} and {@code 0 <= j < h}. Tables are
   * immutable once published.
   */
  private static final class NttTable128 {
    private volatile long[] tw = new long[0];

    long[] get(int n) {
      long[] t = tw;
      if (t.length >= 2 * n) {
        return t;
      }
      synchronized (this) {
        t = tw;
        if (t.length < 2 * n) {
          t = build(Math.max(n, 1 << 10));
          tw = t;
        }
        return t;
      }
    }

    private static long[] build(int size) {
      long[] t = new long[2 * size];
      int h = size >>> 1;
      int k = Integer.numberOfTrailingZeros(size);
      long w0 = ROOTS[2 * k];
      long w1 = ROOTS[2 * k + 1];
      t[2 * h] = ONE_0;
      t[2 * h + 1] = ONE_1;
      for (int j = 1; j < h; j++) {
        int i = 2 * (h + j);
        montMul(t[i - 2], t[i - 1], w0, w1, t, i);
      }
      // alpha_{2h}^j = alpha_{4h}^{2j}: each lower level is every other entry of the one above.
      for (h >>>= 1; h >= 1; h >>>= 1) {
        for (int j = 0; j < h; j++) {
          t[2 * (h + j)] = t[2 * (2 * h + 2 * j)];
          t[2 * (h + j) + 1] = t[2 * (2 * h + 2 * j) + 1];
        }
      }
      return t;
    }
  }

  @Override
  public void polyEval(long[] poly, int off, int n, long[] x, int xi, long[] r, int ri) {
    if (n == 0) {
      r[2 * ri] = 0;
      r[2 * ri + 1] = 0;
      return;
    }
    long x0 = x[2 * xi];
    long x1 = x[2 * xi + 1];
    long[] acc = {poly[2 * (off + n - 1)], poly[2 * (off + n - 1) + 1]};
    for (int i = 2 * (off + n - 2); i >= 2 * off; i -= 2) {
      montMul(acc[0], acc[1], x0, x1, acc, 0);
      addMod(acc[0], acc[1], poly[i], poly[i + 1], acc, 0);
    }
    r[2 * ri] = acc[0];
    r[2 * ri + 1] = acc[1];
  }

  // ---- encoding ----------------------------------------------------------------------------

  @Override
  public void encode(long[] v, int n, byte[] out, int off) {
    long[] t = new long[2];
    for (int i = 0; i < n; i++) {
      montReduce(v[2 * i], v[2 * i + 1], 0, 0, t, 0);
      LittleEndian.putLong(out, off + 16 * i, t[0]);
      LittleEndian.putLong(out, off + 16 * i + 8, t[1]);
    }
  }

  @Override
  public long[] decode(byte[] in, int off, int n) throws DecodeException {
    if (in == null) {
      throw new DecodeException("Field128: null input");
    }
    if (off < 0 || n < 0 || off > in.length || n > (in.length - off) / 16) {
      throw new DecodeException(
          "Field128: cannot decode " + n + " elements at offset " + off + " of " + in.length);
    }
    long[] r = new long[2 * n];
    for (int i = 0; i < n; i++) {
      long lo = LittleEndian.getLong(in, off + 16 * i);
      long hi = LittleEndian.getLong(in, off + 16 * i + 8);
      if (!below(lo, hi)) {
        throw new DecodeException("Field128: element " + i + " is not below the modulus");
      }
      montMul(lo, hi, R2_0, R2_1, r, 2 * i);
    }
    return r;
  }

  @Override
  public boolean trySample(byte[] in, int off, long[] r, int ri) {
    long lo = LittleEndian.getLong(in, off);
    long hi = LittleEndian.getLong(in, off + 8);
    if (!below(lo, hi)) {
      return false;
    }
    montMul(lo, hi, R2_0, R2_1, r, 2 * ri);
    return true;
  }

  /** (hi, lo) < p as an unsigned 128-bit integer. */
  private static boolean below(long lo, long hi) {
    return hi + Long.MIN_VALUE < P1 + Long.MIN_VALUE || (hi == P1 && lo == 0);
  }
}
