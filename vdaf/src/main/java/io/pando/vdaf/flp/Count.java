package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;
import java.math.BigInteger;
import java.util.List;

/**
 * The Count circuit (draft-irtf-cfrg-vdaf-08 §7.4.1): a measurement of 0 or 1, checked by
 * {@code Mul(m, m) - m == 0}.
 */
public final class Count extends Valid<Boolean, Long> {
  public Count(Field field) {
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
    return List.of(Mul.INSTANCE);
  }

  @Override
  public int[] gadgetCalls() {
    return new int[] {1};
  }

  @Override
  public long[] encode(Boolean measurement) {
    if (measurement == null) {
      throw new IllegalArgumentException("Count measurement must be true or false");
    }
    long[] m = field.alloc(1);
    field.set(m, 0, measurement ? 1 : 0);
    return m;
  }

  @Override
  public long[] truncate(long[] meas) {
    return meas.clone();
  }

  @Override
  public Long decode(long[] output, long numMeasurements) {
    return field.toLongExact(output, 0);
  }

  @Override
  public Long decodeSigned(List<BigInteger> aggregate) {
    return Valid.signedLong(aggregate.get(0));
  }

  @Override
  public void eval(long[] meas, long[] jointRand, int numShares, GadgetCalls gadgets, long[] out) {
    long[] in = field.alloc(2);
    field.copy(meas, 0, in, 0);
    field.copy(meas, 0, in, 1);
    gadgets.call(0, in, out, 0);
    field.sub(out, 0, meas, 0, out, 0);
  }

  @Override
  public String toString() {
    return "Count";
  }
}
