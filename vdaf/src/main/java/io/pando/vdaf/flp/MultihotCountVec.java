package io.pando.vdaf.flp;

import io.pando.vdaf.VdafVersion;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.List;

/**
 * The MultihotCountVec circuit in its VDAF-08 wire form (draft-irtf-cfrg-vdaf-10 §7.4.5, VERSION
 * 8; the same circuit as draft-08's experimental MultiHotHistogram): a vector of {@code length}
 * bits with at most {@code maxWeight} ones. The encoding appends {@code offset + weight} in
 * {@code bit_length(maxWeight)} bits, with {@code offset = 2^bits - 1 - maxWeight}, so that the
 * range check bounds the weight.
 */
public final class MultihotCountVec extends Valid<List<Boolean>, List<Long>> {
  private final int length;
  private final int maxWeight;
  private final int chunkLength;
  private final int bitsForWeight;
  private final long offset;
  private final int calls;
  private final ParallelSum gadget;
  private final boolean draft20;

  /** The draft-10/11 circuit (VERSION 8). */
  public MultihotCountVec(Field field, int length, int maxWeight, int chunkLength) {
    this(field, length, maxWeight, chunkLength, VdafVersion.DRAFT_08);
  }

  /**
   * The circuit of a draft: draft-20 (§7.4.5) encodes the weight with encode_range_checked_int
   * (no offset), gives each gadget call its own joint randomness and outputs {@code
   * [range_check, weight_check]}.
   */
  public MultihotCountVec(Field field, int length, int maxWeight, int chunkLength,
      VdafVersion version) {
    super(field);
    this.draft20 = version == VdafVersion.DRAFT_20;
    if (length < 1) {
      throw new IllegalArgumentException("length must be positive, got " + length);
    }
    if (maxWeight < 1 || maxWeight > length) {
      throw new IllegalArgumentException(
          "max_weight must be in [1, length=" + length + "], got " + maxWeight);
    }
    if (chunkLength < 1) {
      throw new IllegalArgumentException("chunk_length must be positive, got " + chunkLength);
    }
    this.length = length;
    this.maxWeight = maxWeight;
    this.chunkLength = chunkLength;
    this.bitsForWeight = 32 - Integer.numberOfLeadingZeros(maxWeight);
    this.offset = draft20 ? 0 : (1L << bitsForWeight) - 1 - maxWeight;
    this.calls = (length + bitsForWeight + chunkLength - 1) / chunkLength;
    this.gadget = new ParallelSum(Mul.INSTANCE, chunkLength);
  }

  public int length() {
    return length;
  }

  public int maxWeight() {
    return maxWeight;
  }

  public int chunkLength() {
    return chunkLength;
  }

  @Override
  public int measLen() {
    return length + bitsForWeight;
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
  public long[] encode(List<Boolean> measurement) {
    if (measurement == null || measurement.size() != length) {
      throw new IllegalArgumentException(
          "MultihotCountVec measurement must have " + length + " entries");
    }
    long[] m = field.alloc(length + bitsForWeight);
    int weight = 0;
    for (int i = 0; i < length; i++) {
      Boolean b = measurement.get(i);
      if (b == null) {
        throw new IllegalArgumentException("MultihotCountVec entry " + i + " is null");
      }
      if (b) {
        field.set(m, i, 1);
        weight++;
      }
    }
    if (weight > maxWeight) {
      throw new IllegalArgumentException(
          "MultihotCountVec measurement has weight " + weight + " > max_weight " + maxWeight);
    }
    if (draft20) {
      encodeRangeCheckedInt(weight, maxWeight, m, length);
    } else {
      encodeIntoBitVector(offset + weight, bitsForWeight, m, length);
    }
    return m;
  }

  @Override
  public long[] truncate(long[] meas) {
    long[] out = field.alloc(length);
    System.arraycopy(meas, 0, out, 0, length * field.limbs());
    return out;
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
    long[] t = f.alloc(3); // range_check, weight_check, scratch
    parallelSumRangeCheck(meas, length + bitsForWeight, jointRand, 0, chunkLength, calls,
        sharesInv, gadgets, t, 0, draft20);
    if (draft20) {
      // weight_check = sum(counts) - decode_range_checked_int(tail)
      for (int i = 0; i < length; i++) {
        f.add(t, 1, meas, i, t, 1);
      }
      f.sub(t, 1, decodeRangeCheckedInt(meas, length, maxWeight), 0, out, 1);
      f.copy(t, 0, out, 0);
      return;
    }
    // weight_check = offset / shares + sum(counts) - decode_from_bit_vector(tail)
    f.set(t, 1, offset);
    f.mul(t, 1, sharesInv, 0, t, 1);
    for (int i = 0; i < length; i++) {
      f.add(t, 1, meas, i, t, 1);
    }
    long[] claimed = decodeFromBitVector(meas, length, bitsForWeight);
    f.sub(t, 1, claimed, 0, t, 1);
    Histogram.combine(f, jointRand, 1, t, out);
  }

  @Override
  public String toString() {
    return "MultihotCountVec(length=" + length + ", max_weight=" + maxWeight + ", chunk_length="
        + chunkLength + ")";
  }
}
