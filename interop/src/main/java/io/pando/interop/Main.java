package io.pando.interop;

import io.pando.devstack.DirectoryTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pando interop-aggregator|interop-collector|interop-client --port P}: the three roles of
 * the DAP interop test API. Each runs until SIGTERM or Ctrl-C and then stops everything it
 * started.
 */
public final class Main {
  private Main() {}

  private static void usage() {
    System.err.println("""
        usage: pando interop-aggregator --port P [--host H] [--data-dir DIR]
               pando interop-collector --port P [--host H]
               pando interop-client --port P [--host H]
        --host defaults to 127.0.0.1 (0.0.0.0 to serve other machines or containers);
        without --data-dir the aggregator's PostgreSQL, Kafka and logs go to a temporary
        directory that is removed when it stops.""");
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      System.exit(2);
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help")) {
        usage();
        return;
      } else if (a.startsWith("--") && a.contains("=")) {
        opts.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else if (a.startsWith("--") && i + 1 < args.length) {
        opts.put(a, args[++i]);
      } else {
        System.err.println("pando " + args[0] + ": unexpected argument " + a);
        usage();
        System.exit(2);
      }
    }
    try {
      if (!opts.containsKey("--port")) {
        throw new IllegalArgumentException("--port is required");
      }
      int port = Integer.parseInt(opts.get("--port"));
      String host = opts.getOrDefault("--host", "127.0.0.1");
      switch (args[0]) {
        case "interop-aggregator" -> aggregator(host, port, opts.get("--data-dir"));
        case "interop-collector" -> serve(args[0], TestApiServer.start(host, port,
            new InteropCollector().commands()));
        case "interop-client" -> serve(args[0], TestApiServer.start(host, port,
            new InteropClient().commands()));
        default -> {
          usage();
          System.exit(2);
        }
      }
    } catch (IllegalStateException | IllegalArgumentException | IOException e) {
      System.err.println("pando " + args[0] + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private static void serve(String name, TestApiServer server) throws InterruptedException {
    System.out.println(name + " listening on port " + server.port() + " (Ctrl-C stops it)");
    awaitShutdown(server::close);
  }

  private static void aggregator(String host, int port, String dataDir) throws Exception {
    String jar = System.getProperty("pando.aggregator.jar",
        "aggregator/target/quarkus-app/quarkus-run.jar");
    boolean temp = dataDir == null;
    Path dir = temp ? Files.createTempDirectory("pando-interop-aggregator-") : Path.of(dataDir);
    InteropAggregator a;
    try {
      a = InteropAggregator.start(dir, Path.of(jar), host, port);
    } catch (IOException | RuntimeException e) {
      if (temp) {
        DirectoryTrees.deleteQuietly(dir);
      }
      throw e;
    }
    System.out.println("interop-aggregator listening on port " + port + " (data and logs in "
        + dir + "; Ctrl-C stops it)");
    awaitShutdown(() -> {
      a.close();
      if (temp) {
        DirectoryTrees.deleteQuietly(dir);
      }
    });
  }

  /** Blocks until the JVM is asked to stop, then runs {@code stop} before it exits. */
  private static void awaitShutdown(Runnable stop) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stop.run();
      } finally {
        stopped.countDown();
      }
    }, "interop-shutdown"));
    stopped.await();
  }
}
