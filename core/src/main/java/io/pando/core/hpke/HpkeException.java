package io.pando.core.hpke;

/** HPKE failed: an unsupported ciphersuite, a malformed key, or a ciphertext that does not open. */
public final class HpkeException extends Exception {
  public HpkeException(String message) {
    super(message);
  }

  public HpkeException(String message, Throwable cause) {
    super(message, cause);
  }
}
