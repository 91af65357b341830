package io.pando.vdaf.field;

import io.pando.codec.DecodeException;
import java.math.BigInteger;

/**
 * Field255 (draft-irtf-cfrg-vdaf-08 §6.1.3): the prime field modulo {@code p = 2^255 - 19}, the
 * leaf field of Poplar1's IDPF (§8.3).
 *
 * <p>Each element is four {@code long}s, least significant first, holding the canonical
 * representative in {@code [0, p)}. Products are reduced with {@code 2^256 = 38 (mod p)} and
 * {@code 2^255 = 19 (mod p)}.
 *
 * <p>The field is not NTT-friendly: its multiplicative group has no large power-of-two subgroup,
 * so {@link #log2GenOrder()} is 0 and the NTT methods only accept the trivial size 1.
 */
public final class Field255 extends Field {
  /** The single instance. */
  public static final Field255 INSTANCE = new Field255();

  /** The modulus as four little-endian words. */
  static final long P0 = 0xffffffffffffffedL;
  static final long P1 = 0xffffffffffffffffL;
  static final long P2 = 0xffffffffffffffffL;
  static final long P3 = 0x7fffffffffffffffL;

  private static final BigInteger MODULUS =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger WORD_MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private Field255() {}

  @Override
  public int limbs() {
    return 4;
  }

  @Override
  public int encodedSize() {
    return 32;
  }

  @Override
  public BigInteger modulus() {
    return MODULUS;
  }

  /** 0: the field has no NTT beyond the trivial size 1. */
  @Override
  public int log2GenOrder() {
    return 0;
  }

  @Override
  public String name() {
    return "Field255";
  }

  // ---- word helpers ------------------------------------------------------------------------
  //
  // As in Field64 and Field128, carries and borrows are computed with bit operations and applied
  // through masks, so the arithmetic has no data-dependent branches.

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

  /**
   * Stores s mod p at r[ri..ri + 4) (long indices) for {@code s < 2p}: s itself, or {@code s - p
   * = s + 19 - 2^255} when {@code s + 19} reaches 2^255.
   */
  private static void reduceBelow2p(long s0, long s1, long s2, long s3, long[] r, int ri) {
    long w0 = s0 + 19;
    long c = carry(s0, 19, w0);
    long w1 = s1 + c;
    c = (s1 & ~w1) >>> 63;
    long w2 = s2 + c;
    c = (s2 & ~w2) >>> 63;
    long w3 = s3 + c;
    long mask = w3 >> 63;
    w3 &= Long.MAX_VALUE;
    r[ri] = s0 ^ ((s0 ^ w0) & mask);
    r[ri + 1] = s1 ^ ((s1 ^ w1) & mask);
    r[ri + 2] = s2 ^ ((s2 ^ w2) & mask);
    r[ri + 3] = s3 ^ ((s3 ^ w3) & mask);
  }

  /** Whether the 256-bit value x is below p. */
  private static boolean belowP(long x0, long x1, long x2, long x3) {
    // x >= p exactly when bit 255 of x is set or x + 19 reaches 2^255.
    long w0 = x0 + 19;
    long c = carry(x0, 19, w0);
    long w1 = x1 + c;
    c = (x1 & ~w1) >>> 63;
    long w2 = x2 + c;
    c = (x2 & ~w2) >>> 63;
    long w3 = x3 + c;
    return ((x3 | w3) >>> 63) == 0;
  }

  /** Stores (a + b) mod p at r[ri..ri + 4) (long indices), for a, b below p. */
  static void addMod(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3,
      long[] r, int ri) {
    long s0 = a0 + b0;
    long c = carry(a0, b0, s0);
    long t = a1 + b1;
    long s1 = t + c;
    c = carry(a1, b1, t) | ((t & ~s1) >>> 63);
    t = a2 + b2;
    long s2 = t + c;
    c = carry(a2, b2, t) | ((t & ~s2) >>> 63);
    long s3 = a3 + b3 + c; // a + b < 2^256: no carry out
    reduceBelow2p(s0, s1, s2, s3, r, ri);
  }

  /** Stores (a - b) mod p at r[ri..ri + 4) (long indices), for a, b below p. */
  static void subMod(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3,
      long[] r, int ri) {
    long d0 = a0 - b0;
    long bw = borrow(a0, b0, d0);
    long t = a1 - b1;
    long d1 = t - bw;
    bw = borrow(a1, b1, t) | ((~t & d1) >>> 63);
    t = a2 - b2;
    long d2 = t - bw;
    bw = borrow(a2, b2, t) | ((~t & d2) >>> 63);
    t = a3 - b3;
    long d3 = t - bw;
    bw = borrow(a3, b3, t) | ((~t & d3) >>> 63);
    // On borrow, add p (the carry out of 2^256 cancels the borrow).
    long m = -bw;
    long q0 = P0 & m;
    long q3 = P3 & m;
    long r0 = d0 + q0;
    long c = carry(d0, q0, r0);
    t = d1 + m;
    long r1 = t + c;
    c = carry(d1, m, t) | ((t & ~r1) >>> 63);
    t = d2 + m;
    long r2 = t + c;
    c = carry(d2, m, t) | ((t & ~r2) >>> 63);
    r[ri] = r0;
    r[ri + 1] = r1;
    r[ri + 2] = r2;
    r[ri + 3] = d3 + q3 + c;
  }

