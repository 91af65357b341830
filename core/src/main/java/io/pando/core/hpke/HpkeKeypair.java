package io.pando.core.hpke;

import io.pando.core.SecretBytes;
import io.pando.core.hpke.internal.BcHpke;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkePublicKey;
import java.util.Objects;

/**
 * An HPKE key pair with its public {@link HpkeConfig}: what an aggregator advertises at
 * {@code /hpke_config} and what a collector hands to the aggregators. Opens ciphertexts sealed to
 * its config. The private key never prints.
 */
public final class HpkeKeypair implements HpkeOpener {
  private final HpkeConfig config;
  private final SecretBytes privateKey;
  private final BcHpke hpke;

  private HpkeKeypair(HpkeConfig config, SecretBytes privateKey) throws HpkeException {
    this.config = Objects.requireNonNull(config);
    this.privateKey = Objects.requireNonNull(privateKey);
    this.hpke = BcHpke.forSuite(HpkeSuite.of(config));
    hpke.checkKeyPair(privateKey.reveal(), config.publicKey().bytes());
  }

  /** A fresh key pair for the suite. */
  public static HpkeKeypair generate(HpkeConfigId id, HpkeSuite suite) throws HpkeException {
    BcHpke hpke = BcHpke.forSuite(suite);
    byte[][] kp = hpke.generateKeyPair();
    HpkeConfig config = new HpkeConfig(id, suite.kem(), suite.kdf(), suite.aead(),
        HpkePublicKey.of(kp[1]));
    return new HpkeKeypair(config, SecretBytes.copyOf(kp[0]));
  }

  /**
   * A key pair from its config and serialized private key (RFC 9180 §7.1.2 SerializePrivateKey).
   *
   * @throws HpkeException if the suite is unsupported or the keys do not belong together
   */
  public static HpkeKeypair of(HpkeConfig config, SecretBytes privateKey) throws HpkeException {
    return new HpkeKeypair(config, privateKey);
  }

  public HpkeConfig config() {
    return config;
  }

  /** The serialized private key, for storage (encrypted) only. */
  public SecretBytes privateKey() {
    return privateKey;
  }

  @Override
  public byte[] open(ApplicationInfo info, HpkeCiphertext ciphertext, byte[] aad)
      throws HpkeException {
    if (!ciphertext.configId().equals(config.id())) {
      throw new HpkeException("ciphertext is for HPKE config " + ciphertext.configId()
          + ", not " + config.id());
    }
    return hpke.open(privateKey.reveal(), config.publicKey().bytes(), info.bytes(), aad,
        ciphertext.encapsulatedKey(), ciphertext.payload());
  }

  @Override
  public String toString() {
    return "HpkeKeypair[" + config.id() + ", " + HpkeSuite.of(config) + ", private key redacted]";
  }
}
