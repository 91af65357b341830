package io.pando.aggregator;

import io.pando.aggregator.task.TaskDefinition;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.TaskId;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Task definitions for tests. */
public final class Tasks {
  private Tasks() {}

  public static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static final HpkeKeypair COLLECTOR_KEY;

  static {
    try {
      COLLECTOR_KEY = HpkeKeypair.generate(HpkeConfigId.of(200), HpkeSuite.X25519_SHA256_AES128GCM);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The tokens of every test task (strong enough for AuthTokens.requireStrong). */
  public static final String AGGREGATOR_TOKEN = "aggregator-G7kP2xQ9rT4vW8nZ";
  public static final String COLLECTOR_TOKEN = "collector-M3nB8vC5xZ1qW7eR";

  /** A leader task; {@code vdaf} holds "type" and the parameters. */
  public static TaskDefinition leader(TaskId id, Map<String, Object> vdaf, String peer) {
    return definition(id, "leader", vdaf, peer);
  }

  public static TaskDefinition definition(TaskId id, String role, Map<String, Object> vdaf,
      String peer) {
    byte[] verifyKey = new byte[vdaf.get("type").toString().contains("Multiproof") ? 32 : 16];
    new java.security.SecureRandom().nextBytes(verifyKey);
    return new TaskDefinition(id.toBase64Url(), role, peer, "time_interval", null,
        new LinkedHashMap<>(vdaf), b64(verifyKey), 1L, null, null, 1L, 3600L, 60L,
        b64(COLLECTOR_KEY.config().encode()), AGGREGATOR_TOKEN, COLLECTOR_TOKEN);
  }
}
