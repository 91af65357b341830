package io.pando.aggregator.http;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.hpke.HpkeConfigSigner;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.core.hpke.ConfigListSignature;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.dap18.MediaTypes;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /dap-18/hpke_config} (draft-ietf-ppm-dap-18 §4.4.1): the deployment's active HPKE
 * configs (keys are global; DAP-18 has no task id query), cacheable for {@code
 * pando.hpke.config-max-age}. The encoding is DAP-09's; the media type is draft-18's.
 */
@Access(Access.Caller.ANYONE)
@Path("/dap-18/hpke_config")
public class Dap18HpkeConfigResource {
  private static final Duration NO_KEY_RETRY_AFTER = Duration.ofSeconds(5);

  @Inject HpkeKeys keys;
  @Inject HpkeConfigSigner signer;
  @Inject PandoConfig config;

  /**
   * §4.4.1: keys stay accepted for at least twice the cache lifetime after rotation, so an
   * expired key must live that long before it is deleted.
   */
  void onStart(@Observes StartupEvent e) {
    requireKeysOutliveCaches(config.hpke().rotator().expiredDuration(),
        config.hpke().configMaxAge());
  }

  /** Refuses a rotator that deletes expired keys before twice the cache lifetime has passed. */
  static void requireKeysOutliveCaches(Duration expired, Duration maxAge) {
    if (expired.compareTo(maxAge.multipliedBy(2)) < 0) {
      throw new IllegalStateException("pando.hpke.rotator.expired-duration (" + expired
          + ") must be at least twice pando.hpke.config-max-age (" + maxAge + "): clients may"
          + " encrypt to a key they cached that long (draft-ietf-ppm-dap-18 §4.4.1)");
    }
  }

  @GET
  @Blocking
  public Response get() {
    List<HpkeConfig> active = keys.activeConfigs();
    if (active.isEmpty()) {
      throw new Unavailable(NO_KEY_RETRY_AFTER, "no HPKE key is active");
    }
    byte[] body = new HpkeConfigList(active).encode();
    Response.ResponseBuilder r = Response.ok(body)
        .type(MediaTypes.HPKE_CONFIG_LIST)
        .header("Cache-Control", "max-age=" + config.hpke().configMaxAge().toSeconds());
    signer.signature(body).ifPresent(sig -> r.header(ConfigListSignature.HEADER, sig));
    return r.build();
  }
}
