package io.pando.core.hpke.internal;

import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeKemId;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Bouncy Castle's RFC 9180 implementation behind the project's HPKE interfaces, base mode only.
 * Nothing outside this package sees a Bouncy Castle type.
 */
public final class BcHpke {
  private final HpkeSuite suite;

  private BcHpke(HpkeSuite suite) {
    this.suite = suite;
  }

  /** The implementation for a suite, or an HpkeException naming the unsupported part. */
  public static BcHpke forSuite(HpkeSuite suite) throws HpkeException {
    if (!suite.isSupported()) {
      throw new HpkeException("unsupported HPKE suite " + suite);
    }
    return new BcHpke(suite);
  }

  private HPKE hpke() {
    // HPKE objects hold per-call state; a fresh one per operation keeps this thread-safe.
    return new HPKE(HPKE.mode_base, (short) suite.kem().code(), (short) suite.kdf().code(),
        (short) suite.aead().code());
  }

  /** A new key pair as {private key, public key}, serialized per RFC 9180 §7.1. */
  public byte[][] generateKeyPair() {
    HPKE h = hpke();
    AsymmetricCipherKeyPair kp = h.generatePrivateKey();
    return new byte[][] {h.serializePrivateKey(kp.getPrivate()),
        h.serializePublicKey(kp.getPublic())};
  }

  /** A key pair derived from input keying material (RFC 9180 §7.1.3 DeriveKeyPair). */
  public byte[][] deriveKeyPair(byte[] ikm) {
    HPKE h = hpke();
    AsymmetricCipherKeyPair kp = h.deriveKeyPair(ikm);
    return new byte[][] {h.serializePrivateKey(kp.getPrivate()),
        h.serializePublicKey(kp.getPublic())};
  }

  /**
   * Checks that the public key deserializes and, for X25519, is not of small order (RFC 7748
   * §6.1): every shared secret with such a key is all zeros, so sealing to it would fail.
   */
  public void checkPublicKey(byte[] publicKey) throws HpkeException {
    try {
      hpke().deserializePublicKey(publicKey);
    } catch (RuntimeException e) {
      throw new HpkeException("malformed " + suite.kem() + " public key", e);
    }
    if (suite.kem().equals(HpkeKemId.X25519_HKDF_SHA256)
        && !X25519.calculateAgreement(new byte[X25519.SCALAR_SIZE], 0, publicKey, 0,
            new byte[X25519.POINT_SIZE], 0)) {
      // Clamping turns the all-zero scalar into 2^254 = 8 * 2^251, with 0 < 2^251 < the prime
      // group order: the result is all zeros exactly when the point's order divides 8.
      throw new HpkeException("X25519 public key of small order");
    }
  }

  /** Checks that the private key deserializes and matches the public key. */
  public void checkKeyPair(byte[] privateKey, byte[] publicKey) throws HpkeException {
    HPKE h = hpke();
    try {
      // The public key is derived from the private key alone: given both, Bouncy Castle keeps
      // the given public key as it is, and the comparison below would always succeed.
      AsymmetricCipherKeyPair kp = h.deserializePrivateKey(privateKey, null);
      if (!java.util.Arrays.equals(h.serializePublicKey(kp.getPublic()), publicKey)) {
        throw new HpkeException("private key does not match the public key");
      }
    } catch (RuntimeException e) {
      throw new HpkeException("malformed " + suite.kem() + " key pair", e);
    }
  }

  /** SealBase; returns {ciphertext, enc}. */
  public byte[][] seal(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext) {
    HPKE h = hpke();
    try {
      return h.seal(h.deserializePublicKey(publicKey), info, aad, plaintext, null, null, null);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("HPKE seal failed", e);
    }
  }

  /** SealBase with a given ephemeral key (RFC 9180 test vectors); returns {ciphertext, enc}. */
  public byte[][] sealWithEphemeral(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext,
      byte[] ephemeralPrivate, byte[] ephemeralPublic) throws HpkeException {
    HPKE h = hpke();
    try {
      AsymmetricCipherKeyPair kpE = h.deserializePrivateKey(ephemeralPrivate, ephemeralPublic);
      HPKEContextWithEncapsulation ctx =
          h.setupBaseS(h.deserializePublicKey(publicKey), info, kpE);
      return new byte[][] {ctx.seal(aad, plaintext), ctx.getEncapsulation()};
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new HpkeException("HPKE seal failed", e);
    }
  }

  /**
   * SealBase followed by the context's Export (RFC 9180 §5.1, §5.3), as RFC 9458 §4.4 needs for
   * the response key; returns {ciphertext, enc, exported}. A null ephemeral key draws a fresh
   * one; a given one reproduces a test vector.
   */
  public byte[][] sealAndExport(byte[] publicKey, byte[] info, byte[] aad, byte[] plaintext,
      byte[] exporterContext, int length, byte[] ephemeralPrivate, byte[] ephemeralPublic)
      throws HpkeException {
    HPKE h = hpke();
    try {
      HPKEContextWithEncapsulation ctx = ephemeralPrivate == null
          ? h.setupBaseS(h.deserializePublicKey(publicKey), info)
          : h.setupBaseS(h.deserializePublicKey(publicKey), info,
              h.deserializePrivateKey(ephemeralPrivate, ephemeralPublic));
      byte[] ct = ctx.seal(aad, plaintext);
      return new byte[][] {ct, ctx.getEncapsulation(), ctx.export(exporterContext, length)};
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new HpkeException("HPKE seal failed", e);
    }
  }

  /** OpenBase followed by the context's Export (RFC 9180 §5.3); returns {plaintext, exported}. */
  public byte[][] openAndExport(byte[] privateKey, byte[] publicKey, byte[] info, byte[] aad,
      byte[] enc, byte[] ciphertext, byte[] exporterContext, int length) throws HpkeException {
    HPKE h = hpke();
    try {
      AsymmetricCipherKeyPair kp = h.deserializePrivateKey(privateKey, publicKey);
      HPKEContext ctx = h.setupBaseR(enc, kp, info);
      byte[] pt = ctx.open(aad, ciphertext);
      return new byte[][] {pt, ctx.export(exporterContext, length)};
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new HpkeException("HPKE open failed: the ciphertext does not decrypt with this key");
    }
  }

  /** OpenBase. */
  public byte[] open(byte[] privateKey, byte[] publicKey, byte[] info, byte[] aad, byte[] enc,
      byte[] ciphertext) throws HpkeException {
    HPKE h = hpke();
    try {
      AsymmetricCipherKeyPair kp = h.deserializePrivateKey(privateKey, publicKey);
      return h.open(enc, kp, info, aad, ciphertext, null, null, null);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw new HpkeException("HPKE open failed: the ciphertext does not decrypt with this key");
    }
  }
}
