package io.pando.vdaf;

/**
 * Domain separation tags (draft-irtf-cfrg-vdaf-08 §6.2.3, {@code format_dst}).
 *
 * <pre>dst = byte(VERSION) ‖ byte(algo_class) ‖ be32(algo_id) ‖ be16(usage)</pre>
 */
public final class Dst {
  /** The draft's VERSION byte; drafts 08 to 11 all use 8. */
  public static final int VERSION = 8;

  /** algo_class of a VDAF. */
  public static final int CLASS_VDAF = 0;

  /** algo_class of an IDPF. */
  public static final int CLASS_IDPF = 1;

  private Dst() {}

  /** format_dst(algo_class, algo_id, usage). */
  public static byte[] format(int algoClass, int algoId, int usage) {
    return new byte[] {
      (byte) VERSION,
      (byte) algoClass,
      (byte) (algoId >>> 24),
      (byte) (algoId >>> 16),
      (byte) (algoId >>> 8),
      (byte) algoId,
      (byte) (usage >>> 8),
      (byte) usage
    };
  }
}
