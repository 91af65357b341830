package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The SumVec circuit (draft-irtf-cfrg-vdaf-08 §7.4.3): {@code length} integers in {@code [0,
 * 2^bits)}, each encoded as its bits, all bits range-checked with ParallelSum(Mul, chunk_length).
 * The draft-20 form ({@link #withMaxMeasurement}) bounds each integer by max_measurement in the
 * range-checked encoding and gives each gadget call its own joint randomness.
 */
public final class SumVec extends Valid<List<Long>, List<BigInteger>> {
  private final int length;
  private final int bits;
  private final int chunkLength;
  private final int calls;
  private final ParallelSum gadget;
  private final long maxMeasurement; // draft-20 form; 0 in the draft-08 form

  /** The draft-08 circuit (§7.4.3): elements in [0, 2^bits), one joint randomness element. */
  public SumVec(Field field, int length, int bits, int chunkLength) {
    this(field, length, bits, chunkLength, 0);
  }

  /**
   * The draft-20 circuit (§7.4.3): elements in [0, max_measurement] in the range-checked
   * encoding, one joint randomness element per gadget call.
   */
  public static SumVec withMaxMeasurement(Field field, int length, long maxMeasurement,
      int chunkLength) {
    if (maxMeasurement < 1) {
      throw new IllegalArgumentException("max_measurement must be positive, got "
          + maxMeasurement);
    }
    return new SumVec(field, length, bitLength(maxMeasurement), chunkLength, maxMeasurement);
  }

  private SumVec(Field field, int length, int bits, int chunkLength, long maxMeasurement) {
    super(field);
    this.maxMeasurement = maxMeasurement;
    if (length < 1) {
      throw new IllegalArgumentException("SumVec length must be positive, got " + length);
    }
    if (bits < 1 || bits > 63) {
      throw new IllegalArgumentException("SumVec bits must be in [1, 63], got " + bits);
    }
    if (chunkLength < 1) {
      throw new IllegalArgumentException("chunk_length must be positive, got " + chunkLength);
    }
    if ((long) length * bits > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException("SumVec length * bits too large");
    }
    this.length = length;
    this.bits = bits;
    this.chunkLength = chunkLength;
    this.calls = (length * bits + chunkLength - 1) / chunkLength;
    this.gadget = new ParallelSum(Mul.INSTANCE, chunkLength);
  }

  public int length() {
    return length;
  }

  public int bits() {
    return bits;
  }

  public int chunkLength() {
    return chunkLength;
  }

  @Override
  public int measLen() {
    return length * bits;
  }

  @Override
  public int jointRandLen() {
    return maxMeasurement > 0 ? calls : 1;
  }

  /** max_measurement of the draft-20 form, 0 for the draft-08 form. */
  public long maxMeasurement() {
    return maxMeasurement;
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
  public long[] encode(List<Long> measurement) {
    if (measurement == null || measurement.size() != length) {
      throw new IllegalArgumentException("SumVec measurement must have " + length + " elements");
    }
    long[] m = field.alloc(length * bits);
    for (int i = 0; i < length; i++) {
      Long v = measurement.get(i);
      if (maxMeasurement > 0) {
        if (v == null) {
          throw new IllegalArgumentException("SumVec element " + i + " is null");
        }
        encodeRangeCheckedInt(v, maxMeasurement, m, i * bits);
        continue;
      }
      if (v == null || v < 0 || (v >>> bits) != 0) {
        throw new IllegalArgumentException(
            "SumVec element " + i + " must be in [0, 2^" + bits + "), got " + v);
      }
      encodeIntoBitVector(v, bits, m, i * bits);
    }
    return m;
  }

  @Override
  public long[] truncate(long[] meas) {
    long[] out = field.alloc(length);
    for (int i = 0; i < length; i++) {
      field.copy(maxMeasurement > 0 ? decodeRangeCheckedInt(meas, i * bits, maxMeasurement)
          : decodeFromBitVector(meas, i * bits, bits), 0, out, i);
    }
    return out;
  }

  @Override
  public List<BigInteger> decode(long[] output, long numMeasurements) {
    List<BigInteger> r = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      r.add(field.toBigInteger(output, i));
    }
    return List.copyOf(r);
  }

  @Override
  public List<BigInteger> decodeSigned(List<BigInteger> aggregate) {
    return List.copyOf(aggregate.subList(0, length));
  }

  @Override
  public void eval(long[] meas, long[] jointRand, int numShares, GadgetCalls gadgets, long[] out) {
    parallelSumRangeCheck(meas, length * bits, jointRand, 0, chunkLength, calls,
        sharesInv(numShares), gadgets, out, 0, maxMeasurement > 0);
  }

  @Override
  public String toString() {
    return "SumVec(length=" + length + (maxMeasurement > 0 ? ", max_measurement="
        + maxMeasurement : ", bits=" + bits) + ", chunk_length=" + chunkLength + ")";
  }
}
