package io.pando.ohttp;

import io.pando.core.SecretBytes;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeSuite;
import io.pando.core.hpke.internal.BcHpke;
import java.util.List;
import java.util.Objects;

/**
 * A gateway's key: its public {@link KeyConfig} and the KEM private key (RFC 9458 §3). The private
 * key never prints.
 */
public final class OhttpKeyPair {
  private final KeyConfig config;
  private final SecretBytes privateKey;

  private OhttpKeyPair(KeyConfig config, SecretBytes privateKey) throws HpkeException {
    this.config = Objects.requireNonNull(config);
    this.privateKey = Objects.requireNonNull(privateKey);
    KeyConfig.SymmetricAlgorithm first = config.firstSupported().orElseThrow(
        () -> new HpkeException("no supported algorithm pair in " + config));
    BcHpke.forSuite(config.suite(first)).checkKeyPair(privateKey.reveal(), config.publicKey());
  }

  /** A fresh key for the KEM of {@code suite}, offering that suite's KDF and AEAD. */
  public static OhttpKeyPair generate(int keyId, HpkeSuite suite) throws HpkeException {
    return generate(keyId, suite, List.of(
        new KeyConfig.SymmetricAlgorithm(suite.kdf(), suite.aead())));
  }

  /** A fresh key for the KEM of {@code suite}, offering the given algorithm pairs. */
  public static OhttpKeyPair generate(int keyId, HpkeSuite suite,
      List<KeyConfig.SymmetricAlgorithm> algorithms) throws HpkeException {
    byte[][] kp = BcHpke.forSuite(suite).generateKeyPair();
    return new OhttpKeyPair(new KeyConfig(keyId, suite.kem(), kp[1], algorithms),
        SecretBytes.copyOf(kp[0]));
  }

  /**
   * A key from its configuration and serialized private key (RFC 9180 §7.1.2).
   *
   * @throws HpkeException if no algorithm pair is supported or the keys do not belong together
   */
  public static OhttpKeyPair of(KeyConfig config, SecretBytes privateKey) throws HpkeException {
    return new OhttpKeyPair(config, privateKey);
  }

  public KeyConfig config() {
    return config;
  }

  /** The serialized private key, for storage (encrypted) only. */
  public SecretBytes privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "OhttpKeyPair[" + config + ", private key redacted]";
  }
}
