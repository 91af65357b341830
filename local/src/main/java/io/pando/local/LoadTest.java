package io.pando.local;

import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code pando loadtest}: the local deployment under load. Prepares N Prio3Count reports with the
 * real client (sharded and sealed; not timed), uploads them to the leader from C connections and
 * reports uploads per second, then collects them and reports the end-to-end rate: reports per
 * second from the first upload until the collection holds all of them. With {@code --upload-only}
 * the aggregators run no job drivers, so the upload path is measured alone. Bounded: exactly N
 * uploads, to 127.0.0.1 only.
 */
public final class LoadTest {
  private LoadTest() {}

  static int run(Path jar, int n, int concurrency, boolean uploadOnly) throws Exception {
    Path dir = Files.createTempDirectory("pando-load-");
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "PANDO_AGGREGATION_MAX_JOB_SIZE", "1000"));
    if (uploadOnly) {
      // Measures the upload path alone: no aggregation competes for the CPU.
      env.put("PANDO_JOBS_DRIVERS_ENABLED", "false");
    }
    try (LocalDeployment d = LocalDeployment.start(dir, jar, 0, 0, env)) {
      String id = LocalDeployment.newTaskId();
      d.provision(id, Map.of("type", "Prio3Count"), 1);
      TaskId task = TaskId.fromBase64Url(id);
      Prio3<Boolean, Long> vdaf = Prio3.count();
      DapClient<Boolean> client = new DapClient<>(new DapTask<>(task, d.leader().uri(),
          d.helper().uri(), vdaf, Duration.ofSeconds(LocalDeployment.TIME_PRECISION)));
      Instant now = Instant.now();
      List<byte[]> bodies = new ArrayList<>(n);
      long trues = 0;
      for (int i = 0; i < n; i++) {
        boolean m = i % 3 == 0;
        trues += m ? 1 : 0;
        bodies.add(client.prepareReport(m, now).encode());
      }
      System.out.printf("prepared %d Prio3Count reports; uploading from %d connections...%n", n,
          concurrency);

      URI uri = d.leader().uri().resolve("tasks/" + id + "/reports");
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .executor(pool).build();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger created = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      ExecutorService workers = Executors.newFixedThreadPool(concurrency);
      long start = System.nanoTime();
      for (int w = 0; w < concurrency; w++) {
        workers.execute(() -> {
          int i;
          while ((i = next.getAndIncrement()) < n) {
            try {
              HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/dap-report")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                  HttpResponse.BodyHandlers.discarding());
              (r.statusCode() == 201 ? created : failed).incrementAndGet();
            } catch (Exception e) {
              failed.incrementAndGet();
            }
          }
        });
      }
      workers.shutdown();
      workers.awaitTermination(1, TimeUnit.HOURS);
      double uploadSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("uploads: %d created, %d failed in %.2f s: %.0f uploads/s%n",
          created.get(), failed.get(), uploadSeconds, created.get() / uploadSeconds);

      if (uploadOnly) {
        pool.shutdown();
        return failed.get() == 0 ? 0 : 1;
      }
      long tp = LocalDeployment.TIME_PRECISION;
      Interval interval = Interval.of(Math.floorDiv(now.getEpochSecond(), tp) * tp, tp);
      Collector<Long> collector = new Collector<>(task, d.leader().uri(),
          d.state().collectorToken(), d.collectorKey(), vdaf);
      CollectionResult<Long> r = collector.collect(Query.timeInterval(interval),
          java.time.Duration.ofMinutes(30), null);
      double e2eSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("end to end: %d reports collected (sum %d, expected %d) %.2f s after"
          + " the first upload: %.0f reports/s%n", r.reportCount(), r.aggregate(), trues,
          e2eSeconds, r.reportCount() / e2eSeconds);
      pool.shutdown();
      boolean exact = r.reportCount() == created.get() && r.aggregate() == trues
          && failed.get() == 0;
      System.out.println(exact ? "RESULT: exact" : "RESULT: MISMATCH");
      return exact ? 0 : 1;
    } finally {
      Main.deleteTree(dir);
    }
  }
}
