package io.pando.ohttp;

/**
 * An encapsulated message that cannot be used, with the reason a gateway answers with (RFC 9458
 * §5.2, §5.3). The message never contains key material or plaintext.
 */
public final class OhttpException extends Exception {
  /** Why the message was refused. */
  public enum Reason {
    /** Not an encapsulated message: truncated, or a header field out of range. */
    MALFORMED,
    /** The key identifier names no key of the gateway (§5.3: a key configuration problem). */
    UNKNOWN_KEY,
    /** The key exists, but not with this KEM, KDF or AEAD (§5.3 too). */
    UNSUPPORTED_ALGORITHM,
    /** The ciphertext does not open with the key (tampered, or sealed to another key). */
    DECRYPTION_FAILED
  }

  private final Reason reason;

  public OhttpException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public OhttpException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
