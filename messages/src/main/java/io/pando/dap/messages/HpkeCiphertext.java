package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4 {@code HpkeCiphertext}.
 *
 * <pre>
 * struct {
 *   HpkeConfigId config_id;
 *   opaque enc&lt;1..2^16-1&gt;;
 *   opaque payload&lt;1..2^32-1&gt;;
 * } HpkeCiphertext;
 * </pre>
 *
 * Both byte strings must be non-empty, as the draft's length bounds say.
 */
public record HpkeCiphertext(HpkeConfigId configId, byte[] encapsulatedKey, byte[] payload)
    implements Encodable {
  public HpkeCiphertext {
    Objects.requireNonNull(configId, "configId");
    encapsulatedKey = Wire.copy(encapsulatedKey, "enc", 1, Wire.U16_MAX);
    payload = Wire.copy(payload, "payload", 1, Integer.MAX_VALUE);
  }

  /** The encapsulated HPKE key {@code enc} (a copy). */
  @Override
  public byte[] encapsulatedKey() {
    return encapsulatedKey.clone();
  }

  /** The ciphertext (a copy). */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    configId.encode(encoder);
    encoder.opaque16(encapsulatedKey);
    encoder.opaque32(payload);
  }

  public static HpkeCiphertext decode(Decoder decoder) throws DecodeException {
    HpkeConfigId configId = HpkeConfigId.decode(decoder);
    byte[] enc = Wire.opaque16(decoder, 1, "enc");
    byte[] payload = Wire.opaque32(decoder, 1, "payload");
    return new HpkeCiphertext(configId, enc, payload);
  }

  public static HpkeCiphertext decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkeCiphertext::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HpkeCiphertext c
        && configId.equals(c.configId)
        && Arrays.equals(encapsulatedKey, c.encapsulatedKey)
        && Arrays.equals(payload, c.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(configId, Arrays.hashCode(encapsulatedKey), Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "HpkeCiphertext[configId=" + configId + ", enc=" + Wire.summary(encapsulatedKey)
        + ", payload=" + Wire.summary(payload) + "]";
  }
}
