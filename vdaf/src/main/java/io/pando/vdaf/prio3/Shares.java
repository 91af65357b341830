package io.pando.vdaf.prio3;

import java.security.MessageDigest;
import java.util.Arrays;

/** Helpers for the share types: constant-time equality and redaction. */
final class Shares {
  private Shares() {}

  static boolean ctEquals(long[] a, long[] b) {
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

  static boolean ctEquals(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return a == b;
    }
    return MessageDigest.isEqual(a, b);
  }

  static byte[] copy(byte[] b) {
    return b == null ? null : b.clone();
  }

  static int hash(long[] a) {
    return a == null ? 0 : Arrays.hashCode(a);
  }
}
