package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.List;

/**
 * The Sum circuit. Draft-08 (§7.4.2): an integer in {@code [0, 2^bits)} encoded as its bits, each
 * checked with Range2 and combined with powers of the joint randomness. Draft-20 (§7.4.2,
 * {@link #withMaxMeasurement}): an integer in {@code [0, max_measurement]} in the range-checked
 * encoding, each element checked with Range2 as a separate circuit output.
 */
public final class Sum extends Valid<Long, BigInteger> {
  private final int bits;
  private final long maxMeasurement; // draft-20 form; 0 in the draft-08 form
  private final Gadget range2 = PolyEval.range2();

  /** The draft-08 circuit (§7.4.2): integers in [0, 2^bits), joint randomness, one output. */
  public Sum(Field field, int bits) {
    super(field);
    if (bits < 1 || bits > 63) {
      throw new IllegalArgumentException("Sum bits must be in [1, 63], got " + bits);
    }
    this.bits = bits;
    this.maxMeasurement = 0;
  }

  private Sum(Field field, long maxMeasurement) {
    super(field);
    if (maxMeasurement < 1) {
      throw new IllegalArgumentException("max_measurement must be positive, got "
          + maxMeasurement);
    }
    this.bits = bitLength(maxMeasurement);
    if (BigInteger.ONE.shiftLeft(bits).compareTo(field.modulus()) >= 0) {
      throw new IllegalArgumentException("max_measurement too large for " + field.name());
    }
    this.maxMeasurement = maxMeasurement;
  }

  /**
   * The draft-20 circuit (§7.4.2): integers in [0, max_measurement], encoded with
   * encode_range_checked_int; no joint randomness; one output per bit, {@code x^2 - x}.
   */
  public static Sum withMaxMeasurement(Field field, long maxMeasurement) {
    return new Sum(field, maxMeasurement);
  }

  public int bits() {
    return bits;
  }

  /** max_measurement of the draft-20 form, 0 for the draft-08 form. */
  public long maxMeasurement() {
    return maxMeasurement;
  }

  @Override
  public int evalOutputLen() {
    return maxMeasurement > 0 ? bits : 1;
  }

  @Override
  public int measLen() {
    return bits;
  }

  @Override
  public int jointRandLen() {
    return maxMeasurement > 0 ? 0 : 1;
  }

  @Override
  public int outputLen() {
    return 1;
  }

  @Override
  public List<Gadget> gadgets() {
    return List.of(range2);
  }

  @Override
  public int[] gadgetCalls() {
    return new int[] {bits};
  }

  @Override
  public long[] encode(Long measurement) {
    if (maxMeasurement > 0) {
      if (measurement == null) {
        throw new IllegalArgumentException("Sum measurement must not be null");
      }
      long[] m = field.alloc(bits);
      encodeRangeCheckedInt(measurement, maxMeasurement, m, 0);
      return m;
    }
    if (measurement == null || measurement < 0 || (measurement >>> bits) != 0) {
      throw new IllegalArgumentException(
          "Sum measurement must be in [0, 2^" + bits + "), got " + measurement);
    }
    long[] m = field.alloc(bits);
    encodeIntoBitVector(measurement, bits, m, 0);
    return m;
  }

  @Override
  public long[] truncate(long[] meas) {
    long[] r = maxMeasurement > 0 ? decodeRangeCheckedInt(meas, 0, maxMeasurement)
        : decodeFromBitVector(meas, 0, bits);
    long[] out = field.alloc(1);
    field.copy(r, 0, out, 0);
    return out;
  }

  @Override
  public BigInteger decode(long[] output, long numMeasurements) {
    return field.toBigInteger(output, 0);
  }

  @Override
  public BigInteger decodeSigned(List<BigInteger> aggregate) {
    return aggregate.get(0);
  }

  @Override
  public void eval(long[] meas, long[] jointRand, int numShares, GadgetCalls gadgets, long[] out) {
    Field f = field;
    if (maxMeasurement > 0) {
      long[] in = f.alloc(1);
      for (int k = 0; k < bits; k++) {
        f.copy(meas, k, in, 0);
        gadgets.call(0, in, out, k);
      }
      return;
    }
    long[] acc = f.alloc(1);
    long[] r = f.alloc(1);
    f.copy(jointRand, 0, r, 0);
    long[] in = f.alloc(1);
    long[] tmp = f.alloc(1);
    for (int k = 0; k < bits; k++) {
      f.copy(meas, k, in, 0);
      gadgets.call(0, in, tmp, 0);
      f.mul(r, 0, tmp, 0, tmp, 0);
      f.add(acc, 0, tmp, 0, acc, 0);
      f.mul(r, 0, jointRand, 0, r, 0);
    }
    f.copy(acc, 0, out, 0);
  }

  @Override
  public String toString() {
    return maxMeasurement > 0 ? "Sum(max_measurement=" + maxMeasurement + ")"
        : "Sum(bits=" + bits + ")";
  }
}
