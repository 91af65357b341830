package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;

/** DAP-09 §4.4.1 {@code opaque HpkePublicKey<1..2^16-1>}: an encoded HPKE public key. */
public record HpkePublicKey(byte[] bytes) implements Encodable {
  public HpkePublicKey {
    bytes = Wire.copy(bytes, "public_key", 1, Wire.U16_MAX);
  }

  public static HpkePublicKey of(byte[] bytes) {
    return new HpkePublicKey(bytes);
  }

  /** The key's bytes (a copy). */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The key's length in bytes. */
  public int length() {
    return bytes.length;
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.opaque16(bytes);
  }

  public static HpkePublicKey decode(Decoder decoder) throws DecodeException {
    return new HpkePublicKey(Wire.opaque16(decoder, 1, "public_key"));
  }

  public static HpkePublicKey decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkePublicKey::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkePublicKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The key as unpadded base64url (public keys are short and not secret). */
  @Override
  public String toString() {
    return Wire.base64Url(bytes);
  }
}
