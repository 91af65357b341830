package io.pando.local;

import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.devstack.DirectoryTrees;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * {@code pando loadtest}: the local deployment under load. Prepares N reports of one {@link
 * Workload} (Prio3Count; Prio3Histogram or Prio3SumVec of length 1,000) with the real client
 * (sharded and sealed; not timed), warms every process up on a task of its own, then uploads
 * the N reports to the leader from C connections and reports uploads per second, then
 * collects them and reports the end-to-end rate: reports per second from the first upload until
 * the collection holds all of them. Each phase ends with each process's CPU time per report
 * ({@link CpuMeter}). With {@code --upload-only} the aggregators run no job drivers, so the
 * upload path is measured alone. With {@code --leaders N --helpers M --drivers K} the
 * deployment runs that many processes per role ({@link LocalDeployment.Topology}) and the CPU is
 * reported per process. End to end, it last prints what the run left in PostgreSQL and Kafka per
 * report ({@link Footprint}). Bounded: exactly N + W uploads, to 127.0.0.1 only.
 */
public final class LoadTest {
  private LoadTest() {}

  /**
   * What a load test measures: the VDAF of its tasks, their parameters as the admin API takes
   * them, the measurement of report {@code i}, and the aggregate of reports {@code 0..n-1}
   * computed in the clear, against which the collected one is checked.
   */
  record Workload<M, A>(String label, Map<String, Object> params, Prio3<M, A> vdaf,
      IntFunction<M> measurement, IntFunction<A> expected) {
    /** Length of the vector workloads: Prio3Histogram's buckets, Prio3SumVec's elements. */
    static final int LENGTH = 1000;
    /** The chunk length for {@link #LENGTH}, about its square root (VDAF-08 §7.4.4). */
    static final int CHUNK_LENGTH = 32;

    /** The workload {@code --vdaf} names: count (the default), histogram or sumvec. */
    static Workload<?, ?> named(String name) {
      return switch (name) {
        case "count" -> new Workload<>("Prio3Count", Map.of("type", "Prio3Count"),
            Prio3.count(), i -> i % 3 == 0, n -> (long) matching(n, 0, 3));
        case "histogram" -> new Workload<>("Prio3Histogram, " + LENGTH + " buckets",
            Map.of("type", "Prio3Histogram", "length", LENGTH, "chunk_length", CHUNK_LENGTH),
            Prio3.histogram(LENGTH, CHUNK_LENGTH), i -> i % LENGTH,
            n -> IntStream.range(0, LENGTH).mapToObj(b -> (long) matching(n, b, LENGTH))
                .toList());
        // Element j of report i is 1 when i + j is a multiple of 3: every element gets about a
        // third of the reports, each in a different phase.
        case "sumvec" -> new Workload<>("Prio3SumVec, length " + LENGTH + ", 1 bit",
            Map.of("type", "Prio3SumVec", "length", LENGTH, "bits", 1,
                "chunk_length", CHUNK_LENGTH),
            Prio3.sumVec(LENGTH, 1, CHUNK_LENGTH),
            i -> IntStream.range(0, LENGTH).mapToObj(j -> (i + j) % 3 == 0 ? 1L : 0L).toList(),
            n -> IntStream.range(0, LENGTH)
                .mapToObj(j -> BigInteger.valueOf(matching(n, (3 - j % 3) % 3, 3))).toList());
        default -> throw new IllegalArgumentException(
            "--vdaf takes count, histogram or sumvec, not " + name);
      };
    }

    /** How many of 0..n-1 are congruent to {@code b} modulo {@code m} (0 <= b < m). */
    private static int matching(int n, int b, int m) {
      return (n - b + m - 1) / m;
    }
  }

  /** One task's reports, prepared (sharded and sealed) before anything is timed. */
  private record Batch<A>(TaskId task, Instant time, List<byte[]> bodies, A expected) {}

