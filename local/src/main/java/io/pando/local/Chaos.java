package io.pando.local;

import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.devstack.AggregatorProcess;
import io.pando.devstack.DirectoryTrees;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code pando chaos}: a whole deployment on this machine (PostgreSQL, Kafka, a leader and a
 * helper, each its own process), reports uploaded at a steady rate while a seeded schedule of
 * faults hits every part of it, then one collection during which PostgreSQL crashes and the
 * helper hangs. The run passes (exit 0) only if the collection counts exactly the reports the
 * leader accepted (answered 201, or refused a retry as a replay of an earlier attempt) and their
 * sum. The same seed gives the same schedule and measurements.
 *
 * <p>Faults start every 20 to 40 s (closer in short runs), each on a part not already faulted, so
 * they overlap: SIGKILL of the leader or the helper (started again after a few seconds, and
 * again until it starts: the supervisor), SIGSTOP of the helper (SIGCONT later: a hung peer),
 * SIGKILL of the Kafka broker (down for a while), SIGKILL of the PostgreSQL server (started
 * again on its data).
 */
final class Chaos {
  private static final long TP = LocalDeployment.TIME_PRECISION;
  private static final int BITS = 8;

  /** One scheduled fault: at {@code at} seconds into the run, lasting {@code seconds}. */
  record Fault(long at, Kind kind, long seconds) {
    String describe() {
      return switch (kind) {
        case KILL_LEADER -> "SIGKILL the leader, start it again after " + seconds + " s";
        case KILL_HELPER -> "SIGKILL the helper, start it again after " + seconds + " s";
        case STOP_HELPER -> "SIGSTOP the helper for " + seconds + " s";
        case KAFKA_DOWN -> "SIGKILL Kafka, start it again after " + seconds + " s";
        case KILL_POSTGRES -> "SIGKILL PostgreSQL, start it again after " + seconds + " s";
      };
    }
  }

  enum Kind {
    KILL_LEADER(Part.LEADER), KILL_HELPER(Part.HELPER), STOP_HELPER(Part.HELPER),
    KAFKA_DOWN(Part.KAFKA), KILL_POSTGRES(Part.POSTGRES);

    final Part part;

    Kind(Part part) {
      this.part = part;
    }
  }

  /** The processes a fault hits; two faults never hit one part at once. */
  enum Part { LEADER, HELPER, KAFKA, POSTGRES }

  /** Seconds a part takes to come back after its fault ends (a JVM start, a broker start). */
  static long recovery(Part p) {
    return switch (p) {
      case LEADER, HELPER -> 40;
      case KAFKA -> 30;
      case POSTGRES -> 10;
    };
  }

