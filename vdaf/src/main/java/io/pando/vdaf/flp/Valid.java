package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;
import java.util.List;

/**
 * A validity circuit (draft-irtf-cfrg-vdaf-08 §7.3.2): the arithmetic check that an encoded
 * measurement is valid, plus the measurement encoding, truncation and result decoding that make
 * up an FLP "type".
 *
 * @param <M> the measurement type
 * @param <R> the aggregate result type
 */
public abstract class Valid<M, R> {
  protected final Field field;

  protected Valid(Field field) {
    this.field = field;
  }

  public final Field field() {
    return field;
  }

  /** MEAS_LEN: length of the encoded measurement. */
  public abstract int measLen();

  /** JOINT_RAND_LEN. */
  public abstract int jointRandLen();

  /** OUTPUT_LEN: length of the aggregatable output. */
  public abstract int outputLen();

  /**
   * EVAL_OUTPUT_LEN (draft-20 §7.3.2): how many elements {@link #eval} outputs. The FLP reduces
   * them to one with as many query randomness elements when there are several. Every draft-08
   * circuit outputs one.
   */
  public int evalOutputLen() {
    return 1;
  }

  /** GADGETS. */
  public abstract List<Gadget> gadgets();

  /** GADGET_CALLS, one entry per gadget. */
  public abstract int[] gadgetCalls();

  /** Valid.encode: the measurement as MEAS_LEN field elements; invalid input is refused. */
  public abstract long[] encode(M measurement);

  /** Valid.truncate: the encoded measurement (or a share of it) cut to OUTPUT_LEN. */
  public abstract long[] truncate(long[] meas);

  /** Valid.decode: the aggregate result from the unsharded aggregate. */
  public abstract R decode(long[] output, long numMeasurements);

