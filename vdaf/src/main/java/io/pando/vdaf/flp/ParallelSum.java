package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;

/**
 * The ParallelSum gadget (draft-irtf-cfrg-vdaf-08 §7.3.3): {@code count} copies of a subcircuit
 * gadget on consecutive slices of the input, summed.
 */
public final class ParallelSum implements Gadget {
  private final Gadget subcircuit;
  private final int count;

  public ParallelSum(Gadget subcircuit, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive");
    }
    this.subcircuit = subcircuit;
    this.count = count;
  }

  public int count() {
    return count;
  }

  @Override
  public int arity() {
    return subcircuit.arity() * count;
  }

  @Override
  public int degree() {
    return subcircuit.degree();
  }

  @Override
  public void eval(Field f, long[] in, long[] out, int oi) {
    if (subcircuit == Mul.INSTANCE) {
      evalMul(f, in, out, oi);
      return;
    }
    int a = subcircuit.arity();
    int limbs = f.limbs();
    long[] sub = f.alloc(a);
    long[] tmp = f.alloc(1);
    long[] acc = f.alloc(1);
    for (int i = 0; i < count; i++) {
      System.arraycopy(in, i * a * limbs, sub, 0, a * limbs);
      subcircuit.eval(f, sub, tmp, 0);
      f.add(acc, 0, tmp, 0, acc, 0);
    }
    f.copy(acc, 0, out, oi);
  }

  /** The common case ParallelSum(Mul): a sum of products, without slicing. */
  private void evalMul(Field f, long[] in, long[] out, int oi) {
    long[] tmp = f.alloc(2);
    for (int i = 0; i < count; i++) {
      f.mul(in, 2 * i, in, 2 * i + 1, tmp, 0);
      f.add(tmp, 1, tmp, 0, tmp, 1);
    }
    f.copy(tmp, 1, out, oi);
  }

  @Override
  public String toString() {
    return "ParallelSum(" + subcircuit + ", " + count + ")";
  }
}
