package io.pando.vdaf.xof;

import java.util.Objects;

/** Argument checks shared by the XOFs. */
final class XofChecks {
  private XofChecks() {}

  /** The seed must be exactly {@code size} bytes. */
  static void seed(String xof, byte[] seed, int size) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != size) {
      throw new IllegalArgumentException(
          xof + ": seed must be " + size + " bytes, got " + seed.length);
    }
  }

  /** The dst is length-prefixed with one byte (VDAF-08 §6.2.1, §6.2.2), so at most 255 bytes. */
  static void dst(String xof, byte[] dst) {
    Objects.requireNonNull(dst, "dst");
    if (dst.length > 255) {
      throw new IllegalArgumentException(
          xof + ": dst must be at most 255 bytes, got " + dst.length);
    }
  }
}