  /**
   * The aggregate result from an aggregate already read as signed integers (one per output
   * element; see {@code Prio3.unshardSigned}): the shape of {@link #decode}, with entries that
   * may be negative because aggregators added noise.
   *
   * @throws UnsupportedOperationException for a circuit whose result is not its output vector
   * @throws ArithmeticException if an entry of a count result does not fit in a long
   */
  public R decodeSigned(List<java.math.BigInteger> aggregate) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " has no signed result");
  }

  /** Signed counts as longs (see {@link #decodeSigned}). */
  static List<Long> signedCounts(List<java.math.BigInteger> aggregate) {
    Long[] r = new Long[aggregate.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = signedLong(aggregate.get(i));
    }
    return List.of(r);
  }

  /** The value as a long; ArithmeticException when it does not fit. */
  static long signedLong(java.math.BigInteger v) {
    if (v.bitLength() > 63) {
      throw new ArithmeticException("aggregate entry does not fit in a long: " + v);
    }
    return v.longValue();
  }

  /**
   * Valid.eval: evaluates the circuit on a measurement (share) with the given joint randomness,
   * calling gadgets through {@code gadgets}; writes the circuit's {@link #evalOutputLen()} outputs
   * to out[0..). Constants are scaled by 1/numShares so that each share evaluates its share of
   * the output.
   */
  public abstract void eval(long[] meas, long[] jointRand, int numShares, GadgetCalls gadgets,
      long[] out);

  private final java.util.Map<Integer, long[]> sharesInvCache =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** 1 / numShares as a one-element vector (computed once per share count: inversions cost). */
  protected final long[] sharesInv(int numShares) {
    return sharesInvCache.computeIfAbsent(numShares, n -> {
      long[] r = field.alloc(1);
      field.set(r, 0, n);
      field.inv(r, 0, r, 0);
      return r;
    }).clone();
  }

  /**
   * The range check shared by SumVec, Histogram and MultihotCountVec (VDAF-08 §7.4.2-7.4.4): with
   * {@code r = jointRand[jr]}, the sum over calls of ParallelSum(Mul, chunk) on inputs {@code
   * (r^(idx+1) * x[idx], x[idx] - 1/shares)}, where x is zero past measLen(). Result in out[oi].
   */
  protected final void parallelSumRangeCheck(long[] meas, int measLen, long[] jointRand, int jr,
      int chunkLength, int calls, long[] sharesInv, GadgetCalls gadgets, long[] out, int oi) {
    parallelSumRangeCheck(meas, measLen, jointRand, jr, chunkLength, calls, sharesInv, gadgets,
        out, oi, false);
  }

  /**
   * The same range check; with {@code perCall} (draft-20 §7.4.3-7.4.5), call i uses its own
   * {@code r_i = jointRand[jr + i]} with the powers {@code r_i^1 .. r_i^chunk} instead of one r
   * whose powers run on across calls.
   */
  protected final void parallelSumRangeCheck(long[] meas, int measLen, long[] jointRand, int jr,
      int chunkLength, int calls, long[] sharesInv, GadgetCalls gadgets, long[] out, int oi,
      boolean perCall) {
    Field f = field;
    long[] inputs = f.alloc(2 * chunkLength);
    long[] rPower = f.alloc(1);
    f.copy(jointRand, jr, rPower, 0);
    long[] negSharesInv = f.alloc(1);
    f.neg(sharesInv, 0, negSharesInv, 0);
    long[] acc = f.alloc(2);
    for (int i = 0; i < calls; i++) {
      int base = i * chunkLength;
      int ri = perCall ? jr + i : jr;
      if (perCall) {
        f.copy(jointRand, ri, rPower, 0);
      }
      for (int j = 0; j < chunkLength; j++) {
        int index = base + j;
        if (index < measLen) {
          f.mul(rPower, 0, meas, index, inputs, 2 * j);
          f.sub(meas, index, sharesInv, 0, inputs, 2 * j + 1);
        } else {
          f.set(inputs, 2 * j, 0);
          f.copy(negSharesInv, 0, inputs, 2 * j + 1);
        }
        f.mul(rPower, 0, jointRand, ri, rPower, 0);
      }
      gadgets.call(0, inputs, acc, 1);
      f.add(acc, 0, acc, 1, acc, 0);
    }
    f.copy(acc, 0, out, oi);
  }

  /** sum_i 2^i * bits[off + i] for i in [0, n), as a field element in r[0]. */
  protected final long[] decodeFromBitVector(long[] bits, int off, int n) {
    Field f = field;
    long[] r = f.alloc(2);
    long[] tmp = f.alloc(1);
    long[] power = f.alloc(1);
    f.set(power, 0, 1);
    for (int i = 0; i < n; i++) {
      f.mul(bits, off + i, power, 0, tmp, 0);
      f.add(r, 0, tmp, 0, r, 0);
      f.add(power, 0, power, 0, power, 0);
    }
    return r;
  }

  /**
   * encode_range_checked_int (draft-20 §7.4.2): {@code bits = bit_length(max)} elements, the first
   * {@code bits - 1} the binary digits of {@code rest} and the last a 0 or 1 of weight {@code max -
   * (2^(bits-1) - 1)}, so that every value in [0, max] and no other has an encoding of 0s and 1s.
   */
  protected final void encodeRangeCheckedInt(long value, long max, long[] out, int off) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException("measurement must be in [0, " + max + "], got " + value);
    }
    int bits = bitLength(max);
    long restAllOnes = (1L << (bits - 1)) - 1;
    long lastWeight = max - restAllOnes;
    boolean high = value > restAllOnes;
    long rest = high ? value - lastWeight : value;
    encodeIntoBitVector(rest, bits - 1, out, off);
    field.set(out, off + bits - 1, high ? 1 : 0);
  }

  /** decode_range_checked_int (draft-20 §7.4.2), linear, so it applies to shares too: in r[0]. */
  protected final long[] decodeRangeCheckedInt(long[] meas, int off, long max) {
    int bits = bitLength(max);
    long[] r = decodeFromBitVector(meas, off, bits - 1);
    long[] w = field.alloc(1);
    field.set(w, 0, max - ((1L << (bits - 1)) - 1));
    field.mul(w, 0, meas, off + bits - 1, w, 0);
    field.add(r, 0, w, 0, r, 0);
    return r;
  }

  /** The number of bits of a positive value. */
  static int bitLength(long v) {
    return 64 - Long.numberOfLeadingZeros(v);
  }

  /** Each of the first n elements as a non-negative long (counts cannot exceed a long). */
  static List<Long> decodeCounts(Field f, long[] output, int n) {
    Long[] r = new Long[n];
    for (int i = 0; i < n; i++) {
      r[i] = f.toLongExact(output, i);
    }
    return List.of(r);
  }

  /** Sets out[off..off+bits) to the bits of v, least significant first. */
  protected final void encodeIntoBitVector(long v, int bits, long[] out, int off) {
    for (int i = 0; i < bits; i++) {
      field.set(out, off + i, i < 64 ? (v >>> i) & 1 : 0);
    }
  }
}
