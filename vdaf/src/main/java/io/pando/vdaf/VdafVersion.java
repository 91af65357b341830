package io.pando.vdaf;

/**
 * Which draft of draft-irtf-cfrg-vdaf an instance follows. Everything that differs between the
 * drafts on the wire is a value here, read where it matters (the XOF, the domain separation tag,
 * the helper's input share, the FLP's gadget polynomial), so both drafts run from one code base.
 *
 * <ul>
 *   <li>{@link #DRAFT_08}: VERSION 8, no application context, 16-byte TurboSHAKE128 seeds, one
 *       byte of dst length, a helper share of two seeds, gadget polynomials in the monomial
 *       basis. Drafts 09 to 11 are wire-identical (DAP-09 speaks this one).
 *   <li>{@link #DRAFT_20}: VERSION 18 (drafts 18 to 20), an application context string appended
 *       to every dst, 32-byte TurboSHAKE128 seeds, two bytes of dst length and one of seed length,
 *       a helper share of one seed, gadget polynomials in the Lagrange basis (draft-20 §7.3.3).
 * </ul>
 */
public enum VdafVersion {
  DRAFT_08(8, 16, false, 2, false),
  DRAFT_20(18, 32, true, 1, true);

  private final int versionByte;
  private final int turboShakeSeedSize;
  private final boolean context;
  private final int helperShareSeeds;
  private final boolean lagrangeGadgetPoly;

  VdafVersion(int versionByte, int turboShakeSeedSize, boolean context, int helperShareSeeds,
      boolean lagrangeGadgetPoly) {
    this.versionByte = versionByte;
    this.turboShakeSeedSize = turboShakeSeedSize;
    this.context = context;
    this.helperShareSeeds = helperShareSeeds;
    this.lagrangeGadgetPoly = lagrangeGadgetPoly;
  }

  /** The draft's VERSION constant, the first byte of every domain separation tag. */
  public int versionByte() {
    return versionByte;
  }

  /** XofTurboShake128's SEED_SIZE (and so Prio3's VERIFY_KEY_SIZE). */
  public int turboShakeSeedSize() {
    return turboShakeSeedSize;
  }

  /** Whether VDAF calls take an application context string ({@code ctx}, draft-12 and later). */
  public boolean hasContext() {
    return context;
  }

  /** Seeds in a Prio3 helper's input share before its blind: 2 (meas, proof) or 1 (share). */
  public int helperShareSeeds() {
    return helperShareSeeds;
  }

  /** Whether the FLP proof carries gadget polynomials as values at roots of unity. */
  public boolean lagrangeGadgetPoly() {
    return lagrangeGadgetPoly;
  }

  /** Refuses a non-empty context for a draft that has none. */
  public byte[] checkContext(byte[] ctx) {
    if (ctx == null) {
      throw new IllegalArgumentException("ctx must not be null (use an empty array)");
    }
    if (!context && ctx.length != 0) {
      throw new IllegalArgumentException(this + " has no application context string");
    }
    return ctx;
  }
}