  /**
   * The seeded schedule for a run of {@code minutes}: a fault starts every {@code gap} to {@code
   * 2 gap} seconds ({@code gap} 20 s, less in runs shorter than 10 minutes) during the first
   * three quarters of the run, of kinds drawn from a shuffled bag of every kind, each on a part
   * that is free by then (its last fault over and recovered). Outages grow with the run: a
   * 30-minute run hangs the helper and stops Kafka for up to 10 minutes each, while the other
   * parts keep being hit.
   */
  static List<Fault> schedule(long seed, double minutes) {
    Random rng = new Random(seed);
    long total = Math.round(minutes * 60 * 0.75);
    long longest = Math.max(30, Math.round(minutes * 60 / 3));
    int gap = (int) Math.max(5, Math.min(20, total / 8));
    EnumMap<Part, Long> freeAt = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      freeAt.put(p, 0L);
    }
    List<Fault> out = new ArrayList<>();
    List<Kind> bag = new ArrayList<>();
    long t = 5 + rng.nextInt(10);
    while (t + 2 <= total) {
      final long now = t;
      if (bag.stream().noneMatch(k -> freeAt.get(k.part) <= now)) {
        bag.clear();
        bag.addAll(List.of(Kind.values()));
        Collections.shuffle(bag, rng);
      }
      Kind k = bag.stream().filter(x -> freeAt.get(x.part) <= now).findFirst().orElse(null);
      if (k == null) {
        t = freeAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        continue;
      }
      bag.remove(k);
      long d = switch (k) {
        case KILL_LEADER, KILL_HELPER, KILL_POSTGRES -> 2 + rng.nextInt(8);
        case STOP_HELPER, KAFKA_DOWN -> Math.min(longest, 15 + rng.nextInt((int) longest));
      };
      d = Math.max(2, Math.min(d, total - t));
      out.add(new Fault(t, k, d));
      freeAt.put(k.part, t + d + recovery(k.part));
      t += gap + rng.nextInt(gap + 1);
    }
    return out;
  }

  private final LocalDeployment d;
  private final long seed;
  private final long t0 = System.nanoTime();

  private Chaos(LocalDeployment d, long seed) {
    this.d = d;
    this.seed = seed;
  }

  private long elapsed() {
    return (System.nanoTime() - t0) / 1_000_000_000L;
  }

  private void log(String s) {
    System.out.printf(Locale.ROOT, "[%4d s] %s%n", elapsed(), s);
  }

  /** {@code pando chaos}; a null seed is drawn at random, a null directory is a temporary one. */
  static int run(Path jar, int reports, double minutes, Long seedOrNull, Path dataDir)
      throws Exception {
    long seed = seedOrNull != null ? seedOrNull : new java.security.SecureRandom().nextLong();
    if (reports < 1 || minutes <= 0) {
      throw new IllegalArgumentException("--reports and --minutes must be positive");
    }
    boolean temp = dataDir == null;
    Path dir = temp ? Files.createTempDirectory("pando-chaos-") : dataDir;
    System.out.println("pando chaos --reports " + reports + " --minutes " + minutes + " --seed "
        + seed);
    List<Fault> faults = schedule(seed, minutes);
    System.out.println("Fault schedule (" + faults.size() + " faults):");
    for (Fault f : faults) {
      System.out.printf(Locale.ROOT, "  t+%4d s  %s%n", f.at(), f.describe());
    }
    // Short retry times, so that the run does not wait out production-sized backoffs.
    Map<String, String> env = Map.of(
        "PANDO_JOBS_RETRY_MAX_BACKOFF", "PT10S",
        "PANDO_JOBS_LEASE_DURATION", "PT15S",
        "PANDO_LEADER_HELPER_REQUEST_TIMEOUT", "PT5S",
        "PANDO_LEADER_HELPER_CONNECT_TIMEOUT", "PT3S");
    int rc = 1;
    try (LocalDeployment d = LocalDeployment.start(dir, jar, 0, 0, env)) {
      rc = new Chaos(d, seed).run(reports, minutes, faults);
      return rc;
    } finally {
      if (temp && rc == 0) {
        DirectoryTrees.deleteQuietly(dir);
      } else if (temp) {
        // A failed run keeps its logs and data for the post-mortem.
        System.out.println("kept for inspection: " + dir + " (logs/leader.log, logs/helper.log)");
      }
    }
  }

  private int run(int reports, double minutes, List<Fault> faults) throws Exception {
    String taskId = LocalDeployment.newTaskId();
    d.provision(taskId, Map.of("type", "Prio3Sum", "bits", BITS), 1);
    Prio3<Long, BigInteger> vdaf = Prio3.sum(BITS);
    io.pando.dap.messages.TaskId id = io.pando.dap.messages.TaskId.fromBase64Url(taskId);
    log("leader " + d.leader().uri() + ", helper " + d.helper().uri() + ", task " + taskId
        + " (Prio3Sum, " + BITS + " bits)");

    AtomicBoolean faultsDone = new AtomicBoolean();
    List<String> incidents = new ArrayList<>();
    EnumMap<Part, Object> locks = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      locks.put(p, new Object());
    }
    Thread injector = new Thread(() -> {
      List<Thread> running = new ArrayList<>();
      try {
        for (Fault f : faults) {
          long wait = f.at() - elapsed();
          if (wait > 0) {
            Thread.sleep(wait * 1000);
          }
          Thread one = new Thread(() -> {
            // A part still coming back from its last fault is waited for.
            synchronized (locks.get(f.kind().part)) {
              try {
                log("fault: " + f.describe());
                inject(f);
                log("recovered from: " + f.kind().name().toLowerCase(Locale.ROOT));
              } catch (Exception e) {
                synchronized (incidents) {
                  incidents.add("fault injection failed: " + e);
                }
                log("fault injection failed: " + e);
              }
            }
          }, "chaos-" + f.kind().name().toLowerCase(Locale.ROOT));
          one.setDaemon(true);
          one.start();
          running.add(one);
        }
        for (Thread one : running) {
          one.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        faultsDone.set(true);
      }
    }, "chaos-faults");
    injector.setDaemon(true);
    injector.start();

    // Uploads at a steady rate over most of the faults' time.
    DapClient<Long> client = new DapClient<>(new DapTask<>(id, d.leader().uri(), d.helper().uri(),
        vdaf, io.pando.dap.messages.Duration.ofSeconds(TP)));
    Random measurements = new Random(seed ^ 0x5eed);
    long uploadMillis = Math.round(minutes * 60_000 * 0.7);
    long accepted = 0;
    long refused = 0;
    BigInteger sum = BigInteger.ZERO;
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    AtomicLong retries = new AtomicLong();
    long uploadStart = System.nanoTime();
    for (int i = 0; i < reports; i++) {
      long due = uploadStart / 1_000_000 + uploadMillis * i / reports;
      long now = System.nanoTime() / 1_000_000;
      if (due > now) {
        Thread.sleep(due - now);
      }
      long m = measurements.nextInt(1 << BITS);
      Instant time = Instant.now();
      Outcome o = upload(client, m, time, retries);
      if (o == Outcome.ACCEPTED) {
        accepted++;
        sum = sum.add(BigInteger.valueOf(m));
        long t = Math.floorDiv(time.getEpochSecond(), TP) * TP;
        minTime = Math.min(minTime, t);
        maxTime = Math.max(maxTime, t);
      } else {
        refused++;
      }
      if ((i + 1) % Math.max(1, reports / 10) == 0) {
        log("uploaded " + (i + 1) + " of " + reports + " (" + accepted + " accepted, "
            + retries.get() + " retried attempts)");
      }
    }
    log("uploads done: " + accepted + " accepted, " + refused + " refused, " + retries.get()
        + " attempts retried after an outage");
    injector.join();

    // One collection over every bucket that received reports; PostgreSQL crashes and the
    // helper hangs while it runs.
    Interval interval = Interval.of(minTime, maxTime + TP - minTime);
    Collector<BigInteger> collector = new Collector<>(id, d.leader().uri(),
        d.state().collectorToken(), d.collectorKey(), vdaf);
    Query<?> query = Query.timeInterval(interval);
    CollectionJobId job = null;
    while (job == null) {
      try {
        job = collector.start(query);
      } catch (CollectorException e) {
        log("starting the collection failed, again: " + e.getMessage());
        Thread.sleep(1000);
      }
    }
    log("collection job " + job + " over " + interval + " started");
    Thread.sleep(1500);
    inject(new Fault(elapsed(), Kind.KILL_POSTGRES, 5));
    log("PostgreSQL restarted during the collection");
    inject(new Fault(elapsed(), Kind.STOP_HELPER, 20));
    log("helper resumed during the collection");
    CollectionResult<BigInteger> result = null;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (result == null && System.nanoTime() < deadline) {
      try {
        if (collector.poll(job, query) instanceof Collector.Poll.Ready<BigInteger> r) {
          result = r.result();
          break;
        }
      } catch (CollectorException e) {
        log("poll failed, again: " + e.getMessage());
      }
      Thread.sleep(1000);
    }
    String counters = d.leader().admin("GET", "tasks/" + taskId + "/metrics", null).body();
    log("leader's counters for the task: " + counters);
    // How the jobs got through: retried after a failure, driven from PostgreSQL while Kafka was
    // down, parked (none expected: no fault here needs an operator).
    for (String line : d.leader().get("q/metrics").split("\n")) {
      if (line.startsWith("pando_jobs_retried_total") || line.startsWith("pando_jobs_polled_total")
          || line.startsWith("pando_jobs_parkings_total")) {
        log("leader metric (since its last start): " + line);
      }
    }
    for (String s : incidents) {
      log("incident: " + s);
    }
    if (result == null) {
      log("RESULT: FAILED: the collection did not finish within 10 minutes");
      return 1;
    }
    boolean ok = result.reportCount() == accepted && result.aggregate().equals(sum)
        && incidents.isEmpty();
    log("collected " + result.reportCount() + " reports with sum " + result.aggregate()
        + "; accepted " + accepted + " reports with sum " + sum);
    log(ok ? "RESULT: every accepted report was aggregated exactly once"
        : "RESULT: FAILED: the collection does not match the accepted reports");
    return ok ? 0 : 1;
  }

  enum Outcome { ACCEPTED, REFUSED }

  /**
   * Uploads one report, retrying the identical report through outages (connection failures,
   * 5xx, 429) until the leader answers for it: 201, or a refusal as a replay, which means an
   * earlier attempt was stored although its answer was lost.
   */
  private Outcome upload(DapClient<Long> client, long m, Instant time, AtomicLong retries)
      throws InterruptedException {
    Report report = null;
    while (true) {
      try {
        if (report == null) {
          report = client.prepareReport(m, time);
        }
        client.put(report);
        return Outcome.ACCEPTED;
      } catch (DapClientException e) {
        int status = e.status();
        if (status == 400 && e.problemType().orElse(null) == DapProblemType.REPORT_REJECTED
            && e.problem().map(p -> String.valueOf(p.detail())).orElse("")
                .contains("already uploaded")) {
          return Outcome.ACCEPTED;
        }
        if (status != 0 && status < 500 && status != 429) {
          log("report refused: " + e.getMessage());
          return Outcome.REFUSED;
        }
        retries.incrementAndGet();
        Thread.sleep(500);
      }
    }
  }

  /**
   * Starts an aggregator again, and again until it is ready: it cannot start while PostgreSQL
   * is down (its migrations run first), which another fault may be causing.
   */
  private void supervise(AggregatorProcess p) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        p.launch();
        return;
      } catch (IOException | RuntimeException e) {
        if (attempt >= 20) {
          throw e;
        }
        log("restart attempt " + attempt + " failed, again in 5 s: "
            + e.getMessage().lines().findFirst().orElse(""));
        Thread.sleep(5000);
      }
    }
  }

  /** Injects one fault and undoes it after its duration. */
  private void inject(Fault f) throws Exception {
    AggregatorProcess leader = d.leader();
    AggregatorProcess helper = d.helper();
    switch (f.kind()) {
      case KILL_LEADER -> {
        leader.kill();
        Thread.sleep(f.seconds() * 1000);
        supervise(leader);
      }
      case KILL_HELPER -> {
        helper.kill();
        Thread.sleep(f.seconds() * 1000);
        supervise(helper);
      }
      case STOP_HELPER -> {
        helper.pause();
        try {
          Thread.sleep(f.seconds() * 1000);
        } finally {
          helper.resume();
        }
      }
      case KAFKA_DOWN -> {
        d.stack().crashKafka();
        Thread.sleep(f.seconds() * 1000);
        d.stack().startKafka();
      }
      case KILL_POSTGRES -> {
        d.stack().crashPostgres();
        Thread.sleep(f.seconds() * 1000);
        d.stack().startPostgres();
      }
    }
  }
}
