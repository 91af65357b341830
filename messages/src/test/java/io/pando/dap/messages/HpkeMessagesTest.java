package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpkeMessagesTest {
  @Test
  void hpkeConfigId() throws DecodeException {
    RoundTrip.check(Fixtures.hpkeConfigId());
  }

  @Test
  void hpkeKemId() throws DecodeException {
    RoundTrip.check(Fixtures.hpkeKemId());
  }

  @Test
  void hpkeKdfId() throws DecodeException {
    RoundTrip.check(Fixtures.hpkeKdfId());
  }

  @Test
  void hpkeAeadId() throws DecodeException {
    RoundTrip.check(Fixtures.hpkeAeadId());
  }

  @Test
  void hpkePublicKey() throws DecodeException {
    RoundTrip.check(Fixtures.hpkePublicKey());
  }

  @Test
  void hpkeConfig() throws DecodeException {
    RoundTrip.check(Fixtures.hpkeConfig());
  }

  @Test
  void hpkeConfigList() throws DecodeException {
    RoundTrip.check(Fixtures.hpkeConfigList());
  }

  @Test
  void hpkeCiphertext() throws DecodeException {
    RoundTrip.check(Fixtures.hpkeCiphertext());
  }

  @Test
  void rfc9180Codepoints() {
    assertEquals(0x0010, HpkeKemId.P256_HKDF_SHA256.code());
    assertEquals(0x0011, HpkeKemId.P384_HKDF_SHA384.code());
    assertEquals(0x0012, HpkeKemId.P521_HKDF_SHA512.code());
    assertEquals(0x0020, HpkeKemId.X25519_HKDF_SHA256.code());
    assertEquals(0x0021, HpkeKemId.X448_HKDF_SHA512.code());
    assertEquals(0x0001, HpkeKdfId.HKDF_SHA256.code());
    assertEquals(0x0002, HpkeKdfId.HKDF_SHA384.code());
    assertEquals(0x0003, HpkeKdfId.HKDF_SHA512.code());
    assertEquals(0x0001, HpkeAeadId.AES_128_GCM.code());
    assertEquals(0x0002, HpkeAeadId.AES_256_GCM.code());
    assertEquals(0x0003, HpkeAeadId.CHACHA20_POLY1305.code());
    assertEquals(0xffff, HpkeAeadId.EXPORT_ONLY.code());
  }

  @Test
  void unknownAlgorithmsDecodeAndSayUnknown() throws DecodeException {
    HpkeKemId kem = HpkeKemId.decode(Hex.bytes("ffee"));
    assertFalse(kem.isKnown());
    assertEquals("unknown(0xffee)", kem.toString());
    assertFalse(HpkeKdfId.decode(Hex.bytes("0000")).isKnown());
    assertFalse(HpkeAeadId.decode(Hex.bytes("0004")).isKnown());
    assertTrue(HpkeKemId.X25519_HKDF_SHA256.isKnown());
    assertEquals("X25519_HKDF_SHA256(0x0020)", HpkeKemId.X25519_HKDF_SHA256.toString());
    assertEquals(HpkeKemId.X25519_HKDF_SHA256, HpkeKemId.decode(Hex.bytes("0020")));

    HpkeConfigList list = Fixtures.hpkeConfigList().value();
    assertTrue(list.configs().get(0).hasKnownAlgorithms());
    assertFalse(list.configs().get(1).hasKnownAlgorithms());
  }

  @Test
  void emptyConfigListIsRejected() {
    assertThrows(DecodeException.class, () -> HpkeConfigList.decode(Hex.bytes("0000")));
    assertThrows(IllegalArgumentException.class, () -> new HpkeConfigList(List.of()));
  }

  @Test
  void emptyKeyAndCiphertextPartsAreRejected() {
    // public_key<1..2^16-1>
    assertThrows(DecodeException.class, () -> HpkePublicKey.decode(Hex.bytes("0000")));
    assertThrows(IllegalArgumentException.class, () -> HpkePublicKey.of(new byte[0]));
    // enc<1..2^16-1>
    assertThrows(DecodeException.class, () -> HpkeCiphertext.decode(Hex.bytes(Hex.hex(
        "01", // config_id
        "0000", // enc: length 0
        "00000001", "00")))); // payload
    // payload<1..2^32-1>
    assertThrows(DecodeException.class, () -> HpkeCiphertext.decode(Hex.bytes(Hex.hex(
        "01", // config_id
        "0001", "00", // enc
        "00000000")))); // payload: length 0
  }

  @Test
  void forgedLengthPrefixesFail() {
    assertThrows(DecodeException.class, () -> HpkeCiphertext.decode(Hex.bytes(Hex.hex(
        "01", // config_id
        "0001", "00", // enc
        "ffffffff", "00")))); // payload: length 2^32-1, one byte present
    assertThrows(DecodeException.class, () -> HpkeConfigList.decode(Hex.bytes(Hex.hex(
        "ffff", // length of configs
        "01")))); // one byte present
  }

  @Test
  void configIdRange() {
    assertThrows(IllegalArgumentException.class, () -> HpkeConfigId.of(256));
    assertThrows(IllegalArgumentException.class, () -> HpkeConfigId.of(-1));
    assertThrows(IllegalArgumentException.class, () -> HpkeKemId.of(0x10000));
  }

  @Test
  void ciphertextToStringHidesBytes() {
    String s = Fixtures.CIPHERTEXT_LEADER.toString();
    assertEquals("HpkeCiphertext[configId=42, enc=<4 bytes>, payload=<7 bytes>]", s);
  }
}
