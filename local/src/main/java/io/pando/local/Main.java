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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pando demo}: a whole deployment on this machine, a few hundred reports uploaded with the
 * Java client, collected with the collector library, the aggregate printed next to the expected
 * one, and everything stopped. {@code pando up}: the same deployment left running until Ctrl-C.
 * {@code pando chaos}: the deployment under a seeded schedule of crashes and outages ({@link
 * Chaos}).
 */
public final class Main {
  private Main() {}

  private static void usage() {
    System.err.println("""
        usage: pando demo [--reports N] [--data-dir DIR]
               pando up [--data-dir DIR] [--reset] [--leader-port P] [--helper-port P]
               pando loadtest [--vdaf count|histogram|sumvec] [--reports N] [--warmup N]
                              [--concurrency C] [--upload-only]
                              [--leaders N] [--helpers M] [--drivers K]
               pando chaos [--reports N] [--minutes M] [--seed S] [--data-dir DIR]
        """);
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      System.exit(2);
    }
    Map<String, String> opts = new HashMap<>();
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--reset") || a.equals("--help") || a.equals("--upload-only")) {
        flags.add(a);
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
    if (flags.contains("--help")) {
      usage();
      return;
    }
    String jar = System.getProperty("pando.aggregator.jar",
        "aggregator/target/quarkus-app/quarkus-run.jar");
    int code;
    try {
      code = switch (args[0]) {
        case "demo" -> demo(Path.of(jar), opts);
        case "up" -> up(Path.of(jar), opts, flags.contains("--reset"));
        case "loadtest" -> LoadTest.run(Path.of(jar),
            LoadTest.Workload.named(opts.getOrDefault("--vdaf", "count")),
            Integer.parseInt(opts.getOrDefault("--reports", "50000")),
            Integer.parseInt(opts.getOrDefault("--warmup", "100000")),
            Integer.parseInt(opts.getOrDefault("--concurrency", "128")),
            flags.contains("--upload-only"),
            new LocalDeployment.Topology(
                Integer.parseInt(opts.getOrDefault("--leaders", "1")),
                Integer.parseInt(opts.getOrDefault("--helpers", "1")),
                Integer.parseInt(opts.getOrDefault("--drivers", "0"))));
        case "chaos" -> Chaos.run(Path.of(jar), opts);
        default -> {
          usage();
          yield 2;
        }
      };
    } catch (Exception e) {
      if (shuttingDown()) {
        // Ctrl-C or SIGTERM while starting: the terminal's SIGINT also reached the children, so
        // whatever failed here failed because of it. The shutdown hooks stop what had started.
        code = 130;
      } else if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        System.err.println("pando " + args[0] + ": " + e.getMessage());
        code = 1;
      } else {
        throw e;
      }
    }
    System.exit(code);
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

  private static int demo(Path jar, Map<String, String> opts) throws Exception {
    int reports = Integer.parseInt(opts.getOrDefault("--reports", "300"));
    if (reports < 100) {
      throw new IllegalArgumentException("--reports must be at least 100 (the task's"
          + " min_batch_size)");
    }
    boolean temp = !opts.containsKey("--data-dir");
    Path dir = temp ? Files.createTempDirectory("pando-demo-") : Path.of(opts.get("--data-dir"));
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

  private static int up(Path jar, Map<String, String> opts, boolean reset) throws Exception {
    Path dir = Path.of(opts.getOrDefault("--data-dir", ".data/pando"));
    if (reset && Files.exists(dir)) {
      System.out.println("Removing " + dir);
      DirectoryTrees.delete(dir);
    }
    int leaderPort = Integer.parseInt(opts.getOrDefault("--leader-port", "8081"));
    int helperPort = Integer.parseInt(opts.getOrDefault("--helper-port", "8082"));
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
          task id            %s
          VDAF               Prio3Histogram, length %d, chunk_length %d
          time precision     %d s, min batch size 100
          collector token    %s
          collector key      %s
          admin token        %s   (Authorization: Bearer, /admin/... on both)
          logs               %s

        Upload from an app with io.pando.client.DapClient (leader and helper URLs above), or with
        @divviup/dap. Collect, e.g. the current %d-second bucket:

          bin/pando collect --task-id %s --leader %s \\
            --token %s --key-file %s \\
            --vdaf Prio3Histogram --length %d --chunk-length %d \\
            --interval-start <multiple of %d> --interval-duration %d

        Ctrl-C stops everything; run again to continue with the same task and data
        (--reset starts afresh).
        """.formatted(dir.toAbsolutePath(), d.leader().uri(), d.helper().uri(), s.taskId(),
        LocalDeployment.BUCKETS, LocalDeployment.CHUNK_LENGTH, LocalDeployment.TIME_PRECISION,
        s.collectorToken(), d.collectorKeyFile().toAbsolutePath(), s.adminToken(),
        dir.resolve("logs").toAbsolutePath(), LocalDeployment.TIME_PRECISION, s.taskId(),
        d.leader().uri(), s.collectorToken(), d.collectorKeyFile(), LocalDeployment.BUCKETS,
        LocalDeployment.CHUNK_LENGTH, LocalDeployment.TIME_PRECISION,
        LocalDeployment.TIME_PRECISION));
    stopped.await();
    return 0;
  }
}
