package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.List;

/**
 * The Sum circuit (draft-irtf-cfrg-vdaf-08 §7.4.2): an integer in {@code [0, 2^bits)} encoded as
 * its bits, each checked with Range2 and combined with powers of the joint randomness.
 */
public final class Sum extends Valid<Long, BigInteger> {
  private final int bits;
  private final Gadget range2 = PolyEval.range2();

  public Sum(Field field, int bits) {
    super(field);
    if (bits < 1 || bits > 63) {
      throw new IllegalArgumentException("Sum bits must be in [1, 63], got " + bits);
    }
    this.bits = bits;
  }

  public int bits() {
    return bits;
  }

  @Override
  public int measLen() {
    return bits;
  }

  @Override
  public int jointRandLen() {
    return 1;
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
    long[] r = decodeFromBitVector(meas, 0, bits);
    long[] out = field.alloc(1);
    field.copy(r, 0, out, 0);
    return out;
  }

  @Override
  public BigInteger decode(long[] output, long numMeasurements) {
    return field.toBigInteger(output, 0);
  }

  @Override
  public void eval(long[] meas, long[] jointRand, int numShares, GadgetCalls gadgets, long[] out) {
    Field f = field;
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
    return "Sum(bits=" + bits + ")";
  }
}
