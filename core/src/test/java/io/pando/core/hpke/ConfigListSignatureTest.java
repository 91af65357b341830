package io.pando.core.hpke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConfigListSignatureTest {
  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  @Test
  void signsTheExactBodyAndVerifies() throws Exception {
    KeyPair kp = p256();
    byte[] body = {0, 5, 1, 0, 32, 0, 1, 0, 1};
    String sig = ConfigListSignature.sign(kp.getPrivate(), body);
    assertFalse(sig.contains("=") || sig.contains("+") || sig.contains("/"), "base64url, no pad");
    assertTrue(ConfigListSignature.verifies(kp.getPublic(), body, sig));
    // ASN.1 DER (a SEQUENCE), checkable with the JDK's DER verifier.
    byte[] der = Base64.getUrlDecoder().decode(sig);
    assertEquals(0x30, der[0] & 0xff);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(kp.getPublic());
    v.update(body);
    assertTrue(v.verify(der));
  }

  @Test
  void tamperedBodiesSignaturesAndOtherKeysAreRefused() throws Exception {
    KeyPair kp = p256();
    byte[] body = {1, 2, 3, 4};
    String sig = ConfigListSignature.sign(kp.getPrivate(), body);
    assertFalse(ConfigListSignature.verifies(kp.getPublic(), new byte[] {1, 2, 3, 5}, sig));
    byte[] bad = Base64.getUrlDecoder().decode(sig);
    bad[bad.length - 1] ^= 1;
    assertFalse(ConfigListSignature.verifies(kp.getPublic(), body,
        Base64.getUrlEncoder().withoutPadding().encodeToString(bad)));
    assertFalse(ConfigListSignature.verifies(p256().getPublic(), body, sig));
    assertFalse(ConfigListSignature.verifies(kp.getPublic(), body, null));
    assertFalse(ConfigListSignature.verifies(kp.getPublic(), body, "not base64 !"));
  }

  @Test
  void keysAreReadFromPemOrBase64() throws Exception {
    KeyPair kp = p256();
    String sig = ConfigListSignature.sign(
        ConfigListSignature.privateKey(pem("PRIVATE KEY", kp.getPrivate().getEncoded())),
        new byte[] {7});
    assertTrue(ConfigListSignature.verifies(ConfigListSignature.publicKey(
        Base64.getEncoder().encodeToString(kp.getPublic().getEncoded())), new byte[] {7}, sig));
    assertTrue(ConfigListSignature.verifies(ConfigListSignature.publicKey(
        pem("PUBLIC KEY", kp.getPublic().getEncoded())), new byte[] {7}, sig));
  }

  @Test
  void otherCurvesAndGarbageAreRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = g.generateKeyPair();
    assertThrows(IllegalArgumentException.class, () -> ConfigListSignature.privateKey(
        Base64.getEncoder().encodeToString(p384.getPrivate().getEncoded())));
    assertThrows(IllegalArgumentException.class, () -> ConfigListSignature.publicKey(
        Base64.getEncoder().encodeToString(p384.getPublic().getEncoded())));
    assertThrows(IllegalArgumentException.class, () -> ConfigListSignature.privateKey("AAAA"));
    assertThrows(IllegalArgumentException.class, () -> ConfigListSignature.publicKey("%%%"));
  }
}
