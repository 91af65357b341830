package io.pando.aggregator.it;

import io.pando.aggregator.Infra;
import io.pando.aggregator.datastore.Crypter;
import io.pando.devstack.AggregatorProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Real aggregator processes for the integration tests: the packaged application
 * ({@code target/quarkus-app/quarkus-run.jar}), each on a fresh database of the shared test
 * PostgreSQL and on Kafka topics and a consumer group of its own on the shared broker.
 */
final class Processes {
  static final String ADMIN_TOKEN = "it-admin-Bm4Kx8Qr2Tw6Zp9Ln";

  private Processes() {}

  /** Starts an aggregator named {@code name} with extra environment variables. */
  static AggregatorProcess start(String name, Map<String, String> env) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return AggregatorProcess.start(new AggregatorProcess.Spec(name,
        Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath(), Infra.stack(),
        Infra.newDatabase(), port, Crypter.generateKey(), ADMIN_TOKEN,
        name + "-" + UUID.randomUUID().toString().substring(0, 8), env,
        Files.createTempFile("pando-" + name + "-", ".log")));
  }

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