  private static <M, A> Batch<A> prepare(LocalDeployment d, Workload<M, A> w, int n)
      throws Exception {
    String id = LocalDeployment.newTaskId();
    d.provision(id, w.params(), 1);
    TaskId task = TaskId.fromBase64Url(id);
    DapClient<M> client = new DapClient<>(new DapTask<>(task, d.leaderUri(),
        d.helperUri(), w.vdaf(), Duration.ofSeconds(LocalDeployment.TIME_PRECISION)));
    Instant now = Instant.now();
    // Fetches the HPKE configs once, before the parallel part.
    client.prepareReport(w.measurement().apply(0), now);
    List<byte[]> bodies = IntStream.range(0, n).parallel().mapToObj(i -> {
      try {
        return client.prepareReport(w.measurement().apply(i), now).encode();
      } catch (DapClientException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    return new Batch<>(task, now, bodies, w.expected().apply(n));
  }

  private static RawUploader.Result upload(LocalDeployment d, Batch<?> b, int concurrency)
      throws Exception {
    URI leader = d.leaderUri();
    return new RawUploader(new InetSocketAddress(leader.getHost(), leader.getPort()),
        "/tasks/" + b.task().toBase64Url() + "/reports").upload(b.bodies(), concurrency);
  }

  private static <A> CollectionResult<A> collect(LocalDeployment d, Batch<A> b,
      Prio3<?, A> vdaf) throws Exception {
    long tp = LocalDeployment.TIME_PRECISION;
    Interval interval = Interval.of(Math.floorDiv(b.time().getEpochSecond(), tp) * tp, tp);
    Collector<A> collector = new Collector<>(b.task(), d.leaderUri(),
        d.state().collectorToken(), d.collectorKey(), vdaf);
    return collector.collect(Query.timeInterval(interval), java.time.Duration.ofMinutes(30),
        null);
  }

  private static CpuMeter meter(LocalDeployment d) {
    if (!CpuMeter.available()) {
      return null;
    }
    Map<String, CpuMeter.Proc> procs = new java.util.LinkedHashMap<>();
    for (var p : d.leaders()) {
      procs.put(p.name(), new CpuMeter.Proc(p.pid(), false));
    }
    for (var p : d.drivers()) {
      procs.put(p.name(), new CpuMeter.Proc(p.pid(), false));
    }
    for (var p : d.helpers()) {
      procs.put(p.name(), new CpuMeter.Proc(p.pid(), false));
    }
    procs.put("postgres", new CpuMeter.Proc(d.stack().postgres().pid(), true));
    procs.put("kafka", new CpuMeter.Proc(d.stack().kafka().pid(), false));
    procs.put("load generator", new CpuMeter.Proc(ProcessHandle.current().pid(), false));
    return new CpuMeter(procs);
  }

  private static void printCpu(CpuMeter cpu, long units, String unit) {
    System.out.println(cpu == null ? "(CPU per " + unit + " is measured on Linux only)"
        : cpu.report(units, unit, Runtime.getRuntime().availableProcessors()));
  }

  static int run(Path jar, Workload<?, ?> workload, int n, int warmup, int concurrency,
      boolean uploadOnly, LocalDeployment.Topology topology) throws Exception {
    Path dir = Files.createTempDirectory("pando-load-");
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "PANDO_AGGREGATION_MAX_JOB_SIZE", "1000",
        // A collection job looks again, and tells the collector to poll again, after 1 s rather
        // than the default 5 s: the end-to-end figure measures aggregation, not poll spacing.
        "PANDO_COLLECTION_WAIT_INTERVAL", "PT1S"));
    if (uploadOnly) {
      // Measures the upload path alone: no aggregation competes for the CPU.
      env.put("PANDO_JOBS_DRIVERS_ENABLED", "false");
    }
    try (LocalDeployment d = LocalDeployment.start(dir, jar, 0, 0, env, topology)) {
      return measure(d, workload, n, warmup, concurrency, uploadOnly, topology);
    } finally {
      DirectoryTrees.delete(dir);
    }
  }

  private static <M, A> int measure(LocalDeployment d, Workload<M, A> w, int n, int warmup,
      int concurrency, boolean uploadOnly, LocalDeployment.Topology topology) throws Exception {
    System.out.printf("processes: %d leader, %d driver, %d helper%s%n", topology.leaders(),
        topology.drivers(), topology.helpers(), topology.leaders() > 1
            || topology.helpers() > 1 ? " (round-robin fronts per connection)" : "");
    Batch<A> measured = prepare(d, w, n);
    long warmedUp = 0;
    if (warmup > 0) {
      // The same path on a task of its own, untimed, so the JIT compilers of every process
      // have done their work before the clock starts (and, end to end, its aggregation is
      // finished so that it does not compete with the measured one).
      Batch<A> b = prepare(d, w, warmup);
      RawUploader.Result r = upload(d, b, concurrency);
      warmedUp = r.created();
      if (!uploadOnly) {
        collect(d, b, w.vdaf());
      }
      System.out.printf("warm-up: %d uploads (%d failed)%s%n", r.created(), r.failed(),
          uploadOnly ? "" : ", aggregated and collected");
    }
    System.out.printf("prepared %d %s reports; uploading from %d connections...%n", n,
        w.label(), concurrency);

    CpuMeter cpu = meter(d);
    long start = System.nanoTime();
    RawUploader.Result up = upload(d, measured, concurrency);
    double uploadSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("uploads: %d created, %d failed in %.2f s: %.0f uploads/s%n",
        up.created(), up.failed(), uploadSeconds, up.created() / uploadSeconds);
    printCpu(cpu, up.created(), "upload");
    if (uploadOnly) {
      return up.failed() == 0 ? 0 : 1;
    }
    cpu = meter(d);
    CollectionResult<A> r = collect(d, measured, w.vdaf());
    double e2eSeconds = (System.nanoTime() - start) / 1e9;
    boolean equal = r.aggregate().equals(measured.expected());
    System.out.printf("end to end: %d reports collected (%s) %.2f s after the first upload:"
        + " %.0f reports/s%n", r.reportCount(), r.aggregate() instanceof List<?> l
            ? "aggregate of " + l.size() + " elements, " + (equal ? "equal to" : "DIFFERENT FROM")
                + " the expected"
            : "sum " + r.aggregate() + ", expected " + measured.expected(),
        e2eSeconds, r.reportCount() / e2eSeconds);
    printCpu(cpu, r.reportCount(), "report aggregated after the uploads");
    System.out.println(Footprint.report(d, warmedUp + up.created()));
    boolean exact = r.reportCount() == up.created() && equal && up.failed() == 0;
    System.out.println(exact ? "RESULT: exact" : "RESULT: MISMATCH");
    return exact ? 0 : 1;
  }
}
