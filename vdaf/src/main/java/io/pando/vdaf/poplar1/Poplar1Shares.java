package io.pando.vdaf.poplar1;

import java.security.MessageDigest;

/** Helpers for the Poplar1 share types: constant-time equality. */
final class Poplar1Shares {
  private Poplar1Shares() {}

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
}
