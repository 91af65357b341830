package io.pando.vdaf.flp;

import io.pando.vdaf.VdafVersion;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.List;

/**
 * The Histogram circuit (draft-irtf-cfrg-vdaf-08 §7.4.4): a bucket index, encoded one-hot; checks
 * that every entry is 0 or 1 and that they sum to 1.
 *
 * <p>The range check adds each ParallelSum output without an extra factor r, as the draft's
 * reference code and its test vectors do (the draft-08 prose has a stray factor; see
 * docs/CONFORMANCE.md).
 */
public final class Histogram extends Valid<Integer, List<Long>> {
  private final int length;
  private final int chunkLength;
  private final int calls;
  private final ParallelSum gadget;
  private final boolean draft20;

  /** The draft-08 circuit (§7.4.4). */
  public Histogram(Field field, int length, int chunkLength) {
    this(field, length, chunkLength, VdafVersion.DRAFT_08);
  }

  /**
   * The circuit of a draft: draft-20 (§7.4.4) gives each gadget call its own joint randomness and
   * outputs {@code [range_check, sum_check]} for the FLP to reduce; draft-08 combines them itself
   * with {@code jr[1]}.
   */
  public Histogram(Field field, int length, int chunkLength, VdafVersion version) {
    super(field);
    this.draft20 = version == VdafVersion.DRAFT_20;
    if (length < 1) {
      throw new IllegalArgumentException("Histogram length must be positive, got " + length);
    }
    if (chunkLength < 1) {
      throw new IllegalArgumentException("chunk_length must be positive, got " + chunkLength);
    }
    this.length = length;
    this.chunkLength = chunkLength;
    this.calls = (length + chunkLength - 1) / chunkLength;
    this.gadget = new ParallelSum(Mul.INSTANCE, chunkLength);
  }

  public int length() {
    return length;
  }

  public int chunkLength() {
    return chunkLength;
  }

  @Override
  public int measLen() {
    return length;
  }

  @Override
  public int jointRandLen() {
    return draft20 ? calls : 2;
  }

  @Override
  public int evalOutputLen() {
    return draft20 ? 2 : 1;
  }

  @Override
  public int outputLen() {
    return length;
  }

  @Override
  public List<Gadget> gadgets() {
    return List.of(gadget);
  }

  @Override
  public int[] gadgetCalls() {
    return new int[] {calls};
  }

  @Override
  public long[] encode(Integer measurement) {
    if (measurement == null || measurement < 0 || measurement >= length) {
      throw new IllegalArgumentException(
          "Histogram measurement must be a bucket index in [0, " + length + "), got "
              + measurement);
    }
    long[] m = field.alloc(length);
    field.set(m, measurement, 1);
    return m;
  }

  @Override
  public long[] truncate(long[] meas) {
    return meas.clone();
  }

  @Override
  public List<Long> decode(long[] output, long numMeasurements) {
    return Valid.decodeCounts(field, output, length);
  }

  @Override
  public List<Long> decodeSigned(List<BigInteger> aggregate) {
    return Valid.signedCounts(aggregate.subList(0, length));
  }

  @Override
  public void eval(long[] meas, long[] jointRand, int numShares, GadgetCalls gadgets, long[] out) {
    Field f = field;
    long[] sharesInv = sharesInv(numShares);
    long[] t = f.alloc(3); // range_check, sum_check, scratch
    parallelSumRangeCheck(meas, length, jointRand, 0, chunkLength, calls, sharesInv, gadgets, t, 0,
        draft20);
    f.neg(sharesInv, 0, t, 1);
    for (int i = 0; i < length; i++) {
      f.add(t, 1, meas, i, t, 1);
    }
    if (draft20) {
      f.copy(t, 0, out, 0);
      f.copy(t, 1, out, 1);
    } else {
      combine(f, jointRand, 1, t, out);
    }
  }

  /** out[0] = jr[k] * t[0] + jr[k]^2 * t[1]; uses t[2] as scratch. */
  static void combine(Field f, long[] jointRand, int k, long[] t, long[] out) {
    f.mul(jointRand, k, t, 0, t, 0);
    f.mul(jointRand, k, jointRand, k, t, 2);
    f.mul(t, 2, t, 1, t, 1);
    f.add(t, 0, t, 1, out, 0);
  }

  @Override
  public String toString() {
    return "Histogram(length=" + length + ", chunk_length=" + chunkLength + ")";
  }
}
