package io.pando.ohttp;

import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeKdfId;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The response key schedule of RFC 9458 §4.4: from the request context's exported secret, the
 * encapsulated key and the response nonce, HKDF (the suite's KDF) gives the AEAD key and nonce
 * that seal the response.
 */
final class ResponseKeys {
  /** The exporter context for the response secret (§4.4). */
  static final byte[] EXPORT_LABEL = "message/bhttp response".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY = "key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NONCE = "nonce".getBytes(StandardCharsets.US_ASCII);
  static final int TAG_LENGTH = 16;

  private final HpkeKdfId kdf;
  private final HpkeAeadId aead;

  ResponseKeys(HpkeKdfId kdf, HpkeAeadId aead) {
    this.kdf = kdf;
    this.aead = aead;
  }

  /** Nk of the AEAD (RFC 9180 §7.3). */
  int nk() {
    return switch (aead.code()) {
      case 0x0001 -> 16;
      case 0x0002, 0x0003 -> 32;
      default -> throw new IllegalArgumentException("unsupported AEAD " + aead);
    };
  }

  /** Nn of the AEAD (RFC 9180 §7.3): 12 for all three. */
  int nn() {
    return 12;
  }

  /** The length of the secret and of the response nonce: max(Nn, Nk) (§4.4). */
  int secretLength() {
    return Math.max(nn(), nk());
  }

  private Digest digest() {
    return switch (kdf.code()) {
      case 0x0001 -> new SHA256Digest();
      case 0x0002 -> new SHA384Digest();
      case 0x0003 -> new SHA512Digest();
      default -> throw new IllegalArgumentException("unsupported KDF " + kdf);
    };
  }

  /** {aead_key, aead_nonce} for a secret, the request's enc and the response nonce. */
  byte[][] derive(byte[] secret, byte[] enc, byte[] responseNonce) {
    byte[] salt = new byte[enc.length + responseNonce.length];
    System.arraycopy(enc, 0, salt, 0, enc.length);
    System.arraycopy(responseNonce, 0, salt, enc.length, responseNonce.length);
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(digest());
    byte[] prk = hkdf.extractPRK(salt, secret);
    return new byte[][] {expand(prk, KEY, nk()), expand(prk, NONCE, nn())};
  }

  private byte[] expand(byte[] prk, byte[] info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(digest());
    hkdf.init(HKDFParameters.skipExtractParameters(prk, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }

  private AEADCipher cipher(boolean encrypt, byte[] key, byte[] nonce) {
    AEADCipher c = aead.code() == 0x0003 ? new ChaCha20Poly1305()
        : GCMBlockCipher.newInstance(AESEngine.newInstance());
    c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce));
    return c;
  }

  byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
    AEADCipher c = cipher(true, key, nonce);
    byte[] out = new byte[c.getOutputSize(plaintext.length)];
    int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
    try {
      c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AEAD seal failed", e);
    }
    return out;
  }

  /** Opens, or null if the ciphertext does not authenticate. */
  byte[] open(byte[] key, byte[] nonce, byte[] ciphertext) {
    AEADCipher c = cipher(false, key, nonce);
    byte[] out = new byte[c.getOutputSize(ciphertext.length)];
    int n = c.processBytes(ciphertext, 0, ciphertext.length, out, 0);
    try {
      c.doFinal(out, n);
    } catch (InvalidCipherTextException | RuntimeException e) {
      return null;
    }
    return out;
  }
}
