package io.pando.core.hpke;

import io.pando.dap.messages.HpkeCiphertext;

/** Decrypts what was sealed to one HPKE key pair (RFC 9180 §6.1 single-shot OpenBase). */
public interface HpkeOpener {
  /**
   * OpenBase(enc, sk, info, aad, ciphertext).
   *
   * @throws HpkeException if the ciphertext does not open with this key, info and aad
   */
  byte[] open(ApplicationInfo info, HpkeCiphertext ciphertext, byte[] aad) throws HpkeException;
}
