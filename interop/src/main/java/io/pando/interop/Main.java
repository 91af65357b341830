package io.pando.interop;

import io.pando.devstack.DirectoryTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pando interop-aggregator|interop-collector|interop-client --port P}: the three roles of
 * the DAP interop test API. Each runs until SIGTERM or Ctrl-C and then stops everything it
 * started. Unknown options and malformed values are refused with exit status 2 (picocli).
 */
@Command(name = "pando", subcommands = {Main.Aggregator.class, Main.Collector.class,
    Main.Client.class})
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Common.Help help;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** No command given: the usage, as for any other invalid input. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return spec.exitCodeOnInvalidInput();
  }

  /** Invalid input exits 2; a refusal to start (port taken, no jar) prints why and exits 1. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalStateException || e instanceof IllegalArgumentException
          || e instanceof IOException) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        cmd.getErr().flush();
        return 1;
      }
      throw e;
    });
    return cl;
  }

  /** The options every role takes. */
  static final class Common {
    static final class Help {
      @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this and exit")
      boolean help;
    }

    @Option(names = "--port", required = true, paramLabel = "P",
        description = "the port of the test API")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "H",
        description = "the address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 to serve"
            + " other machines or containers)")
    String host;
  }

  @Command(name = "interop-aggregator",
      description = "The aggregator role of the interop test API, with its own PostgreSQL,"
          + " Kafka and aggregator process.")
  static final class Aggregator implements Callable<Integer> {
    @Mixin Common.Help help;
    @Mixin Common common;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "where PostgreSQL, Kafka and the logs go (default: a temporary directory,"
            + " removed when it stops)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
      aggregator(common.host, common.port, dataDir);
      return 0;
    }
  }

  @Command(name = "interop-collector", description = "The collector role of the interop test API.")
  static final class Collector implements Callable<Integer> {
    @Mixin Common.Help help;
    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      serve("interop-collector", TestApiServer.start(common.host, common.port,
          new InteropCollector().commands()));
      return 0;
    }
  }

  @Command(name = "interop-client", description = "The client role of the interop test API.")
  static final class Client implements Callable<Integer> {
    @Mixin Common.Help help;
    @Mixin Common common;

    @Override
    public Integer call() throws Exception {
      serve("interop-client", TestApiServer.start(common.host, common.port,
          new InteropClient().commands()));
      return 0;
    }
  }

  private static void serve(String name, TestApiServer server) throws InterruptedException {
    System.out.println(name + " listening on port " + server.port() + " (Ctrl-C stops it)");
    awaitShutdown(server::close);
  }

  private static void aggregator(String host, int port, Path dataDir) throws Exception {
    String jar = System.getProperty("pando.aggregator.jar",
        "aggregator/target/quarkus-app/quarkus-run.jar");
    boolean temp = dataDir == null;
    Path dir = temp ? Files.createTempDirectory("pando-interop-aggregator-") : dataDir;
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
