package io.pando.vdaf.field;

import io.pando.codec.DecodeException;
import java.math.BigInteger;

/**
 * A prime field (draft-irtf-cfrg-vdaf-08 §6.1): the NTT-friendly {@link Field64} and {@link
 * Field128}, and {@link Field255} (Poplar1 leaves; no NTT).
 *
 * <p>Elements live in {@code long[]} arrays, {@link #limbs()} longs per element; element {@code i}
 * of an array starts at index {@code i * limbs()}. Every method takes element indices, never long
 * indices. The bit pattern inside those longs is private to the field (it may be a Montgomery
 * form): callers only ever use the methods below, never read or write limbs directly. A freshly
 * allocated ({@link #alloc}) array holds zeros.
 *
 * <p>Output arrays may alias inputs in the element operations. Methods do not check bounds beyond
 * what the JVM does.
 */
public abstract class Field {
  Field() {}

  /** Longs per element: 1 for Field64, 2 for Field128. */
  public abstract int limbs();

  /** ENCODED_SIZE: bytes per encoded element (little-endian). */
  public abstract int encodedSize();

  /** MODULUS. */
  public abstract BigInteger modulus();

  /** GEN_ORDER as a power of two: the largest {@code log2(n)} for which {@link #ntt} works. */
  public abstract int log2GenOrder();

  /** A short name such as "Field64". */
  public abstract String name();

  /** A zero vector of {@code n} elements. */
  public final long[] alloc(int n) {
    return new long[n * limbs()];
  }

  /** Number of elements in an array allocated by this field. */
  public final int length(long[] v) {
    return v.length / limbs();
  }

  // ---- single elements ---------------------------------------------------------------------

  /** r[ri] = v mod p, for v >= 0. */
  public abstract void set(long[] r, int ri, long v);

  /** r[ri] = v mod p (v may be any BigInteger, negative included). */
  public abstract void set(long[] r, int ri, BigInteger v);

  /** The canonical integer in [0, p). */
  public abstract BigInteger toBigInteger(long[] a, int ai);

  /** Element {@code a[ai]} as a long; ArithmeticException when it does not fit in 63 bits. */
  public final long toLongExact(long[] a, int ai) {
    BigInteger v = toBigInteger(a, ai);
    if (v.bitLength() > 63) {
      throw new ArithmeticException("field element does not fit in a long: " + v);
    }
    return v.longValue();
  }

  /** r[ri] = a[ai]. */
  public final void copy(long[] a, int ai, long[] r, int ri) {
    int l = limbs();
    System.arraycopy(a, ai * l, r, ri * l, l);
  }

  /** r[ri] = a[ai] + b[bi]. */
  public abstract void add(long[] a, int ai, long[] b, int bi, long[] r, int ri);

  /** r[ri] = a[ai] - b[bi]. */
  public abstract void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri);

  /** r[ri] = a[ai] * b[bi]. */
  public abstract void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri);

  /** r[ri] = -a[ai]. */
  public abstract void neg(long[] a, int ai, long[] r, int ri);

  /** r[ri] = a[ai]^-1; throws ArithmeticException if a[ai] is zero. */
  public abstract void inv(long[] a, int ai, long[] r, int ri);

  /** r[ri] = a[ai]^e for e >= 0. */
  public abstract void pow(long[] a, int ai, long e, long[] r, int ri);

  /** a[ai] == 0. */
  public abstract boolean isZero(long[] a, int ai);

  /** a[ai] == b[bi]. */
  public abstract boolean equal(long[] a, int ai, long[] b, int bi);

  // ---- vectors -----------------------------------------------------------------------------

  /** r[i] = a[i] + b[i] for i in [0, n). */
  public abstract void addVec(long[] a, long[] b, long[] r, int n);

  /** r[i] = a[i] - b[i] for i in [0, n). */
  public abstract void subVec(long[] a, long[] b, long[] r, int n);

  // ---- wide accumulation: summing many vectors with one reduction at the end --------------

  /** Longs per element of a wide accumulator ({@link #addWide}). */
  public int wideLimbs() {
    return limbs();
  }

  /** A zero wide accumulator for n elements. */
  public final long[] allocWide(int n) {
    return new long[n * wideLimbs()];
  }

  /**
   * acc[i] += v[i] for i in [0, n), without reducing: a sum of fewer than 2^31 vectors stays
   * exact. Finish with {@link #reduceWide}.
   */
  public void addWide(long[] acc, long[] v, int n) {
    addVec(acc, v, acc, n);
  }

  /** r[i] = acc[i] mod p for a wide accumulator. */
  public void reduceWide(long[] acc, int n, long[] r) {
    System.arraycopy(acc, 0, r, 0, n * limbs());
  }

  /** a[i] == b[i] for all i in [0, n). */
  public abstract boolean equalVec(long[] a, long[] b, int n);

  /**
   * Writes into r[ri] the principal n-th root of unity {@code alpha_n = g^(GEN_ORDER / n)}, with g
   * the field's generator (VDAF-08 §6.1.2). n must be a power of two no larger than GEN_ORDER.
   */
  public abstract void rootOfUnity(int n, long[] r, int ri);

  /**
   * Forward NTT in place on the first n elements (n a power of two): afterwards {@code a[k] =
   * p(alpha_n^k)} where {@code p} had coefficients {@code a[0..n)} (lowest degree first); output in
   * natural order.
   */
  public abstract void ntt(long[] a, int n);

  /** Inverse of {@link #ntt}: interpolates values at {@code alpha_n^k} into coefficients. */
  public abstract void invNtt(long[] a, int n);

  /** r[ri] = p(x[xi]) with p's n coefficients at poly[off..off+n), lowest degree first. */
  public abstract void polyEval(long[] poly, int off, int n, long[] x, int xi, long[] r, int ri);

  // ---- encoding (little-endian, ENCODED_SIZE bytes per element) ------------------------------

  /** Encodes n elements of v into out starting at off. */
  public abstract void encode(long[] v, int n, byte[] out, int off);

  /** Encodes the whole vector. */
  public final byte[] encode(long[] v) {
    int n = length(v);
    byte[] out = new byte[n * encodedSize()];
    encode(v, n, out, 0);
    return out;
  }

  /**
   * Strictly decodes n elements from in[off..off + n*ENCODED_SIZE): fails if the range is out of
   * bounds or any element is >= MODULUS.
   */
  public abstract long[] decode(byte[] in, int off, int n) throws DecodeException;

  /** Decodes a whole byte string whose length must be a multiple of ENCODED_SIZE. */
  public final long[] decode(byte[] in) throws DecodeException {
    if (in.length % encodedSize() != 0) {
      throw new DecodeException(
          name() + " vector length " + in.length + " is not a multiple of " + encodedSize());
    }
    return decode(in, 0, in.length / encodedSize());
  }

  /**
   * One rejection-sampling step of {@code Xof.next_vec} (VDAF-08 §6.2): reads ENCODED_SIZE
   * little-endian bytes at in[off]; if the integer is < MODULUS stores it in r[ri] and returns
   * true, else returns false and leaves r unchanged.
   */
  public abstract boolean trySample(byte[] in, int off, long[] r, int ri);
}
