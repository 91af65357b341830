package io.pando.core.hpke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.core.SecretBytes;
import io.pando.core.hpke.internal.BcHpke;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.HpkePublicKey;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The base-mode known answers of RFC 9180, Appendix A, for every listed suite this project
 * supports: key derivation, the encapsulation and the first (sequence number 0) encryption, which
 * is what single-shot SealBase computes, and the matching OpenBase.
 */
class Rfc9180KnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The {@code info} of every Appendix A vector ("Ode on a Grecian Urn"). */
  private static final String INFO = "4f6465206f6e2061204772656369616e2055726e";

  /** The plaintext of every Appendix A encryption ("Beauty is truth, truth beauty"). */
  private static final String PT = "4265617574792069732074727574682c20747275746820626561757479";

  /** The aad of the sequence number 0 encryption ("Count-0"). */
  private static final String AAD_0 = "436f756e742d30";

  /** One suite's base-mode setup and its sequence number 0 encryption. */
  record Vector(String section, HpkeSuite suite, String ikmE, String pkEm, String skEm,
      String ikmR, String pkRm, String skRm, String enc, String ct0) {
    @Override
    public String toString() {
      return section + " " + suite;
    }
  }

  static Stream<Vector> vectors() {
    return Stream.of(
        // RFC 9180, Appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, Base
        // Setup Information and Encryptions (sequence number 0).
        new Vector("A.1.1", HpkeSuite.X25519_SHA256_AES128GCM,
            "7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234",
            "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
            "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736",
            "6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037",
            "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d",
            "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
            "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
            "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
                + "6d8770ac83d07bea87e13c512a"),
        // RFC 9180, Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305,
        // Base Setup Information and Encryptions (sequence number 0).
        new Vector("A.2.1", HpkeSuite.X25519_SHA256_CHACHA20POLY1305,
            "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b",
            "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
            "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600",
            "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df",
            "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a",
            "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb",
            "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
            "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db"
                + "21993c62ce81883d2dd1b51a28"),
        // RFC 9180, Appendix A.3.1: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, Base
        // Setup Information and Encryptions (sequence number 0).
        new Vector("A.3.1", HpkeSuite.P256_SHA256_AES128GCM,
            "4270e54ffd08d79d5928020af4686d8f6b7d35dbe470265f1f5aa22816ce860e",
            "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b32"
                + "5ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
            "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb",
            "668b37171f1072f3cf12ea8a236a45df23fc13b82af3609ad1e354f6ef817550",
            "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f70"
                + "6a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0",
            "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2",
            "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325"
                + "ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
            "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f"
                + "9076ac232e3ab2523f39513434"),
        // RFC 9180, Appendix A.4.1: DHKEM(P-256, HKDF-SHA256), HKDF-SHA512, AES-128-GCM, Base
        // Setup Information and Encryptions (sequence number 0).
        new Vector("A.4.1", new HpkeSuite(HpkeKemId.P256_HKDF_SHA256, HpkeKdfId.HKDF_SHA512,
                HpkeAeadId.AES_128_GCM),
            "4ab11a9dd78c39668f7038f921ffc0993b368171d3ddde8031501ee1e08c4c9a",
            "0493ed86735bdfb978cc055c98b45695ad7ce61ce748f4dd63c525a3b8d53a"
                + "15565c6897888070070c1579db1f86aaa56deb8297e64db7e8924e72866f9a472580",
            "2292bf14bb6e15b8c81a0f45b7a6e93e32d830e48cca702e0affcfb4d07e1b5c",
            "ea9ff7cc5b2705b188841c7ace169290ff312a9cb31467784ca92d7a2e6e1be8",
            "04085aa5b665dc3826f9650ccbcc471be268c8ada866422f739e2d531d4a88"
                + "18a9466bc6b449357096232919ec4fe9070ccbac4aac30f4a1a53efcf7af90610edd",
            "3ac8530ad1b01885960fab38cf3cdc4f7aef121eaa239f222623614b4079fb38",
            "0493ed86735bdfb978cc055c98b45695ad7ce61ce748f4dd63c525a3b8d53a1"
                + "5565c6897888070070c1579db1f86aaa56deb8297e64db7e8924e72866f9a472580",
            "d3cf4984931484a080f74c1bb2a6782700dc1fef9abe8442e44a6f09044c8890"
                + "7200b332003543754eb51917ba"),
        // RFC 9180, Appendix A.5.1: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305,
        // Base Setup Information and Encryptions (sequence number 0).
        new Vector("A.5.1", HpkeSuite.P256_SHA256_CHACHA20POLY1305,
            "f1f1a3bc95416871539ecb51c3a8f0cf608afb40fbbe305c0a72819d35c33f1f",
            "04c07836a0206e04e31d8ae99bfd549380b072a1b1b82e563c935c09582782"
                + "4fc1559eac6fb9e3c70cd3193968994e7fe9781aa103f5b50e934b5b2f387e381291",
            "7550253e1147aae48839c1f8af80d2770fb7a4c763afe7d0afa7e0f42a5b3689",
            "61092f3f56994dd424405899154a9918353e3e008171517ad576b900ddb275e7",
            "04a697bffde9405c992883c5c439d6cc358170b51af72812333b015621dc0f"
                + "40bad9bb726f68a5c013806a790ec716ab8669f84f6b694596c2987cf35baba2a006",
            "a4d1c55836aa30f9b3fbb6ac98d338c877c2867dd3a77396d13f68d3ab150d3b",
            "04c07836a0206e04e31d8ae99bfd549380b072a1b1b82e563c935c095827824"
                + "fc1559eac6fb9e3c70cd3193968994e7fe9781aa103f5b50e934b5b2f387e381291",
            "6469c41c5c81d3aa85432531ecf6460ec945bde1eb428cb2fedf7a29f5a685b4"
                + "ccb0d057f03ea2952a27bb458b"));
  }

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  /**
   * SerializePrivateKey of the key pair behind a listed private key. Appendix A lists X25519
   * private keys as DeriveKeyPair produced them, before clamping; RFC 9180 §7.1.2 has
   * SerializePrivateKey clamp its output (the RFC 7748 decodeScalar25519 bit operations).
   */
  private static byte[] serializedPrivateKey(HpkeSuite suite, String listed) {
    byte[] sk = hex(listed);
    if (suite.kem().equals(HpkeKemId.X25519_HKDF_SHA256)) {
      sk[0] &= (byte) 0xf8;
      sk[31] &= (byte) 0x7f;
      sk[31] |= (byte) 0x40;
    }
    return sk;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void deriveKeyPairReproducesTheEphemeralKeys(Vector v) throws HpkeException {
    byte[][] kp = BcHpke.forSuite(v.suite()).deriveKeyPair(hex(v.ikmE()));
    assertEquals(v.pkEm(), HEX.formatHex(kp[1]));
    assertEquals(HEX.formatHex(serializedPrivateKey(v.suite(), v.skEm())), HEX.formatHex(kp[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void deriveKeyPairReproducesTheRecipientKeys(Vector v) throws HpkeException {
    byte[][] kp = BcHpke.forSuite(v.suite()).deriveKeyPair(hex(v.ikmR()));
    assertEquals(v.pkRm(), HEX.formatHex(kp[1]));
    assertEquals(HEX.formatHex(serializedPrivateKey(v.suite(), v.skRm())), HEX.formatHex(kp[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void sealWithTheListedEphemeralKeyReproducesEncAndCiphertext(Vector v) throws HpkeException {
    byte[][] sealed = BcHpke.forSuite(v.suite()).sealWithEphemeral(hex(v.pkRm()), hex(INFO),
        hex(AAD_0), hex(PT), hex(v.skEm()), hex(v.pkEm()));
    assertEquals(v.ct0(), HEX.formatHex(sealed[0]));
    assertEquals(v.enc(), HEX.formatHex(sealed[1]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void openRecoversThePlaintext(Vector v) throws HpkeException {
    BcHpke hpke = BcHpke.forSuite(v.suite());
    byte[] pt = hpke.open(hex(v.skRm()), hex(v.pkRm()), hex(INFO), hex(AAD_0), hex(v.enc()),
        hex(v.ct0()));
    assertEquals(PT, HEX.formatHex(pt));
    // The clamped (serialized) form of an X25519 key opens the same ciphertext.
    byte[] clamped = hpke.open(serializedPrivateKey(v.suite(), v.skRm()), hex(v.pkRm()),
        hex(INFO), hex(AAD_0), hex(v.enc()), hex(v.ct0()));
    assertEquals(PT, HEX.formatHex(clamped));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void listedRecipientKeysFormAKeypair(Vector v) throws HpkeException {
    HpkeConfig config = new HpkeConfig(HpkeConfigId.of(7), v.suite().kem(), v.suite().kdf(),
        v.suite().aead(), HpkePublicKey.of(hex(v.pkRm())));
    HpkeKeypair listed = HpkeKeypair.of(config, SecretBytes.copyOf(hex(v.skRm())));
    assertEquals(config, listed.config());
    HpkeKeypair serialized = HpkeKeypair.of(config,
        SecretBytes.copyOf(serializedPrivateKey(v.suite(), v.skRm())));
    assertArrayEquals(serializedPrivateKey(v.suite(), v.skRm()),
        serialized.privateKey().reveal());
    // The recipient's private key with the ephemeral public key is not a key pair.
    HpkeConfig ephemeral = new HpkeConfig(HpkeConfigId.of(7), v.suite().kem(), v.suite().kdf(),
        v.suite().aead(), HpkePublicKey.of(hex(v.pkEm())));
    assertThrows(HpkeException.class,
        () -> HpkeKeypair.of(ephemeral, SecretBytes.copyOf(hex(v.skRm()))));
  }
}
