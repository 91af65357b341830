package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;

/** The Mul gadget (draft-irtf-cfrg-vdaf-08 §7.3.3): {@code G(x, y) = x * y}. */
public final class Mul implements Gadget {
  public static final Mul INSTANCE = new Mul();

  private Mul() {}

  @Override
  public int arity() {
    return 2;
  }

  @Override
  public int degree() {
    return 2;
  }

  @Override
  public void eval(Field f, long[] in, long[] out, int oi) {
    f.mul(in, 0, in, 1, out, oi);
  }

  @Override
  public String toString() {
    return "Mul";
  }
}
