package io.pando.aggregator.hpke;

import io.pando.aggregator.config.PandoConfig;
import io.pando.core.hpke.ConfigListSignature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * Signs {@code /hpke_config} bodies when {@code pando.hpke.config-signing-key} holds an ECDSA
 * P-256 key ({@link ConfigListSignature}); off otherwise. The last signature is kept and reused
 * while the body stays the same (the list changes only at a rotation).
 */
@ApplicationScoped
public class HpkeConfigSigner {
  private final Optional<PrivateKey> key;
  private volatile Signed last;

  private record Signed(byte[] body, String signature) {}

  @Inject
  public HpkeConfigSigner(PandoConfig config) {
    // A malformed key fails the start (the message names no key material).
    this.key = config.hpke().configSigningKey().filter(s -> !s.isBlank())
        .map(ConfigListSignature::privateKey);
  }

  /** The {@code x-hpke-config-signature} value for this body, when signing is configured. */
  public Optional<String> signature(byte[] body) {
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Signed s = last;
    if (s == null || !Arrays.equals(s.body(), body)) {
      s = new Signed(body.clone(), ConfigListSignature.sign(key.get(), body));
      last = s;
    }
    return Optional.of(s.signature());
  }
}
