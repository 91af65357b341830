package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.List;

/**
 * The draft's test circuit of degree three (draft-20 PoC, {@code Prio3HigherDegree}, private
 * codepoint 0xFFFFFFFF): one element checked with {@code PolyEval(x^3 - 3x^2 + 2x)}, zero exactly
 * at 0, 1 and 2. It exercises gadget polynomials whose Lagrange form needs no recovery and one
 * whose degree is not two; it is not for deployments.
 */
public final class HigherDegree extends Valid<Long, BigInteger> {
  private final Gadget gadget = new PolyEval(0, 2, -3, 1);

  public HigherDegree(Field field) {
    super(field);
  }

  @Override
  public int measLen() {
    return 1;
  }

  @Override
  public int jointRandLen() {
    return 0;
  }

  @Override
  public int outputLen() {
    return 1;
  }

  @Override
  public List<Gadget> gadgets() {
    return List.of(gadget);
  }

  @Override
  public int[] gadgetCalls() {
    return new int[] {1};
  }

  @Override
  public long[] encode(Long measurement) {
    if (measurement == null || measurement < 0 || measurement > 2) {
      throw new IllegalArgumentException("measurement must be 0, 1 or 2, got " + measurement);
    }
    long[] m = field.alloc(1);
    field.set(m, 0, measurement);
    return m;
  }

  @Override
  public long[] truncate(long[] meas) {
    return meas.clone();
  }

  @Override
  public BigInteger decode(long[] output, long numMeasurements) {
    return field.toBigInteger(output, 0);
  }

  @Override
  public void eval(long[] meas, long[] jointRand, int numShares, GadgetCalls gadgets, long[] out) {
    long[] in = field.alloc(1);
    field.copy(meas, 0, in, 0);
    gadgets.call(0, in, out, 0);
  }

  @Override
  public String toString() {
    return "HigherDegree";
  }
}
