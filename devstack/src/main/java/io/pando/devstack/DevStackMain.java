package io.pando.devstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts PostgreSQL and Kafka, prints the connection details as {@code key=value} lines, and runs
 * until Ctrl-C or SIGTERM.
 *
 * <pre>
 * DevStackMain [--data-dir=DIR] [--postgres-port=N] [--kafka-port=N] [--database=NAME]...
 *              [--topic=NAME[:PARTITIONS]]...
 * </pre>
 */
public final class DevStackMain {
  private DevStackMain() {}

  /** Runs the stack until the JVM is asked to stop. */
  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", StdoutLogProvider.class.getName());
      System.setProperty("slf4j.internal.verbosity", "WARN");
      System.setProperty("pando.devstack.log.level",
          System.getProperty("pando.devstack.log.level", "WARN"));
    }
    Path dataDir = null;
    int pgPort = 0;
    int kafkaPort = 0;
    List<String> databases = new ArrayList<>();
    List<String> topics = new ArrayList<>();
    for (String a : args) {
      String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
      if (a.startsWith("--data-dir=")) {
        dataDir = Paths.get(v);
      } else if (a.startsWith("--postgres-port=")) {
        pgPort = Integer.parseInt(v);
      } else if (a.startsWith("--kafka-port=")) {
        kafkaPort = Integer.parseInt(v);
      } else if (a.startsWith("--database=")) {
        databases.add(v);
      } else if (a.startsWith("--topic=")) {
        topics.add(v);
      } else {
        System.err.println("usage: DevStackMain [--data-dir=DIR] [--postgres-port=N] [--kafka-port=N]"
            + " [--database=NAME]... [--topic=NAME[:PARTITIONS]]...");
        System.exit(a.equals("--help") || a.equals("-h") ? 0 : 64);
      }
    }

    long t0 = System.nanoTime();
    DevStack stack;
    try {
      stack = DevStack.start(dataDir, pgPort, kafkaPort);
    } catch (RuntimeException e) {
      System.err.println("devstack: " + e.getMessage());
      for (Throwable s : e.getSuppressed()) {
        System.err.println("devstack: " + s.getMessage());
      }
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stack.close();
      stopped.countDown();
    }, "devstack-shutdown"));

    for (String db : databases) {
      stack.postgres().createDatabase(db);
    }
    for (String t : topics) {
      int colon = t.lastIndexOf(':');
      String name = colon < 0 ? t : t.substring(0, colon);
      int partitions = colon < 0 ? 1 : Integer.parseInt(t.substring(colon + 1));
      stack.kafka().createTopic(name, partitions);
    }

    LocalPostgres pg = stack.postgres();
    PrintStream out = System.out;
    out.println("postgres.host=" + Ports.HOST);
    out.println("postgres.port=" + pg.port());
    out.println("postgres.user=" + pg.user());
    out.println("postgres.jdbc-url=" + pg.jdbcUrl("postgres"));
    out.println("postgres.reactive-url=" + pg.reactiveUrl("postgres"));
    for (String db : databases) {
      out.println("postgres.database." + db + ".jdbc-url=" + pg.jdbcUrl(db));
      out.println("postgres.database." + db + ".reactive-url=" + pg.reactiveUrl(db));
    }
    out.println("postgres.data-dir=" + pg.dataDir());
    out.println("kafka.bootstrap-servers=" + stack.kafka().bootstrapServers());
    out.println("kafka.pid=" + stack.kafka().pid());
    out.println("kafka.data-dir=" + stack.kafka().dataDir());
    out.println("startup-ms=" + (System.nanoTime() - t0) / 1_000_000);
    out.println("ready=true");
    out.flush();
    stopped.await();
  }
}
