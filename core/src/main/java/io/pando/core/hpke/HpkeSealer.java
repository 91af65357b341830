package io.pando.core.hpke;

import io.pando.dap.messages.HpkeCiphertext;

/** Encrypts to one recipient's HPKE config (RFC 9180 §6.1 single-shot SealBase). */
public interface HpkeSealer {
  /** SealBase(pk, info, aad, plaintext), tagged with the recipient's config id. */
  HpkeCiphertext seal(ApplicationInfo info, byte[] plaintext, byte[] aad);
}
