package io.pando.core.hpke;

import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import java.util.Set;

/**
 * An HPKE ciphersuite (RFC 9180 §7): KEM, KDF and AEAD. DAP-09 §4.4.1 leaves the choice to the
 * aggregators; X25519 / HKDF-SHA256 / AES-128-GCM is what every deployed client supports.
 */
public record HpkeSuite(HpkeKemId kem, HpkeKdfId kdf, HpkeAeadId aead) {
  /** DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM: the default. */
  public static final HpkeSuite X25519_SHA256_AES128GCM = new HpkeSuite(
      HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM);

  /** DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305. */
  public static final HpkeSuite X25519_SHA256_CHACHA20POLY1305 = new HpkeSuite(
      HpkeKemId.X25519_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.CHACHA20_POLY1305);

  /** DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM. */
  public static final HpkeSuite P256_SHA256_AES128GCM = new HpkeSuite(
      HpkeKemId.P256_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM);

  /** DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305. */
  public static final HpkeSuite P256_SHA256_CHACHA20POLY1305 = new HpkeSuite(
      HpkeKemId.P256_HKDF_SHA256, HpkeKdfId.HKDF_SHA256, HpkeAeadId.CHACHA20_POLY1305);

  private static final Set<HpkeKemId> KEMS =
      Set.of(HpkeKemId.X25519_HKDF_SHA256, HpkeKemId.P256_HKDF_SHA256);
  private static final Set<HpkeKdfId> KDFS =
      Set.of(HpkeKdfId.HKDF_SHA256, HpkeKdfId.HKDF_SHA384, HpkeKdfId.HKDF_SHA512);
  private static final Set<HpkeAeadId> AEADS =
      Set.of(HpkeAeadId.AES_128_GCM, HpkeAeadId.AES_256_GCM, HpkeAeadId.CHACHA20_POLY1305);

  /** The suite an HpkeConfig names. */
  public static HpkeSuite of(HpkeConfig config) {
    return new HpkeSuite(config.kemId(), config.kdfId(), config.aeadId());
  }

  /** Whether this implementation can seal and open with the suite. */
  public boolean isSupported() {
    return KEMS.contains(kem) && KDFS.contains(kdf) && AEADS.contains(aead);
  }

  @Override
  public String toString() {
    return kem + "/" + kdf + "/" + aead;
  }
}
