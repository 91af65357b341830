package io.pando.interop;

import io.pando.devstack.AggregatorProcess;
import io.pando.devstack.DevStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pando interop-aggregator}: PostgreSQL and Kafka of its own (devstack, under its data
 * directory) and one aggregator process with the interop test API on, serving both the test API
 * and DAP on one port. Tasks take their role from add_task, so the same command is the leader
 * or the helper. The leader sends the aggregator token as {@code DAP-Auth-Token}, as the interop
 * test design requires. Several run side by side: each has its own data directory, database,
 * broker and port.
 */
public final class InteropAggregator implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DevStack stack;
  private final AggregatorProcess aggregator;

  private InteropAggregator(DevStack stack, AggregatorProcess aggregator) {
    this.stack = stack;
    this.aggregator = aggregator;
  }

  /**
   * Starts everything and returns once the aggregator is ready.
   *
   * @param dataDir PostgreSQL and Kafka data, and {@code logs/aggregator.log}
   * @param host the address the aggregator listens on (127.0.0.1, or 0.0.0.0 in a container)
   */
  public static InteropAggregator start(Path dataDir, Path aggregatorJar, String host, int port)
      throws IOException {
    requireFree(host, port);
    DevStack stack = DevStack.start(dataDir.resolve("devstack"));
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("QUARKUS_HTTP_HOST", host);
      env.put("PANDO_INTEROP_ENABLED", "true");
      env.put("PANDO_LEADER_HELPER_AUTH_SCHEME", "dap-auth-token");
      // Short intervals: a test runner waits for every aggregation and collection step.
      env.put("PANDO_AGGREGATION_CREATION_INTERVAL", "PT1S");
      env.put("PANDO_COLLECTION_WAIT_INTERVAL", "PT1S");
      env.put("PANDO_JOBS_SWEEP_INTERVAL", "PT2S");
      env.put("PANDO_JOBS_LEASE_DURATION", "PT15S");
      String adminToken = random(24); // the admin API stays on for operators; never printed
      AggregatorProcess p = AggregatorProcess.start(new AggregatorProcess.Spec(
          "interop-aggregator", aggregatorJar, stack, "pando", port, random(32), adminToken,
          "interop", env, dataDir.resolve("logs").resolve("aggregator.log")));
      return new InteropAggregator(stack, p);
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void requireFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " on " + host + " is already in use");
    }
  }

  public AggregatorProcess aggregator() {
    return aggregator;
  }

  /** Stops the aggregator (SIGTERM), then PostgreSQL and Kafka. */
  @Override
  public void close() {
    try {
      aggregator.close();
    } finally {
      stack.close();
    }
  }
}
