package io.pando.core.hpke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.core.SecretBytes;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.HpkePublicKey;
import io.pando.dap.messages.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sealing and opening through the DAP-facing API, and what it refuses. */
class HpkeTest {
  private static final byte[] PLAINTEXT =
      "an input share, or any other byte string".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AAD =
      "task id || report metadata".getBytes(StandardCharsets.US_ASCII);
  private static final ApplicationInfo TO_LEADER = ApplicationInfo.inputShare(Role.LEADER);

  /** The four suites DAP deployments use. */
  static Stream<HpkeSuite> namedSuites() {
    return Stream.of(HpkeSuite.X25519_SHA256_AES128GCM, HpkeSuite.X25519_SHA256_CHACHA20POLY1305,
        HpkeSuite.P256_SHA256_AES128GCM, HpkeSuite.P256_SHA256_CHACHA20POLY1305);
  }

  /** Every KEM × KDF × AEAD combination HpkeSuite accepts. */
  static Stream<HpkeSuite> allSupportedSuites() {
    List<HpkeSuite> suites = new ArrayList<>();
    for (HpkeKemId kem : List.of(HpkeKemId.X25519_HKDF_SHA256, HpkeKemId.P256_HKDF_SHA256)) {
      for (HpkeKdfId kdf :
          List.of(HpkeKdfId.HKDF_SHA256, HpkeKdfId.HKDF_SHA384, HpkeKdfId.HKDF_SHA512)) {
        for (HpkeAeadId aead : List.of(HpkeAeadId.AES_128_GCM, HpkeAeadId.AES_256_GCM,
            HpkeAeadId.CHACHA20_POLY1305)) {
          suites.add(new HpkeSuite(kem, kdf, aead));
        }
      }
    }
    return suites.stream();
  }

  static Stream<HpkeSuite> unsupportedSuites() {
    return Stream.of(
        // X448 and P-384 are RFC 9180 KEMs this implementation does not offer.
        new HpkeSuite(HpkeKemId.X448_HKDF_SHA512, HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM),
        new HpkeSuite(HpkeKemId.P384_HKDF_SHA384, HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM),
        new HpkeSuite(HpkeKemId.P521_HKDF_SHA512, HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM),
        // Unassigned codepoints.
        new HpkeSuite(HpkeKemId.of(0x0000), HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM),
        new HpkeSuite(HpkeKemId.of(0x0022), HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM),
        new HpkeSuite(HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.of(0x0000), HpkeAeadId.AES_128_GCM),
        new HpkeSuite(HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.of(0x0004), HpkeAeadId.AES_128_GCM),
        new HpkeSuite(HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.of(0x0000)),
        new HpkeSuite(HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.of(0x0004)),
        // Export-only cannot seal.
        new HpkeSuite(HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA256,
            HpkeAeadId.EXPORT_ONLY),
        new HpkeSuite(HpkeKemId.P256_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.EXPORT_ONLY));
  }

  private static HpkeKeypair generate(int id, HpkeSuite suite) throws HpkeException {
    return HpkeKeypair.generate(HpkeConfigId.of(id), suite);
  }

  private static HpkeConfig configFor(HpkeSuite suite, byte[] publicKey) {
    return new HpkeConfig(HpkeConfigId.of(1), suite.kem(), suite.kdf(), suite.aead(),
        HpkePublicKey.of(publicKey));
  }

