package io.pando.vdaf.xof;

/**
 * XofTurboShake128 (draft-irtf-cfrg-vdaf-08 §6.2.1): the stream of TurboSHAKE128 with domain byte
 * {@code D = 0x01} over the message {@code byte(len(dst)) || dst || seed || binder}. SEED_SIZE is
 * 16.
 */
public final class XofTurboShake128 implements Xof {
  /** The draft-08 instance. */
  public static final XofTurboShake128 INSTANCE = new XofTurboShake128(16);

  private static final String NAME = "XofTurboShake128";
  private static final int DOMAIN = 0x01;

  private final int seedSize;

  private XofTurboShake128(int seedSize) {
    this.seedSize = seedSize;
  }

  @Override
  public int seedSize() {
    return seedSize;
  }

  @Override
  public Stream init(byte[] seed, byte[] dst, byte[]... binder) {
    XofChecks.seed(NAME, seed, seedSize);
    XofChecks.dst(NAME, dst);
    TurboShake128 ts = new TurboShake128(DOMAIN);
    absorbPrefix(ts, seed, dst);
    for (byte[] part : binder) {
      ts.update(part);
    }
    return ts;
  }

  /** The part of the message before the binder; the one place that depends on the draft. */
  private static void absorbPrefix(TurboShake128 ts, byte[] seed, byte[] dst) {
    ts.update((byte) dst.length).update(dst).update(seed);
  }
}
