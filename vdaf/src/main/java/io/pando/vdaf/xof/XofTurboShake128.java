package io.pando.vdaf.xof;

import io.pando.vdaf.VdafVersion;

/**
 * XofTurboShake128: the stream of TurboSHAKE128 with domain byte {@code D = 0x01} over
 *
 * <ul>
 *   <li>draft-08 §6.2.1: {@code byte(len(dst)) || dst || seed || binder}, SEED_SIZE 16;
 *   <li>draft-20 §6.2.1: {@code le16(len(dst)) || dst || byte(len(seed)) || seed || binder},
 *       SEED_SIZE 32.
 * </ul>
 */
public final class XofTurboShake128 implements Xof {
  /** The draft-08 instance. */
  public static final XofTurboShake128 INSTANCE = new XofTurboShake128(VdafVersion.DRAFT_08);

  /** The draft-20 instance. */
  public static final XofTurboShake128 DRAFT_20 = new XofTurboShake128(VdafVersion.DRAFT_20);

  private static final String NAME = "XofTurboShake128";
  private static final int DOMAIN = 0x01;

  private final VdafVersion version;
  private final int seedSize;

  private XofTurboShake128(VdafVersion version) {
    this.version = version;
    this.seedSize = version.turboShakeSeedSize();
  }

  /** The instance of a draft. */
  public static XofTurboShake128 of(VdafVersion version) {
    return version == VdafVersion.DRAFT_08 ? INSTANCE : DRAFT_20;
  }

  public VdafVersion version() {
    return version;
  }

  @Override
  public int seedSize() {
    return seedSize;
  }

  @Override
  public Stream init(byte[] seed, byte[] dst, byte[]... binder) {
    XofChecks.seed(NAME, seed, seedSize);
    return absorb(seed, dst, binder);
  }

  /**
   * The draft-20 stream for a seed of any length below 256: the framing carries {@code
   * byte(len(seed))}, so the XOF is defined for other lengths than SEED_SIZE. IdpfBBCGGI21 uses
   * it with its 16-byte keys at the leaf level (draft-20 §8.3.4, current_xof).
   */
  public Stream initAnySeedLength(byte[] seed, byte[] dst, byte[]... binder) {
    if (version == VdafVersion.DRAFT_08) {
      throw new IllegalStateException(NAME + " of draft-08 has no seed length in its framing");
    }
    if (seed == null || seed.length > 255) {
      throw new IllegalArgumentException(NAME + ": seed must be at most 255 bytes");
    }
    return absorb(seed, dst, binder);
  }

  private Stream absorb(byte[] seed, byte[] dst, byte[]... binder) {
    XofChecks.dst(NAME, dst, version);
    TurboShake128 ts = new TurboShake128(DOMAIN);
    if (version == VdafVersion.DRAFT_08) {
      ts.update((byte) dst.length).update(dst).update(seed);
    } else {
      ts.update((byte) dst.length).update((byte) (dst.length >>> 8)).update(dst)
          .update((byte) seed.length).update(seed);
    }
    for (byte[] part : binder) {
      ts.update(part);
    }
    return ts;
  }

}