  // ---- Round trips ---------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("allSupportedSuites")
  void roundTrip(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(9, suite);
    assertEquals(suite, HpkeSuite.of(keypair.config()));
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    assertEquals(HpkeConfigId.of(9), ct.configId());
    assertArrayEquals(PLAINTEXT, keypair.open(TO_LEADER, ct, AAD));
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void keySizesAreThoseOfRfc9180(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(1, suite);
    boolean x25519 = suite.kem().equals(HpkeKemId.X25519_HKDF_SHA256);
    // Npk and Nenc: 32 for X25519, 65 (uncompressed point) for P-256; Nsk: 32 for both.
    assertEquals(x25519 ? 32 : 65, keypair.config().publicKey().length());
    assertEquals(32, keypair.privateKey().length());
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    assertEquals(x25519 ? 32 : 65, ct.encapsulatedKey().length);
    // Both AEADs append a 16-byte tag.
    assertEquals(PLAINTEXT.length + 16, ct.payload().length);
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void emptyPlaintextAndAadRoundTrip(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(3, suite);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, new byte[0], new byte[0]);
    assertArrayEquals(new byte[0], keypair.open(TO_LEADER, ct, new byte[0]));
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void sealingTwiceGivesDifferentCiphertexts(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(3, suite);
    HpkeSealer sealer = Hpke.sealer(keypair.config());
    HpkeCiphertext a = sealer.seal(TO_LEADER, PLAINTEXT, AAD);
    HpkeCiphertext b = sealer.seal(TO_LEADER, PLAINTEXT, AAD);
    assertNotEquals(a, b);
    assertArrayEquals(PLAINTEXT, keypair.open(TO_LEADER, a, AAD));
    assertArrayEquals(PLAINTEXT, keypair.open(TO_LEADER, b, AAD));
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void aKeypairRebuiltFromItsPrivateKeyOpens(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(4, suite);
    HpkeKeypair restored = HpkeKeypair.of(keypair.config(), keypair.privateKey());
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    assertArrayEquals(PLAINTEXT, restored.open(TO_LEADER, ct, AAD));
  }

  @Test
  void aggregateShareInfoRoundTrips() throws HpkeException {
    HpkeKeypair collector = generate(5, HpkeSuite.X25519_SHA256_AES128GCM);
    ApplicationInfo fromHelper = ApplicationInfo.aggregateShare(Role.HELPER);
    HpkeCiphertext ct = Hpke.sealer(collector.config()).seal(fromHelper, PLAINTEXT, AAD);
    assertArrayEquals(PLAINTEXT, collector.open(fromHelper, ct, AAD));
    assertThrows(HpkeException.class,
        () -> collector.open(ApplicationInfo.aggregateShare(Role.LEADER), ct, AAD));
  }

  // ---- What does not open --------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("namedSuites")
  void anotherKeyWithTheSameConfigIdDoesNotOpen(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(1, suite);
    HpkeKeypair other = generate(1, suite);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    assertThrows(HpkeException.class, () -> other.open(TO_LEADER, ct, AAD));
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void anotherInfoDoesNotOpen(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(1, suite);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    for (ApplicationInfo info : List.of(ApplicationInfo.inputShare(Role.HELPER),
        ApplicationInfo.aggregateShare(Role.LEADER), ApplicationInfo.aggregateShare(Role.HELPER),
        new ApplicationInfo(ApplicationInfo.Label.INPUT_SHARE, Role.LEADER, Role.LEADER))) {
      assertThrows(HpkeException.class, () -> keypair.open(info, ct, AAD), info.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void anotherAadDoesNotOpen(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(1, suite);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    byte[] flipped = AAD.clone();
    flipped[flipped.length - 1] ^= 1;
    byte[] longer = new byte[AAD.length + 1];
    System.arraycopy(AAD, 0, longer, 0, AAD.length);
    for (byte[] aad : List.of(flipped, longer, new byte[0],
        Arrays.copyOf(AAD, AAD.length - 1))) {
      assertThrows(HpkeException.class, () -> keypair.open(TO_LEADER, ct, aad));
    }
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void everyFlippedBitOfEncDoesNotOpen(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(1, suite);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    byte[] enc = ct.encapsulatedKey();
    for (int i = 0; i < enc.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = enc.clone();
        bad[i] ^= (byte) (1 << bit);
        HpkeCiphertext tampered = new HpkeCiphertext(ct.configId(), bad, ct.payload());
        assertThrows(HpkeException.class, () -> keypair.open(TO_LEADER, tampered, AAD),
            "enc byte " + i + " bit " + bit);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void everyFlippedByteOfThePayloadDoesNotOpen(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(1, suite);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    byte[] payload = ct.payload();
    for (int i = 0; i < payload.length; i++) {
      byte[] bad = payload.clone();
      bad[i] ^= (byte) 0x80;
      HpkeCiphertext tampered = new HpkeCiphertext(ct.configId(), ct.encapsulatedKey(), bad);
      assertThrows(HpkeException.class, () -> keypair.open(TO_LEADER, tampered, AAD),
          "payload byte " + i);
    }
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void truncatedOrExtendedPartsDoNotOpen(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(1, suite);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    byte[] enc = ct.encapsulatedKey();
    byte[] payload = ct.payload();
    List<HpkeCiphertext> bad = List.of(
        new HpkeCiphertext(ct.configId(), Arrays.copyOf(enc, enc.length - 1), payload),
        new HpkeCiphertext(ct.configId(), Arrays.copyOf(enc, enc.length + 1), payload),
        new HpkeCiphertext(ct.configId(), enc, Arrays.copyOf(payload, 15)),
        new HpkeCiphertext(ct.configId(), enc, Arrays.copyOf(payload, 16)),
        new HpkeCiphertext(ct.configId(), enc,
            Arrays.copyOf(payload, payload.length - 1)),
        new HpkeCiphertext(ct.configId(), enc,
            Arrays.copyOf(payload, payload.length + 1)),
        new HpkeCiphertext(ct.configId(), new byte[enc.length], payload));
    for (HpkeCiphertext c : bad) {
      assertThrows(HpkeException.class, () -> keypair.open(TO_LEADER, c, AAD), c.toString());
    }
  }

  @Test
  void anotherConfigIdDoesNotOpen() throws HpkeException {
    HpkeKeypair keypair = generate(1, HpkeSuite.X25519_SHA256_AES128GCM);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    for (int id : new int[] {0, 2, 255}) {
      HpkeCiphertext relabelled =
          new HpkeCiphertext(HpkeConfigId.of(id), ct.encapsulatedKey(), ct.payload());
      HpkeException e = assertThrows(HpkeException.class,
          () -> keypair.open(TO_LEADER, relabelled, AAD));
      assertTrue(e.getMessage().contains("config"), e.getMessage());
    }
  }

  @Test
  void aCiphertextForAnotherSuiteDoesNotOpen() throws HpkeException {
    HpkeKeypair aes = generate(1, HpkeSuite.X25519_SHA256_AES128GCM);
    HpkeKeypair chacha = HpkeKeypair.of(
        new HpkeConfig(aes.config().id(), HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA256,
            HpkeAeadId.CHACHA20_POLY1305, aes.config().publicKey()),
        aes.privateKey());
    HpkeCiphertext ct = Hpke.sealer(aes.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    assertThrows(HpkeException.class, () -> chacha.open(TO_LEADER, ct, AAD));
  }

  // ---- What is refused -----------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("unsupportedSuites")
  void unsupportedSuitesAreRefused(HpkeSuite suite) {
    assertFalse(suite.isSupported());
    assertThrows(HpkeException.class, () -> HpkeKeypair.generate(HpkeConfigId.of(1), suite));
    HpkeConfig config = configFor(suite, new byte[32]);
    assertThrows(HpkeException.class, () -> Hpke.sealer(config));
    assertThrows(HpkeException.class,
        () -> HpkeKeypair.of(config, SecretBytes.copyOf(new byte[32])));
  }

  @Test
  void unsupportedSuitesWithARealKeyAreRefused() throws HpkeException {
    byte[] x25519 = generate(1, HpkeSuite.X25519_SHA256_AES128GCM).config().publicKey().bytes();
    assertThrows(HpkeException.class, () -> Hpke.sealer(configFor(new HpkeSuite(
        HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.EXPORT_ONLY), x25519)));
    assertThrows(HpkeException.class, () -> Hpke.sealer(configFor(new HpkeSuite(
        HpkeKemId.X448_HKDF_SHA512, HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM), x25519)));
  }

  static Stream<Object[]> malformedPublicKeys() throws HpkeException {
    byte[] p256 = generate(1, HpkeSuite.P256_SHA256_AES128GCM).config().publicKey().bytes();
    byte[] notOnCurve = p256.clone();
    notOnCurve[64] ^= 1;
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (0x02 | (p256[64] & 1));
    System.arraycopy(p256, 1, compressed, 1, 32);
    byte[] wrongPrefix = p256.clone();
    wrongPrefix[0] = 0x05;
    byte[] hybridPrefix = p256.clone();
    hybridPrefix[0] = (byte) (0x06 | (p256[64] & 1));
    byte[] infinity = new byte[65];
    byte[] x25519 = generate(1, HpkeSuite.X25519_SHA256_AES128GCM).config().publicKey().bytes();
    return Stream.of(
        new Object[] {"X25519, 31 bytes", HpkeSuite.X25519_SHA256_AES128GCM,
            Arrays.copyOf(x25519, 31)},
        new Object[] {"X25519, 33 bytes", HpkeSuite.X25519_SHA256_AES128GCM,
            Arrays.copyOf(x25519, 33)},
        new Object[] {"X25519, 1 byte", HpkeSuite.X25519_SHA256_CHACHA20POLY1305, new byte[1]},
        new Object[] {"X25519, a P-256 key", HpkeSuite.X25519_SHA256_AES128GCM, p256},
        new Object[] {"P-256, not on the curve", HpkeSuite.P256_SHA256_AES128GCM, notOnCurve},
        new Object[] {"P-256, compressed", HpkeSuite.P256_SHA256_AES128GCM, compressed},
        new Object[] {"P-256, prefix 0x05", HpkeSuite.P256_SHA256_AES128GCM, wrongPrefix},
        new Object[] {"P-256, hybrid prefix", HpkeSuite.P256_SHA256_AES128GCM, hybridPrefix},
        new Object[] {"P-256, all zeros", HpkeSuite.P256_SHA256_CHACHA20POLY1305, infinity},
        new Object[] {"P-256, 64 bytes", HpkeSuite.P256_SHA256_AES128GCM,
            Arrays.copyOf(p256, 64)},
        new Object[] {"P-256, an X25519 key", HpkeSuite.P256_SHA256_AES128GCM, x25519});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPublicKeys")
  void malformedPublicKeysAreRefused(String name, HpkeSuite suite, byte[] publicKey) {
    HpkeConfig config = configFor(suite, publicKey);
    assertThrows(HpkeException.class, () -> Hpke.sealer(config));
    assertThrows(HpkeException.class,
        () -> HpkeKeypair.of(config, SecretBytes.copyOf(new byte[32])));
  }

  /**
   * X25519 public keys of small order (RFC 7748 §6.1: the shared secret would be all zeros, which
   * RFC 9180 §7.1.4 requires a sender to refuse). The sealer refuses them up front.
   */
  @Test
  void smallOrderX25519PublicKeysAreRefused() {
    HexFormat hex = HexFormat.of();
    List<String> smallOrder = List.of(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    for (String key : smallOrder) {
      HpkeConfig config = configFor(HpkeSuite.X25519_SHA256_AES128GCM, hex.parseHex(key));
      assertThrows(HpkeException.class, () -> Hpke.sealer(config), key);
    }
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void mismatchedKeypairsAreRefused(HpkeSuite suite) throws HpkeException {
    HpkeKeypair a = generate(1, suite);
    HpkeKeypair b = generate(1, suite);
    HpkeException e =
        assertThrows(HpkeException.class, () -> HpkeKeypair.of(a.config(), b.privateKey()));
    assertFalse(e.getMessage().contains(HexFormat.of().formatHex(b.privateKey().reveal())));
    assertThrows(HpkeException.class, () -> HpkeKeypair.of(b.config(), a.privateKey()));
  }

  @ParameterizedTest
  @MethodSource("namedSuites")
  void malformedPrivateKeysAreRefused(HpkeSuite suite) throws HpkeException {
    HpkeConfig config = generate(1, suite).config();
    for (byte[] sk : List.of(new byte[0], new byte[31], new byte[33], new byte[64])) {
      assertThrows(HpkeException.class, () -> HpkeKeypair.of(config, SecretBytes.copyOf(sk)),
          sk.length + " bytes");
    }
  }

  @Test
  void p256PrivateKeysOutsideTheScalarRangeAreRefused() throws HpkeException {
    HpkeConfig config = generate(1, HpkeSuite.P256_SHA256_AES128GCM).config();
    HexFormat hex = HexFormat.of();
    // 0, the group order n, and 2^256 - 1: none is a valid P-256 private key.
    for (String sk : List.of(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")) {
      assertThrows(HpkeException.class,
          () -> HpkeKeypair.of(config, SecretBytes.copyOf(hex.parseHex(sk))), sk);
    }
  }

  // ---- Secrets stay secret -------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("namedSuites")
  void toStringNeverShowsThePrivateKey(HpkeSuite suite) throws HpkeException {
    HpkeKeypair keypair = generate(42, suite);
    byte[] sk = keypair.privateKey().reveal();
    String hex = HexFormat.of().formatHex(sk);
    for (String shown : List.of(keypair.toString(), keypair.privateKey().toString())) {
      assertFalse(shown.contains(hex), shown);
      assertFalse(shown.contains(hex.toUpperCase(Locale.ROOT)), shown);
      assertFalse(shown.contains(Base64.getEncoder().withoutPadding().encodeToString(sk)), shown);
      assertFalse(shown.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(sk)),
          shown);
    }
    assertTrue(keypair.toString().contains("42"), keypair.toString());
    assertTrue(keypair.toString().contains("redacted"), keypair.toString());
  }

  @Test
  void thePrivateKeyIsACopy() throws HpkeException {
    HpkeKeypair keypair = generate(1, HpkeSuite.X25519_SHA256_AES128GCM);
    byte[] sk = keypair.privateKey().reveal();
    HpkeKeypair restored = HpkeKeypair.of(keypair.config(), SecretBytes.copyOf(sk));
    Arrays.fill(sk, (byte) 0);
    HpkeCiphertext ct = Hpke.sealer(keypair.config()).seal(TO_LEADER, PLAINTEXT, AAD);
    assertArrayEquals(PLAINTEXT, restored.open(TO_LEADER, ct, AAD));
  }

  // ---- Choosing a config ---------------------------------------------------------------------

  @Test
  void firstSupportedSkipsUnsupportedConfigs() throws HpkeException {
    HpkeConfig x448 = new HpkeConfig(HpkeConfigId.of(1), HpkeKemId.X448_HKDF_SHA512,
        HpkeKdfId.HKDF_SHA512, HpkeAeadId.AES_256_GCM, HpkePublicKey.of(new byte[56]));
    HpkeConfig exportOnly = new HpkeConfig(HpkeConfigId.of(2), HpkeKemId.X25519_HKDF_SHA256,
        HpkeKdfId.HKDF_SHA256, HpkeAeadId.EXPORT_ONLY, HpkePublicKey.of(new byte[32]));
    HpkeConfig unknownKdf = new HpkeConfig(HpkeConfigId.of(3), HpkeKemId.X25519_HKDF_SHA256,
        HpkeKdfId.of(0x0013), HpkeAeadId.AES_128_GCM, HpkePublicKey.of(new byte[32]));
    HpkeConfig p256 = generate(4, HpkeSuite.P256_SHA256_AES128GCM).config();
    HpkeConfig x25519 = generate(5, HpkeSuite.X25519_SHA256_AES128GCM).config();

    assertEquals(Optional.of(p256),
        Hpke.firstSupported(HpkeConfigList.of(x448, exportOnly, unknownKdf, p256, x25519)));
    assertEquals(Optional.of(x25519),
        Hpke.firstSupported(HpkeConfigList.of(x448, x25519, p256)));
    assertEquals(Optional.of(x25519), Hpke.firstSupported(HpkeConfigList.of(x25519)));
    assertEquals(Optional.empty(),
        Hpke.firstSupported(HpkeConfigList.of(x448, exportOnly, unknownKdf)));
  }
}
