package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.4.1 {@code HpkeConfig}: an aggregator's (or the collector's) HPKE configuration.
 *
 * <pre>
 * struct {
 *   HpkeConfigId id;
 *   HpkeKemId kem_id;
 *   HpkeKdfId kdf_id;
 *   HpkeAeadId aead_id;
 *   HpkePublicKey public_key;
 * } HpkeConfig;
 * </pre>
 */
public record HpkeConfig(
    HpkeConfigId id, HpkeKemId kemId, HpkeKdfId kdfId, HpkeAeadId aeadId, HpkePublicKey publicKey)
    implements Encodable {
  public HpkeConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kemId, "kemId");
    Objects.requireNonNull(kdfId, "kdfId");
    Objects.requireNonNull(aeadId, "aeadId");
    Objects.requireNonNull(publicKey, "publicKey");
  }

  /** Whether RFC 9180 assigns all three algorithm codepoints. */
  public boolean hasKnownAlgorithms() {
    return kemId.isKnown() && kdfId.isKnown() && aeadId.isKnown();
  }

  int encodedLength() {
    return 1 + 2 + 2 + 2 + 2 + publicKey.length();
  }

  @Override
  public void encode(Encoder encoder) {
    id.encode(encoder);
    kemId.encode(encoder);
    kdfId.encode(encoder);
    aeadId.encode(encoder);
    publicKey.encode(encoder);
  }

  public static HpkeConfig decode(Decoder decoder) throws DecodeException {
    HpkeConfigId id = HpkeConfigId.decode(decoder);
    HpkeKemId kemId = HpkeKemId.decode(decoder);
    HpkeKdfId kdfId = HpkeKdfId.decode(decoder);
    HpkeAeadId aeadId = HpkeAeadId.decode(decoder);
    HpkePublicKey publicKey = HpkePublicKey.decode(decoder);
    return new HpkeConfig(id, kemId, kdfId, aeadId, publicKey);
  }

  public static HpkeConfig decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkeConfig::decode);
  }
}
