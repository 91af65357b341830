package io.pando.vdaf;

/**
 * Domain separation tags (draft-irtf-cfrg-vdaf-08 §6.2.3 and draft-20 §6.2.3, {@code
 * format_dst}).
 *
 * <pre>dst = byte(VERSION) ‖ byte(algo_class) ‖ be32(algo_id) ‖ be16(usage) [‖ ctx]</pre>
 *
 * <p>The application context string {@code ctx} exists from draft-12 on.
 */
public final class Dst {
  /** VERSION of draft-08 (drafts 08 to 11 all use 8). */
  public static final int VERSION = VdafVersion.DRAFT_08.versionByte();

  /** algo_class of a VDAF. */
  public static final int CLASS_VDAF = 0;

  /** algo_class of an IDPF. */
  public static final int CLASS_IDPF = 1;

  private static final byte[] NO_CONTEXT = new byte[0];

  private Dst() {}

  /** format_dst(algo_class, algo_id, usage) of draft-08. */
  public static byte[] format(int algoClass, int algoId, int usage) {
    return format(VdafVersion.DRAFT_08, algoClass, algoId, usage, NO_CONTEXT);
  }

  /** format_dst(algo_class, algo_id, usage) ‖ ctx for the given draft. */
  public static byte[] format(VdafVersion version, int algoClass, int algoId, int usage,
      byte[] ctx) {
    version.checkContext(ctx);
    byte[] dst = new byte[8 + ctx.length];
    dst[0] = (byte) version.versionByte();
    dst[1] = (byte) algoClass;
    dst[2] = (byte) (algoId >>> 24);
    dst[3] = (byte) (algoId >>> 16);
    dst[4] = (byte) (algoId >>> 8);
    dst[5] = (byte) algoId;
    dst[6] = (byte) (usage >>> 8);
    dst[7] = (byte) usage;
    System.arraycopy(ctx, 0, dst, 8, ctx.length);
    return dst;
  }

  /** {@code base ‖ ctx}: a tag formatted without context, completed with one. */
  public static byte[] withContext(byte[] base, byte[] ctx) {
    if (ctx.length == 0) {
      return base;
    }
    byte[] dst = new byte[base.length + ctx.length];
    System.arraycopy(base, 0, dst, 0, base.length);
    System.arraycopy(ctx, 0, dst, base.length, ctx.length);
    return dst;
  }
}
