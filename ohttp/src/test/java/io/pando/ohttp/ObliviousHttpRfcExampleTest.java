package io.pando.ohttp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.core.SecretBytes;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worked example of RFC 9458 Appendix A, transcribed from the RFC as hex: the gateway's key
 * configuration, the request (with the example's ephemeral key, so HPKE is deterministic), and
 * the response with the example's response_nonce, each compared byte for byte.
 */
class ObliviousHttpRfcExampleTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  // RFC 9458 Appendix A.
  static final byte[] SK_R = hex("3c168975674b2fa8e465970b79c8dcf09f1c741626480bd4c6162fc5b6a98e1a");
  static final byte[] KEY_CONFIG = hex("01002031e1f05a740102115220e9af918f738674aec95f54db6e04eb7"
      + "05aae8e79815500080001000100010003");
  static final byte[] REQUEST = hex("00034745540568747470730b6578616d706c652e636f6d012f");
  static final byte[] SK_E = hex("bc51d5e930bda26589890ac7032f70ad12e4ecb37abb1b65b1256c9c48999c73");
  static final byte[] PK_E = hex("4b28f881333e7c164ffc499ad9796f877f4e1051ee6d31bad19dec96c208b472");
  static final byte[] INFO = hex("6d6573736167652f626874747020726571756573740001002000010001");
  static final byte[] ENC_REQUEST = hex("010020000100014b28f881333e7c164ffc499ad9796f877f4e1051ee"
      + "6d31bad19dec96c208b4726374e469135906992e1268c594d2a10c695d858c40a026e7965e7d86b83dd440b2c0"
      + "185204b4d63525");
  static final byte[] RESPONSE = hex("0140c8");
  static final byte[] RESPONSE_NONCE = hex("c789e7151fcba46158ca84b04464910d");
  static final byte[] SECRET = hex("62d87a6ba569ee81014c2641f52bea36");
  static final byte[] AEAD_KEY = hex("5d0172a080e428b16d298c4ea0db620d");
  static final byte[] AEAD_NONCE = hex("f6bf1aeb88d6df87007fa263");
  static final byte[] ENC_RESPONSE = hex("c789e7151fcba46158ca84b04464910d86f9013e404feea014e7be4a"
      + "441f234f857fbd");

  static final KeyConfig.SymmetricAlgorithm AES128 =
      new KeyConfig.SymmetricAlgorithm(HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM);

  static OhttpKeyPair gatewayKey() throws Exception {
    return OhttpKeyPair.of(KeyConfig.decode(KEY_CONFIG), SecretBytes.copyOf(SK_R));
  }

  @Test
  void keyConfigurationDecodesAndEncodesBack() throws Exception {
    KeyConfig config = KeyConfig.decode(KEY_CONFIG);
    assertEquals(1, config.keyId());
    assertEquals(HpkeKemId.X25519_HKDF_SHA256, config.kemId());
    assertEquals(List.of(AES128, new KeyConfig.SymmetricAlgorithm(HpkeKdfId.HKDF_SHA256,
        HpkeAeadId.CHACHA20_POLY1305)), config.algorithms());
    assertArrayEquals(KEY_CONFIG, config.encode());
    // The private key belongs to the configuration's public key.
    gatewayKey();
  }

  @Test
  void requestInfoIsTheRfcs() {
    byte[] hdr = ObliviousHttp.header(1, HpkeKemId.X25519_HKDF_SHA256, AES128);
    assertArrayEquals(INFO, ObliviousHttp.info(hdr));
  }

  @Test
  void requestEncapsulatesToTheRfcsBytes() throws Exception {
    BinaryHttpRequest request = BinaryHttpRequest.decode(REQUEST);
    assertEquals(BinaryHttpRequest.of("GET", "https", "example.com", "/", List.of()), request);
    assertArrayEquals(REQUEST, request.encodeTruncated());

    ObliviousHttp.ClientContext client = ObliviousHttp.encapsulate(KeyConfig.decode(KEY_CONFIG),
        AES128, REQUEST, SK_E, PK_E);
    assertArrayEquals(ENC_REQUEST, client.encapsulatedRequest());
    assertArrayEquals(RESPONSE, client.decapsulateResponse(ENC_RESPONSE));
  }

  @Test
  void gatewayOpensTheRequestAndSealsTheRfcsResponse() throws Exception {
    OhttpKeyPair key = gatewayKey();
    ObliviousHttp.GatewayContext gateway =
        ObliviousHttp.decapsulate(ENC_REQUEST, id -> id == 1 ? Optional.of(key) : Optional.empty());
    assertArrayEquals(REQUEST, gateway.request());

    BinaryHttpResponse response = BinaryHttpResponse.decode(RESPONSE);
    assertEquals(200, response.status());
    assertArrayEquals(RESPONSE, response.encodeTruncated());
    assertArrayEquals(ENC_RESPONSE, gateway.encapsulateResponse(RESPONSE, RESPONSE_NONCE));
  }

  @Test
  void responseKeyScheduleIsTheRfcs() {
    byte[][] kn = new ResponseKeys(HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM)
        .derive(SECRET, PK_E, RESPONSE_NONCE);
    assertArrayEquals(AEAD_KEY, kn[0]);
    assertArrayEquals(AEAD_NONCE, kn[1]);
  }

  @Test
  void gatewayRefusesWhatItCannotOpen() throws Exception {
    OhttpKeyPair key = gatewayKey();
    java.util.function.IntFunction<Optional<OhttpKeyPair>> keys =
        id -> id == 1 ? Optional.of(key) : Optional.empty();

    byte[] tampered = ENC_REQUEST.clone();
    tampered[tampered.length - 1] ^= 1;
    assertEquals(OhttpException.Reason.DECRYPTION_FAILED,
        assertThrows(OhttpException.class, () -> ObliviousHttp.decapsulate(tampered, keys))
            .reason());

    byte[] otherKey = ENC_REQUEST.clone();
    otherKey[0] = 2;
    assertEquals(OhttpException.Reason.UNKNOWN_KEY,
        assertThrows(OhttpException.class, () -> ObliviousHttp.decapsulate(otherKey, keys))
            .reason());

    byte[] otherAead = ENC_REQUEST.clone();
    otherAead[6] = 2; // AES-256-GCM: not in the configuration
    assertEquals(OhttpException.Reason.UNSUPPORTED_ALGORITHM,
        assertThrows(OhttpException.class, () -> ObliviousHttp.decapsulate(otherAead, keys))
            .reason());

    for (int n : new int[] {0, 3, 7, 7 + 32, 7 + 32 + 15}) {
      byte[] truncated = java.util.Arrays.copyOf(ENC_REQUEST, n);
      assertEquals(OhttpException.Reason.MALFORMED, assertThrows(OhttpException.class,
          () -> ObliviousHttp.decapsulate(truncated, keys)).reason(), "length " + n);
    }
  }

  @Test
  void clientRefusesATamperedOrShortResponse() throws Exception {
    ObliviousHttp.ClientContext client = ObliviousHttp.encapsulate(KeyConfig.decode(KEY_CONFIG),
        AES128, REQUEST, SK_E, PK_E);
    byte[] tampered = ENC_RESPONSE.clone();
    tampered[20] ^= 1;
    assertEquals(OhttpException.Reason.DECRYPTION_FAILED, assertThrows(OhttpException.class,
        () -> client.decapsulateResponse(tampered)).reason());
    assertEquals(OhttpException.Reason.MALFORMED, assertThrows(OhttpException.class,
        () -> client.decapsulateResponse(java.util.Arrays.copyOf(ENC_RESPONSE, 31))).reason());
  }

  @Test
  void freshKeysRoundTripWithEverySupportedPair() throws Exception {
    for (var suite : List.of(io.pando.core.hpke.HpkeSuite.X25519_SHA256_AES128GCM,
        io.pando.core.hpke.HpkeSuite.X25519_SHA256_CHACHA20POLY1305,
        io.pando.core.hpke.HpkeSuite.P256_SHA256_AES128GCM,
        new io.pando.core.hpke.HpkeSuite(HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA384,
            HpkeAeadId.AES_256_GCM))) {
      OhttpKeyPair key = OhttpKeyPair.generate(7, suite);
      KeyConfig published = KeyConfig.decodeList(KeyConfig.encodeList(List.of(key.config())))
          .get(0);
      byte[] request = BinaryHttpRequest.of("PUT", "https", "leader.example", "/x",
          List.of(new Field("content-type", "application/octet-stream"))).encode();
      ObliviousHttp.ClientContext client = ObliviousHttp.encapsulate(published, request);
      ObliviousHttp.GatewayContext gateway = ObliviousHttp.decapsulate(
          client.encapsulatedRequest(), id -> id == 7 ? Optional.of(key) : Optional.empty());
      assertArrayEquals(request, gateway.request(), suite.toString());
      byte[] response = BinaryHttpResponse.of(201, List.of(), new byte[] {1, 2, 3}).encode();
      assertArrayEquals(response,
          client.decapsulateResponse(gateway.encapsulateResponse(response)), suite.toString());
    }
  }
}
