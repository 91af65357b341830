package io.pando.core.hpke;

import io.pando.core.hpke.internal.BcHpke;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import java.util.Optional;

/** Entry points: sealers for HPKE configs, and choosing a config from a list. */
public final class Hpke {
  private Hpke() {}

  /**
   * A sealer for the recipient's config.
   *
   * @throws HpkeException if the suite is unsupported or the public key is malformed
   */
  public static HpkeSealer sealer(HpkeConfig config) throws HpkeException {
    BcHpke hpke = BcHpke.forSuite(HpkeSuite.of(config));
    byte[] publicKey = config.publicKey().bytes();
    hpke.checkPublicKey(publicKey);
    return (info, plaintext, aad) -> {
      byte[][] sealed = hpke.seal(publicKey, info.bytes(), aad, plaintext);
      return new HpkeCiphertext(config.id(), sealed[1], sealed[0]);
    };
  }

  /** The first config of the list whose suite this implementation supports (DAP-09 §4.4.1). */
  public static Optional<HpkeConfig> firstSupported(HpkeConfigList list) {
    return list.configs().stream().filter(c -> HpkeSuite.of(c).isSupported()).findFirst();
  }
}