  /** Stores (a * b) mod p at r[ri..ri + 4) (long indices), for a, b below p. */
  static void mulMod(long a0, long a1, long a2, long a3, long b0, long b1, long b2, long b3,
      long[] r, int ri) {
    // Schoolbook 256x256 -> 512-bit product (t0, ..., t7), one row per word of a. In each step
    // t + a_i * b_j + h is at most 2^128 - 1, so the new high word h never overflows.
    long l;
    long x;
    long y;
    long h;
    long c1;
    long c2;

    // Row 0.
    long t0 = a0 * b0;
    h = mulHiU(a0, b0);
    l = a0 * b1;
    long t1 = l + h;
    h = mulHiU(a0, b1) + carry(l, h, t1);
    l = a0 * b2;
    long t2 = l + h;
    h = mulHiU(a0, b2) + carry(l, h, t2);
    l = a0 * b3;
    long t3 = l + h;
    long t4 = mulHiU(a0, b3) + carry(l, h, t3);

    // Row 1.
    l = a1 * b0;
    x = t1 + l;
    c1 = carry(t1, l, x);
    t1 = x;
    h = mulHiU(a1, b0) + c1;
    l = a1 * b1;
    x = t2 + l;
    c1 = carry(t2, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t2 = y;
    h = mulHiU(a1, b1) + c1 + c2;
    l = a1 * b2;
    x = t3 + l;
    c1 = carry(t3, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t3 = y;
    h = mulHiU(a1, b2) + c1 + c2;
    l = a1 * b3;
    x = t4 + l;
    c1 = carry(t4, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t4 = y;
    long t5 = mulHiU(a1, b3) + c1 + c2;

    // Row 2.
    l = a2 * b0;
    x = t2 + l;
    c1 = carry(t2, l, x);
    t2 = x;
    h = mulHiU(a2, b0) + c1;
    l = a2 * b1;
    x = t3 + l;
    c1 = carry(t3, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t3 = y;
    h = mulHiU(a2, b1) + c1 + c2;
    l = a2 * b2;
    x = t4 + l;
    c1 = carry(t4, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t4 = y;
    h = mulHiU(a2, b2) + c1 + c2;
    l = a2 * b3;
    x = t5 + l;
    c1 = carry(t5, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t5 = y;
    long t6 = mulHiU(a2, b3) + c1 + c2;

    // Row 3.
    l = a3 * b0;
    x = t3 + l;
    c1 = carry(t3, l, x);
    t3 = x;
    h = mulHiU(a3, b0) + c1;
    l = a3 * b1;
    x = t4 + l;
    c1 = carry(t4, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t4 = y;
    h = mulHiU(a3, b1) + c1 + c2;
    l = a3 * b2;
    x = t5 + l;
    c1 = carry(t5, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t5 = y;
    h = mulHiU(a3, b2) + c1 + c2;
    l = a3 * b3;
    x = t6 + l;
    c1 = carry(t6, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    t6 = y;
    long t7 = mulHiU(a3, b3) + c1 + c2;

    reduce512(t0, t1, t2, t3, t4, t5, t6, t7, r, ri);
  }

  /** Stores t mod p at r[ri..ri + 4) (long indices) for any 512-bit t = (t0, ..., t7). */
  private static void reduce512(long t0, long t1, long t2, long t3, long t4, long t5, long t6,
      long t7, long[] r, int ri) {
    // (t0..t3) + 38 * (t4..t7), using 2^256 = 38: a 256-bit value plus a fifth word h <= 38.
    long l = t4 * 38;
    long x = t0 + l;
    long c1 = carry(t0, l, x);
    long r0 = x;
    long h = mulHiU(t4, 38) + c1;
    l = t5 * 38;
    x = t1 + l;
    c1 = carry(t1, l, x);
    long y = x + h;
    long c2 = carry(x, h, y);
    long r1 = y;
    h = mulHiU(t5, 38) + c1 + c2;
    l = t6 * 38;
    x = t2 + l;
    c1 = carry(t2, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    long r2 = y;
    h = mulHiU(t6, 38) + c1 + c2;
    l = t7 * 38;
    x = t3 + l;
    c1 = carry(t3, l, x);
    y = x + h;
    c2 = carry(x, h, y);
    long r3 = y;
    long r4 = mulHiU(t7, 38) + c1 + c2;

    // Fold the fifth word: (r0..r3) + 38 * r4. If that carries past 2^256, the wrapped value is
    // below 38 * 39, so adding the 38 the carry stands for cannot carry again.
    l = r4 * 38;
    x = r0 + l;
    long c = carry(r0, l, x);
    r0 = x;
    x = r1 + c;
    c = (r1 & ~x) >>> 63;
    r1 = x;
    x = r2 + c;
    c = (r2 & ~x) >>> 63;
    r2 = x;
    x = r3 + c;
    c = (r3 & ~x) >>> 63;
    r3 = x;
    r0 += 38 & -c;

    // Fold bit 255 with 2^255 = 19; the result is below 2^255 + 19 < 2p.
    long top = r3 >>> 63;
    r3 &= Long.MAX_VALUE;
    l = 19 & -top;
    x = r0 + l;
    c = carry(r0, l, x);
    r0 = x;
    x = r1 + c;
    c = (r1 & ~x) >>> 63;
    r1 = x;
    x = r2 + c;
    c = (r2 & ~x) >>> 63;
    r2 = x;
    r3 += c;
    reduceBelow2p(r0, r1, r2, r3, r, ri);
  }

  private static void mulInto(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    mulMod(a[ai], a[ai + 1], a[ai + 2], a[ai + 3], b[bi], b[bi + 1], b[bi + 2], b[bi + 3], r, ri);
  }

  // ---- single elements ---------------------------------------------------------------------

  @Override
  public void set(long[] r, int ri, long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative value");
    }
    int i = 4 * ri;
    r[i] = v; // v < 2^63 < p
    r[i + 1] = 0;
    r[i + 2] = 0;
    r[i + 3] = 0;
  }

  @Override
  public void set(long[] r, int ri, BigInteger v) {
    BigInteger c = v.mod(MODULUS);
    int i = 4 * ri;
    for (int k = 0; k < 4; k++) {
      r[i + k] = c.shiftRight(64 * k).longValue();
    }
  }

  @Override
  public BigInteger toBigInteger(long[] a, int ai) {
    BigInteger v = BigInteger.ZERO;
    for (int k = 3; k >= 0; k--) {
      v = v.shiftLeft(64).or(BigInteger.valueOf(a[4 * ai + k]).and(WORD_MASK));
    }
    return v;
  }

  @Override
  public void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    int i = 4 * ai;
    int j = 4 * bi;
    addMod(a[i], a[i + 1], a[i + 2], a[i + 3], b[j], b[j + 1], b[j + 2], b[j + 3], r, 4 * ri);
  }

  @Override
  public void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    int i = 4 * ai;
    int j = 4 * bi;
    subMod(a[i], a[i + 1], a[i + 2], a[i + 3], b[j], b[j + 1], b[j + 2], b[j + 3], r, 4 * ri);
  }

  @Override
  public void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
    mulInto(a, 4 * ai, b, 4 * bi, r, 4 * ri);
  }

  @Override
  public void neg(long[] a, int ai, long[] r, int ri) {
    int i = 4 * ai;
    subMod(0, 0, 0, 0, a[i], a[i + 1], a[i + 2], a[i + 3], r, 4 * ri);
  }

  @Override
  public void inv(long[] a, int ai, long[] r, int ri) {
    if (isZero(a, ai)) {
      throw new ArithmeticException("Field255: inverse of zero");
    }
    // Fermat: a^(p - 2), p - 2 = 2^255 - 21. The exponent is public, so its bits may steer the
    // square-and-multiply loop.
    long[] base = new long[4];
    System.arraycopy(a, 4 * ai, base, 0, 4);
    long[] acc = {1, 0, 0, 0};
    long[] e = {P0 - 2, P1, P2, P3};
    for (int bit = 254; bit >= 0; bit--) {
      mulInto(acc, 0, acc, 0, acc, 0);
      if (((e[bit >>> 6] >>> (bit & 63)) & 1) != 0) {
        mulInto(acc, 0, base, 0, acc, 0);
      }
    }
    System.arraycopy(acc, 0, r, 4 * ri, 4);
  }

  @Override
  public void pow(long[] a, int ai, long e, long[] r, int ri) {
    if (e < 0) {
      throw new IllegalArgumentException("negative exponent");
    }
    long[] base = new long[4];
    System.arraycopy(a, 4 * ai, base, 0, 4);
    long[] acc = {1, 0, 0, 0};
    for (int bit = 62 - Long.numberOfLeadingZeros(e | 1) + 1; bit >= 0; bit--) {
      mulInto(acc, 0, acc, 0, acc, 0);
      if (((e >>> bit) & 1) != 0) {
        mulInto(acc, 0, base, 0, acc, 0);
      }
    }
    System.arraycopy(acc, 0, r, 4 * ri, 4);
  }

  @Override
  public boolean isZero(long[] a, int ai) {
    int i = 4 * ai;
    return (a[i] | a[i + 1] | a[i + 2] | a[i + 3]) == 0;
  }

  @Override
  public boolean equal(long[] a, int ai, long[] b, int bi) {
    int i = 4 * ai;
    int j = 4 * bi;
    return ((a[i] ^ b[j]) | (a[i + 1] ^ b[j + 1]) | (a[i + 2] ^ b[j + 2]) | (a[i + 3] ^ b[j + 3]))
        == 0;
  }

  // ---- vectors -----------------------------------------------------------------------------

  @Override
  public void addVec(long[] a, long[] b, long[] r, int n) {
    for (int k = 0; k < n; k++) {
      add(a, k, b, k, r, k);
    }
  }

  @Override
  public void subVec(long[] a, long[] b, long[] r, int n) {
    for (int k = 0; k < n; k++) {
      sub(a, k, b, k, r, k);
    }
  }

  @Override
  public boolean equalVec(long[] a, long[] b, int n) {
    long diff = 0;
    for (int i = 0; i < 4 * n; i++) {
      diff |= a[i] ^ b[i];
    }
    return diff == 0;
  }

  // ---- no NTT ------------------------------------------------------------------------------

  /** Only n = 1 (the root 1): Field255 has no larger power-of-two roots of unity in use. */
  @Override
  public void rootOfUnity(int n, long[] r, int ri) {
    requireTrivialNtt(n);
    set(r, ri, 1);
  }

  /** The identity for n = 1; Field255 is not NTT-friendly. */
  @Override
  public void ntt(long[] a, int n) {
    requireTrivialNtt(n);
  }

  /** The identity for n = 1; Field255 is not NTT-friendly. */
  @Override
  public void invNtt(long[] a, int n) {
    requireTrivialNtt(n);
  }

  private static void requireTrivialNtt(int n) {
    if (n != 1) {
      throw new UnsupportedOperationException("Field255 is not NTT-friendly (size " + n + ")");
    }
  }

  @Override
  public void polyEval(long[] poly, int off, int n, long[] x, int xi, long[] r, int ri) {
    long[] acc = new long[4];
    if (n > 0) {
      System.arraycopy(poly, 4 * (off + n - 1), acc, 0, 4);
      for (int i = off + n - 2; i >= off; i--) {
        mulInto(acc, 0, x, 4 * xi, acc, 0);
        add(acc, 0, poly, i, acc, 0);
      }
    }
    System.arraycopy(acc, 0, r, 4 * ri, 4);
  }

  // ---- encoding ----------------------------------------------------------------------------

  @Override
  public void encode(long[] v, int n, byte[] out, int off) {
    for (int i = 0; i < 4 * n; i++) {
      LittleEndian.putLong(out, off + 8 * i, v[i]);
    }
  }

  @Override
  public long[] decode(byte[] in, int off, int n) throws DecodeException {
    if (in == null) {
      throw new DecodeException("Field255: null input");
    }
    if (off < 0 || n < 0 || off > in.length || n > (in.length - off) / 32) {
      throw new DecodeException(
          "Field255: cannot decode " + n + " elements at offset " + off + " of " + in.length);
    }
    long[] r = new long[4 * n];
    for (int i = 0; i < n; i++) {
      int at = off + 32 * i;
      long x0 = LittleEndian.getLong(in, at);
      long x1 = LittleEndian.getLong(in, at + 8);
      long x2 = LittleEndian.getLong(in, at + 16);
      long x3 = LittleEndian.getLong(in, at + 24);
      if (!belowP(x0, x1, x2, x3)) {
        throw new DecodeException("Field255: element " + i + " is not below the modulus");
      }
      r[4 * i] = x0;
      r[4 * i + 1] = x1;
      r[4 * i + 2] = x2;
      r[4 * i + 3] = x3;
    }
    return r;
  }

  /**
   * One step of {@code next_vec} (VDAF-08 §6.2): the 32 bytes are masked with {@code
   * next_power_of_2(p) - 1 = 2^255 - 1} (the top bit cleared) and rejected if {@code >= p}.
   */
  @Override
  public boolean trySample(byte[] in, int off, long[] r, int ri) {
    long x0 = LittleEndian.getLong(in, off);
    long x1 = LittleEndian.getLong(in, off + 8);
    long x2 = LittleEndian.getLong(in, off + 16);
    long x3 = LittleEndian.getLong(in, off + 24) & Long.MAX_VALUE;
    if (!belowP(x0, x1, x2, x3)) {
      return false;
    }
    int i = 4 * ri;
    r[i] = x0;
    r[i + 1] = x1;
    r[i + 2] = x2;
    r[i + 3] = x3;
    return true;
  }
}
