package io.pando.core.hpke;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The optional signature over an {@code /hpke_config} response, as Janus offers it (its
 * aggregator's {@code http_handlers.rs} and {@code test_util.rs}): header {@code
 * x-hpke-config-signature}, the base64url (unpadded) encoding of an ECDSA P-256 SHA-256
 * signature over the exact response body, the signature in ASN.1 DER (ring's {@code
 * ECDSA_P256_SHA256_ASN1}, which is what the JDK's {@code SHA256withECDSA} produces), not raw
 * {@code r||s}. Keys: PKCS#8 (private) and X.509 SubjectPublicKeyInfo (public), as PEM or base64
 * DER. JDK {@code java.security} only, so that it also runs on Android.
 */
public final class ConfigListSignature {
  /** The response header. */
  public static final String HEADER = "x-hpke-config-signature";

  private static final String ALGORITHM = "SHA256withECDSA";
  /** The bit size of P-256's field and group order (the JDK knows no other such curve). */
  private static final int P256_BITS = 256;

  private ConfigListSignature() {}

  /** A P-256 private key from PKCS#8, PEM ({@code BEGIN PRIVATE KEY}) or base64 DER. */
  public static PrivateKey privateKey(String pemOrBase64) {
    try {
      PrivateKey k = KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(der(pemOrBase64)));
      checkCurve(k);
      return k;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an ECDSA P-256 PKCS#8 private key", e);
    }
  }

  /** A P-256 public key from X.509 SubjectPublicKeyInfo, PEM ({@code BEGIN PUBLIC KEY}) or DER. */
  public static PublicKey publicKey(String pemOrBase64) {
    try {
      PublicKey k = KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(der(pemOrBase64)));
      checkCurve(k);
      return k;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an ECDSA P-256 public key", e);
    }
  }

  /** The header value for {@code body}. */
  public static String sign(PrivateKey key, byte[] body) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(body);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing the HPKE config list failed", e);
    }
  }

  /** Whether {@code header} (null: missing) is a valid signature of {@code body} by {@code key}. */
  public static boolean verifies(PublicKey key, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    try {
      byte[] sig = Base64.getUrlDecoder().decode(header.trim());
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(body);
      return s.verify(sig);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkCurve(java.security.Key k) throws GeneralSecurityException {
    if (!(k instanceof ECKey ec) || ec.getParams().getCurve().getField().getFieldSize()
        != P256_BITS || ec.getParams().getOrder().bitLength() != P256_BITS) {
      throw new GeneralSecurityException("not a P-256 key");
    }
  }

  private static byte[] der(String pemOrBase64) {
    String s = pemOrBase64.trim();
    if (s.startsWith("-----BEGIN")) {
      int start = s.indexOf('\n');
      int end = s.indexOf("-----END");
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("malformed PEM");
      }
      s = s.substring(start, end);
    }
    return Base64.getMimeDecoder().decode(s.replaceAll("\\s", "")
        .getBytes(StandardCharsets.US_ASCII));
  }
}
