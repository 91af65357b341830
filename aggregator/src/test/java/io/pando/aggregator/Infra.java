package io.pando.aggregator;

import io.pando.aggregator.datastore.Crypter;
import io.pando.devstack.DevStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.Map;

/**
 * A real PostgreSQL and a real Kafka broker for the aggregator's tests (no stand-ins), started
 * once per test JVM, each test run on its own fresh database.
 */
public class Infra implements QuarkusTestResourceLifecycleManager {
  private static DevStack stack;
  private static int databases;

  /** The shared stack, started on first use. */
  public static synchronized DevStack stack() {
    if (stack == null) {
      try {
        stack = DevStack.start(Files.createTempDirectory("pando-test-"));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stack.close()));
    }
    return stack;
  }

  /** A new empty database. */
  public static synchronized String newDatabase() {
    String name = "pando_test_" + (++databases);
    stack().postgres().createDatabase(name);
    return name;
  }

  /** The admin token of every test aggregator. */
  public static final String ADMIN_TOKEN = "admin-Zq8Rt3Wk6Np1Vx4Hs9Ly";

  /**
   * The ECDSA P-256 key every test aggregator signs its HPKE config lists with
   * ({@code pando.hpke.config-signing-key}); clients that pin nothing ignore the signature.
   */
  public static final java.security.KeyPair CONFIG_SIGNING_KEY = configSigningKey();

  private static java.security.KeyPair configSigningKey() {
    try {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Quarkus configuration for an aggregator on a fresh database. */
  public static Map<String, String> config(String database) {
    DevStack s = stack();
    return Map.of(
        "quarkus.datasource.jdbc.url", s.postgres().jdbcUrl(database),
        "quarkus.datasource.reactive.url", s.postgres().reactiveUrl(database),
        "quarkus.datasource.username", s.postgres().user(),
        "kafka.bootstrap.servers", s.kafka().bootstrapServers(),
        "pando.datastore-keys", Crypter.generateKey(),
        "pando.admin-token", ADMIN_TOKEN,
        "pando.hpke.config-signing-key", java.util.Base64.getEncoder()
            .encodeToString(CONFIG_SIGNING_KEY.getPrivate().getEncoded()));
  }

  @Override
  public Map<String, String> start() {
    return config(newDatabase());
  }

  @Override
  public void stop() {
    // The stack is shared by every test class of this JVM and stops with it.
  }
}
