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
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code pando loadtest}: the local deployment under load. Prepares N Prio3Count reports with the
 * real client (sharded and sealed; not timed), warms every process up on a task of its own, then
 * uploads the N reports to the leader from C connections and reports uploads per second, then
 * collects them and reports the end-to-end rate: reports per second from the first upload until
 * the collection holds all of them. Each phase ends with each process's CPU time per report
 * ({@link CpuMeter}). With {@code --upload-only} the aggregators run no job drivers, so the
 * upload path is measured alone. With {@code --leaders N --helpers M --drivers K} the
 * deployment runs that many processes per role ({@link LocalDeployment.Topology}) and the CPU is
 * reported per process. Bounded: exactly N + W uploads, to 127.0.0.1 only.
 */
public final class LoadTest {
  private LoadTest() {}

  /** One task's reports, prepared (sharded and sealed) before anything is timed. */
  private record Batch(TaskId task, Instant time, List<byte[]> bodies, long trues) {}

  private static Batch prepare(LocalDeployment d, Prio3<Boolean, Long> vdaf, int n)
      throws Exception {
    String id = LocalDeployment.newTaskId();
    d.provision(id, Map.of("type", "Prio3Count"), 1);
    TaskId task = TaskId.fromBase64Url(id);
    DapClient<Boolean> client = new DapClient<>(new DapTask<>(task, d.leaderUri(),
        d.helperUri(), vdaf, Duration.ofSeconds(LocalDeployment.TIME_PRECISION)));
    Instant now = Instant.now();
    client.prepareReport(true, now); // fetches the HPKE configs once, before the parallel part
    List<byte[]> bodies = IntStream.range(0, n).parallel().mapToObj(i -> {
      try {
        return client.prepareReport(i % 3 == 0, now).encode();
      } catch (DapClientException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    return new Batch(task, now, bodies, (n + 2) / 3);
  }

  private static RawUploader.Result upload(LocalDeployment d, Batch b, int concurrency)
      throws Exception {
    URI leader = d.leaderUri();
    return new RawUploader(new InetSocketAddress(leader.getHost(), leader.getPort()),
        "/tasks/" + b.task().toBase64Url() + "/reports").upload(b.bodies(), concurrency);
  }

  private static CollectionResult<Long> collect(LocalDeployment d, Batch b,
      Prio3<Boolean, Long> vdaf) throws Exception {
    long tp = LocalDeployment.TIME_PRECISION;
    Interval interval = Interval.of(Math.floorDiv(b.time().getEpochSecond(), tp) * tp, tp);
    Collector<Long> collector = new Collector<>(b.task(), d.leaderUri(),
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

  static int run(Path jar, int n, int warmup, int concurrency, boolean uploadOnly,
      LocalDeployment.Topology topology) throws Exception {
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
      System.out.printf("processes: %d leader, %d driver, %d helper%s%n", topology.leaders(),
          topology.drivers(), topology.helpers(), topology.leaders() > 1
              || topology.helpers() > 1 ? " (round-robin fronts per connection)" : "");
      Prio3<Boolean, Long> vdaf = Prio3.count();
      Batch measured = prepare(d, vdaf, n);
      if (warmup > 0) {
        // The same path on a task of its own, untimed, so the JIT compilers of every process
        // have done their work before the clock starts (and, end to end, its aggregation is
        // finished so that it does not compete with the measured one).
        Batch w = prepare(d, vdaf, warmup);
        RawUploader.Result r = upload(d, w, concurrency);
        if (!uploadOnly) {
          collect(d, w, vdaf);
        }
        System.out.printf("warm-up: %d uploads (%d failed)%s%n", r.created(), r.failed(),
            uploadOnly ? "" : ", aggregated and collected");
      }
      System.out.printf("prepared %d Prio3Count reports; uploading from %d connections...%n", n,
          concurrency);

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
      CollectionResult<Long> r = collect(d, measured, vdaf);
      double e2eSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("end to end: %d reports collected (sum %d, expected %d) %.2f s after"
          + " the first upload: %.0f reports/s%n", r.reportCount(), r.aggregate(),
          measured.trues(), e2eSeconds, r.reportCount() / e2eSeconds);
      printCpu(cpu, r.reportCount(), "report aggregated after the uploads");
      boolean exact = r.reportCount() == up.created() && r.aggregate() == measured.trues()
          && up.failed() == 0;
      System.out.println(exact ? "RESULT: exact" : "RESULT: MISMATCH");
      return exact ? 0 : 1;
    } finally {
      DirectoryTrees.delete(dir);
    }
  }
}
