package io.pando.dap.messages;

import io.pando.codec.Encoder;

/**
 * A value with a DAP wire encoding (the TLS presentation language, RFC 8446 §3, as used by
 * DAP-09 §4).
 *
 * <p>Every type in this package also has a static strict {@code decode(Decoder)} and
 * {@code decode(byte[])}; the latter rejects trailing bytes.
 */
public interface Encodable {
  /** Appends this value's encoding to {@code encoder}. */
  void encode(Encoder encoder);

  /** Returns this value's encoding as a new array. */
  default byte[] encode() {
    Encoder encoder = new Encoder();
    encode(encoder);
    return encoder.toByteArray();
  }
}
