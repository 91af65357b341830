package io.pando.vdaf;

/**
 * Preparation failed: the report is invalid and must be rejected (draft-irtf-cfrg-vdaf-08 §5.2,
 * "raise ERR_VERIFY"). Raised for a proof that does not verify, a joint-randomness check that
 * fails, or shares that do not decode.
 */
public final class VdafException extends Exception {
  public VdafException(String message) {
    super(message);
  }

  public VdafException(String message, Throwable cause) {
    super(message, cause);
  }
}
