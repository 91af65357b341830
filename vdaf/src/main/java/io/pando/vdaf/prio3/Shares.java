package io.pando.vdaf.prio3;

import java.util.Arrays;

/** Helpers for the share types (equality is {@link io.pando.vdaf.ConstantTime}). */
final class Shares {
  private Shares() {}

  static byte[] copy(byte[] b) {
    return b == null ? null : b.clone();
  }

  static int hash(long[] a) {
    return a == null ? 0 : Arrays.hashCode(a);
  }
}
