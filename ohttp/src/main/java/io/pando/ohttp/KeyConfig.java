package io.pando.ohttp;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An Oblivious HTTP key configuration (RFC 9458 §3.1): the gateway's key identifier, its HPKE
 * KEM and public key, and the KDF/AEAD pairs it accepts. {@link #encodeList} and {@link
 * #decodeList} are the {@code application/ohttp-keys} format (§3.2).
 */
public record KeyConfig(int keyId, HpkeKemId kemId, byte[] publicKey,
    List<SymmetricAlgorithm> algorithms) {
  /** The media type of a list of key configurations (RFC 9458 §3.2). */
  public static final String MEDIA_TYPE = "application/ohttp-keys";

  /** One {@code HpkeSymmetricAlgorithms} entry (RFC 9458 §3.1). */
  public record SymmetricAlgorithm(HpkeKdfId kdfId, HpkeAeadId aeadId) {
    public SymmetricAlgorithm {
      Objects.requireNonNull(kdfId, "kdfId");
      Objects.requireNonNull(aeadId, "aeadId");
    }
  }

  public KeyConfig {
    if (keyId < 0 || keyId > 255) {
      throw new IllegalArgumentException("key id out of range: " + keyId);
    }
    Objects.requireNonNull(kemId, "kemId");
    publicKey = publicKey.clone();
    algorithms = List.copyOf(algorithms);
    if (algorithms.isEmpty() || algorithms.size() > 0xffff / 4) {
      throw new IllegalArgumentException("a key configuration lists 1 to 16383 algorithm pairs");
    }
    int npk = publicKeyLength(kemId);
    if (npk >= 0 && publicKey.length != npk) {
      throw new IllegalArgumentException(kemId + " public keys are " + npk + " bytes");
    }
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The HPKE suite of one algorithm pair of this configuration. */
  public HpkeSuite suite(SymmetricAlgorithm algorithm) {
    return new HpkeSuite(kemId, algorithm.kdfId(), algorithm.aeadId());
  }

  /** The first pair whose suite this implementation supports, if any. */
  public java.util.Optional<SymmetricAlgorithm> firstSupported() {
    return algorithms.stream().filter(a -> suite(a).isSupported()).findFirst();
  }

  /** Npk, the serialized public key length of a KEM (RFC 9180 §7.1), or -1 if unknown. */
  static int publicKeyLength(HpkeKemId kem) {
    return switch (kem.code()) {
      case 0x0010 -> 65;
      case 0x0011 -> 97;
      case 0x0012 -> 133;
      case 0x0020 -> 32;
      case 0x0021 -> 56;
      default -> -1;
    };
  }

  /** Nenc, the encapsulated key length of a KEM (RFC 9180 §7.1); equal to Npk for the DHKEMs. */
  static int encLength(HpkeKemId kem) {
    return publicKeyLength(kem);
  }

  public void encode(Encoder e) {
    e.u8(keyId).u16(kemId.code()).bytes(publicKey);
    e.u16(algorithms.size() * 4);
    for (SymmetricAlgorithm a : algorithms) {
      e.u16(a.kdfId().code()).u16(a.aeadId().code());
    }
  }

  public byte[] encode() {
    Encoder e = new Encoder();
    encode(e);
    return e.toByteArray();
  }

  /**
   * Decodes one key configuration that fills the decoder; its KEM must be one whose key length
   * is known (RFC 9180 §7.1), since the key carries no length of its own.
   */
  public static KeyConfig decode(Decoder d) throws DecodeException {
    int keyId = d.u8();
    HpkeKemId kem = HpkeKemId.of(d.u16());
    int npk = publicKeyLength(kem);
    if (npk < 0) {
      throw new DecodeException("key configuration with unknown KEM " + kem);
    }
    byte[] pk = d.bytes(npk);
    int algLength = d.u16();
    if (algLength == 0 || algLength % 4 != 0) {
      throw new DecodeException("symmetric algorithms length " + algLength
          + " is not a positive multiple of 4");
    }
    if (algLength > d.remaining()) {
      throw new DecodeException("symmetric algorithms overrun the key configuration");
    }
    List<SymmetricAlgorithm> algs = new ArrayList<>();
    for (int i = 0; i < algLength / 4; i++) {
      algs.add(new SymmetricAlgorithm(HpkeKdfId.of(d.u16()), HpkeAeadId.of(d.u16())));
    }
    return new KeyConfig(keyId, kem, pk, algs);
  }

  public static KeyConfig decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, KeyConfig::decode);
  }

  /** {@code application/ohttp-keys}: each configuration after a 2-byte length (§3.2). */
  public static byte[] encodeList(List<KeyConfig> configs) {
    Encoder e = new Encoder();
    for (KeyConfig c : configs) {
      e.opaque16(c.encode());
    }
    return e.toByteArray();
  }

  /**
   * Decodes {@code application/ohttp-keys}. A configuration whose KEM this code does not know is
   * skipped (its length prefix says where the next one starts), as a client must ignore what it
   * cannot use; anything malformed fails the whole list.
   */
  public static List<KeyConfig> decodeList(byte[] encoded) throws DecodeException {
    Decoder d = new Decoder(encoded);
    List<KeyConfig> out = new ArrayList<>();
    while (d.hasRemaining()) {
      byte[] one = d.opaque16();
      if (one.length >= 3 && publicKeyLength(HpkeKemId.of(((one[1] & 0xff) << 8)
          | (one[2] & 0xff))) < 0) {
        continue;
      }
      out.add(decode(one));
    }
    return List.copyOf(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyConfig k && keyId == k.keyId && kemId.equals(k.kemId)
        && Arrays.equals(publicKey, k.publicKey) && algorithms.equals(k.algorithms);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, kemId, Arrays.hashCode(publicKey), algorithms);
  }

  @Override
  public String toString() {
    return "KeyConfig[" + keyId + ", " + kemId + ", " + algorithms + "]";
  }
}
