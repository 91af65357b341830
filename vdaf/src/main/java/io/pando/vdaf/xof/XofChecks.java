package io.pando.vdaf.xof;

import io.pando.vdaf.VdafVersion;

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

  /**
   * The dst is length-prefixed with one byte in draft-08 (§6.2.1, §6.2.2), so at most 255 bytes;
   * with two in draft-20, so at most 65535.
   */
  static void dst(String xof, byte[] dst, VdafVersion version) {
    Objects.requireNonNull(dst, "dst");
    int max = version == VdafVersion.DRAFT_08 ? 255 : 65535;
    if (dst.length > max) {
      throw new IllegalArgumentException(
          xof + ": dst must be at most " + max + " bytes, got " + dst.length);
    }
  }
}
