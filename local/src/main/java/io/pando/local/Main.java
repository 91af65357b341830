package io.pando.local;

import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.devstack.DirectoryTrees;
import io.pando.vdaf.prio3.Prio3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code pando demo}: a whole deployment on this machine, a few hundred reports uploaded with the
 * Java client, collected with the collector library, the aggregate printed next to the expected
 * one, and everything stopped. {@code pando up}: the same deployment left running until Ctrl-C.
 * {@code pando loadtest}: the deployment under load ({@link LoadTest}). {@code pando chaos}: the
 * deployment under a seeded schedule of crashes and outages ({@link Chaos}).
 *
 * <p>Each command refuses an unknown option or a malformed value with a line naming it, its
 * usage and exit status 2 (picocli's handling of invalid input).
 */
@Command(name = "pando",
    description = "The whole deployment on this machine.",
    subcommands = {Main.Demo.class, Main.Up.class, Main.Loadtest.class, Main.ChaosRun.class,
        Main.Relay.class})
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Help help;

  /** {@code -h}/{@code --help} on every command (the commands have no version of their own). */
  static final class Help {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this and exit")
    boolean help;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** No command given: the usage, as for any other invalid input. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return spec.exitCodeOnInvalidInput();
  }

  /**
   * The command tree with its error handling: invalid input exits 2; a command's own refusal
   * ({@link IllegalArgumentException}, {@link IllegalStateException}) prints its message and
   * exits 1; anything failing while Ctrl-C stops the JVM exits 130.
   */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (shuttingDown()) {
        // Ctrl-C or SIGTERM while starting: the terminal's SIGINT also reached the children, so
        // whatever failed here failed because of it. The shutdown hooks stop what had started.
        return 130;
      }
      if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        cmd.getErr().flush();
        return 1;
      }
      throw e;
    });
    return cl;
  }

  private static Path jar() {
    return Path.of(System.getProperty("pando.aggregator.jar",
        "aggregator/target/quarkus-app/quarkus-run.jar"));
  }

  @Command(name = "demo",
      description = "Start the whole deployment, upload reports, collect them, show the result"
          + " and stop.")
  static final class Demo implements Callable<Integer> {
    @Mixin Help help;

    @Option(names = "--reports", defaultValue = "300", paramLabel = "N",
        description = "reports to upload, at least 100 (default ${DEFAULT-VALUE})")
    int reports;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "where the deployment keeps its data (default: a temporary directory,"
            + " deleted at the end)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
      return demo(jar(), reports, dataDir);
    }
  }

  @Command(name = "up",
      description = "Start the whole deployment and keep it running until Ctrl-C.")
  static final class Up implements Callable<Integer> {
    @Mixin Help help;

    @Option(names = "--data-dir", defaultValue = ".data/pando", paramLabel = "DIR",
        description = "where the deployment keeps its data (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--reset", description = "delete the data directory first")
    boolean reset;

    @Option(names = "--leader-port", defaultValue = "8081", paramLabel = "P",
        description = "the leader's port (default ${DEFAULT-VALUE})")
    int leaderPort;

    @Option(names = "--helper-port", defaultValue = "8082", paramLabel = "P",
        description = "the helper's port (default ${DEFAULT-VALUE})")
    int helperPort;

    @Override
    public Integer call() throws Exception {
      return up(jar(), dataDir, reset, leaderPort, helperPort);
    }
  }

  @Command(name = "loadtest",
      description = "The deployment under load: uploads/s, reports/s end to end, CPU per report"
          + " of every process (docs/PERFORMANCE.md).")
  static final class Loadtest implements Callable<Integer> {
    @Mixin Help help;

    @Option(names = "--vdaf", defaultValue = "count", paramLabel = "count|histogram|sumvec",
        converter = WorkloadConverter.class,
        description = "Prio3Count, Prio3Histogram of 1,000 buckets or Prio3SumVec of length"
            + " 1,000 (default ${DEFAULT-VALUE})")
    LoadTest.Workload<?, ?> workload;

    @Option(names = "--reports", defaultValue = "50000", paramLabel = "N",
        description = "reports measured (default ${DEFAULT-VALUE})")
    int reports;

    @Option(names = "--warmup", defaultValue = "100000", paramLabel = "N",
        description = "reports uploaded before the clock starts (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--concurrency", defaultValue = "128", paramLabel = "C",
        description = "keep-alive connections of the load generator (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--upload-only", description = "no job drivers: measure uploads alone")
    boolean uploadOnly;

    @Option(names = "--leaders", defaultValue = "1", paramLabel = "N",
        description = "leader API processes (default ${DEFAULT-VALUE})")
    int leaders;

    @Option(names = "--helpers", defaultValue = "1", paramLabel = "M",
        description = "helper processes (default ${DEFAULT-VALUE})")
    int helpers;

    @Option(names = "--drivers", defaultValue = "0", paramLabel = "K",
        description = "leader driver-only processes; with K > 0 the API processes drive no jobs"
            + " (default ${DEFAULT-VALUE})")
    int drivers;

    @Override
    public Integer call() throws Exception {
      return LoadTest.run(jar(), workload, reports, warmup, concurrency, uploadOnly,
          new LocalDeployment.Topology(leaders, helpers, drivers));
    }
  }

  /** {@code --vdaf}: an unknown name is invalid input, like a malformed number. */
  static final class WorkloadConverter implements ITypeConverter<LoadTest.Workload<?, ?>> {
    @Override
    public LoadTest.Workload<?, ?> convert(String name) {
      try {
        return LoadTest.Workload.named(name);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Command(name = "chaos",
      description = "The deployment under a seeded schedule of crashes and outages; checks that"
          + " every accepted report is collected exactly once (docs/RELIABILITY.md).")
  static final class ChaosRun implements Callable<Integer> {
    @Mixin Help help;

    @Option(names = "--reports", defaultValue = "2000", paramLabel = "N",
        description = "reports uploaded during the run (default ${DEFAULT-VALUE})")
    int reports;

    @Option(names = "--minutes", defaultValue = "10", paramLabel = "M",
        description = "length of the fault schedule (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--seed", paramLabel = "S",
        description = "the schedule's seed (default: a random one, printed)")
    Long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "where the deployment keeps its data (default: a temporary directory)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
      return Chaos.run(jar(), reports, minutes, seed, dataDir);
    }
  }

  @Command(name = "relay",
      description = "An Oblivious HTTP relay for local testing: forwards message/ohttp-req"
          + " bodies to a gateway (aggregator/README.md, \"OHTTP\"), until Ctrl-C.")
  static final class Relay implements Callable<Integer> {
    @Mixin Help help;

    @Option(names = "--gateway", defaultValue = "http://127.0.0.1:8081/gateway", paramLabel = "URL",
        description = "the gateway's URL (default ${DEFAULT-VALUE})")
    java.net.URI gateway;

    @Option(names = "--port", defaultValue = "8090", paramLabel = "P",
        description = "the relay's port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws Exception {
      io.pando.devstack.OhttpRelay relay =
          io.pando.devstack.OhttpRelay.start("127.0.0.1", port, gateway);
      Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
      System.out.println("OHTTP relay on " + relay.uri() + " for " + gateway
          + " (Ctrl-C stops it)");
      new CountDownLatch(1).await();
      return 0;
    }
  }

  /** True once the JVM has begun to shut down (its shutdown hooks run or are about to). */
  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
    } catch (IllegalStateException e) {
      return true;
    }
    Runtime.getRuntime().removeShutdownHook(probe);
    return false;
  }

  private static int demo(Path jar, int reports, Path dataDir) throws Exception {
    if (reports < 100) {
      throw new IllegalArgumentException("--reports must be at least 100 (the task's"
          + " min_batch_size)");
    }
    boolean temp = dataDir == null;
    Path dir = temp ? Files.createTempDirectory("pando-demo-") : dataDir;
    long t0 = System.nanoTime();
    System.out.println("Starting PostgreSQL, Kafka, a leader and a helper under " + dir + " ...");
    try (LocalDeployment d = LocalDeployment.start(dir, jar, 0, 0, Map.of())) {
      System.out.printf("  leader %s, helper %s (%.1f s)%n", d.leader().uri(), d.helper().uri(),
          (System.nanoTime() - t0) / 1e9);
      System.out.println("Task " + d.taskId() + ": Prio3Histogram, " + LocalDeployment.BUCKETS
          + " buckets, min batch size 100");

      // Uploads, as an app would: each measurement is a bucket index.
      Prio3<Integer, List<Long>> vdaf = Prio3.histogram(LocalDeployment.BUCKETS,
          LocalDeployment.CHUNK_LENGTH);
      DapClient<Integer> client = new DapClient<>(new DapTask<>(d.taskId(), d.leader().uri(),
          d.helper().uri(), vdaf, Duration.ofSeconds(LocalDeployment.TIME_PRECISION)));
      long[] expected = new long[LocalDeployment.BUCKETS];
      Random rng = new Random(2024);
      Instant now = Instant.now();
      for (int i = 0; i < reports; i++) {
        // A skewed distribution, so the result has a recognisable shape.
        int m = Math.min(LocalDeployment.BUCKETS - 1,
            (int) Math.abs(rng.nextGaussian() * 2.5 + 3));
        client.upload(m, now);
        expected[m]++;
      }
      System.out.println("Uploaded " + reports + " reports with the Java client.");

      // Collection of the time buckets that hold them.
      long tp = LocalDeployment.TIME_PRECISION;
      long start = Math.floorDiv(now.getEpochSecond(), tp) * tp;
      Interval interval = Interval.of(start, tp);
      Collector<List<Long>> collector = new Collector<>(d.taskId(), d.leader().uri(),
          d.state().collectorToken(), d.collectorKey(), vdaf);
      System.out.println("Collecting " + interval + " ...");
      CollectionResult<List<Long>> result = collector.collect(Query.timeInterval(interval),
          java.time.Duration.ofMinutes(3), (id, polls, next) ->
              System.out.println("  aggregating... (poll " + polls + ")"));

      List<Long> want = Arrays.stream(expected).boxed().toList();
      System.out.println();
      System.out.println("bucket  collected  expected");
      for (int b = 0; b < LocalDeployment.BUCKETS; b++) {
        System.out.printf("%6d  %9d  %8d  %s%n", b, result.aggregate().get(b), expected[b],
            "#".repeat((int) Math.round(40.0 * result.aggregate().get(b) / reports)));
      }
      System.out.println("reports: " + result.reportCount() + " collected, " + reports
          + " uploaded");
      boolean ok = want.equals(result.aggregate()) && result.reportCount() == reports;
      System.out.println(ok ? "RESULT: the aggregate equals the expected one"
          : "RESULT: MISMATCH");
      System.out.printf("Shutting down (%.1f s in all).%n", (System.nanoTime() - t0) / 1e9);
      return ok ? 0 : 1;
    } finally {
      if (temp) {
        DirectoryTrees.delete(dir);
      }
    }
  }

  private static int up(Path jar, Path dir, boolean reset, int leaderPort, int helperPort)
      throws Exception {
    if (reset && Files.exists(dir)) {
      System.out.println("Removing " + dir);
      DirectoryTrees.delete(dir);
    }
    LocalDeployment d = LocalDeployment.start(dir, jar, leaderPort, helperPort, Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nStopping...");
      d.close();
      stopped.countDown();
    }));
    var s = d.state();
    System.out.println("""

        Pando is up (data in %s).

          leader             %s
          helper             %s
          leader management  %s   (admin API, /q/health, /q/metrics, /q/openapi)
          helper management  %s
          console            %s   (the leader's operator console)
          task id            %s
          VDAF               Prio3Histogram, length %d, chunk_length %d
          time precision     %d s, min batch size 100
          collector token    %s
          collector key      %s
          admin token        %s   (Authorization: Bearer, /admin/... on both management ports)
          logs               %s

        Upload from an app with io.pando.client.DapClient (leader and helper URLs above), or with
        @divviup/dap. Collect, e.g. the current %d-second bucket:

          bin/pando collect --task-id %s --leader %s \\
            --token %s --key-file %s \\
            --vdaf Prio3Histogram --length %d --chunk-length %d \\
            --interval-start <multiple of %d> --interval-duration %d

        Ctrl-C stops everything; run again to continue with the same task and data
        (--reset starts afresh).
        """.formatted(dir.toAbsolutePath(), d.leader().uri(), d.helper().uri(),
        d.leader().managementUri(), d.helper().managementUri(),
        d.leader().managementUri().resolve("console/"), s.taskId(), LocalDeployment.BUCKETS, LocalDeployment.CHUNK_LENGTH, LocalDeployment.TIME_PRECISION,
        s.collectorToken(), d.collectorKeyFile().toAbsolutePath(), s.adminToken(),
        dir.resolve("logs").toAbsolutePath(), LocalDeployment.TIME_PRECISION, s.taskId(),
        d.leader().uri(), s.collectorToken(), d.collectorKeyFile(), LocalDeployment.BUCKETS,
        LocalDeployment.CHUNK_LENGTH, LocalDeployment.TIME_PRECISION,
        LocalDeployment.TIME_PRECISION));
    stopped.await();
    return 0;
  }
}
