package io.pando.vdaf;

import java.security.MessageDigest;

/** Equality of secret shares in time independent of where they differ. */
public final class ConstantTime {
  private ConstantTime() {}

  /** Whether a and b hold the same elements (both null counts as equal). */
  public static boolean equals(long[] a, long[] b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.length != b.length) {
      return false;
    }
    long diff = 0;
    for (int i = 0; i < a.length; i++) {
      diff |= a[i] ^ b[i];
    }
    return diff == 0;
  }

  /** Whether a and b hold the same bytes (both null counts as equal). */
  public static boolean equals(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return a == b;
    }
    return MessageDigest.isEqual(a, b);
  }
}
