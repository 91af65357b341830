package io.pando.bench;

import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upload load generator: prepares N Prio3Count reports with the real client (sharded and sealed
 * to the leader's and helper's HPKE configs), then PUTs them to the leader from C concurrent
 * connections and reports uploads per second. Preparation is not timed. Bounded: it sends
 * exactly N requests, to the given leader only.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.pando.bench.UploadLoad LEADER HELPER TASK_ID N C</pre>
 */
public final class UploadLoad {
  private UploadLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: UploadLoad LEADER_URL HELPER_URL TASK_ID REPORTS CONCURRENCY");
      System.exit(2);
    }
    URI leader = URI.create(args[0]);
    URI helper = URI.create(args[1]);
    TaskId task = TaskId.fromBase64Url(args[2]);
    int n = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    System.out.println(run(leader, helper, task, n, concurrency));
  }

  /** The outcome of one run. */
  public record Result(int sent, int created, int failed, double seconds) {
    public double perSecond() {
      return created / seconds;
    }

    @Override
    public String toString() {
      return String.format("%d uploads in %.2f s: %.0f uploads/s (%d failed)", created, seconds,
          perSecond(), failed);
    }
  }

  public static Result run(URI leader, URI helper, TaskId task, int n, int concurrency)
      throws Exception {
    DapClient<Boolean> client = new DapClient<>(new DapTask<>(task, leader, helper,
        Prio3.count(), Duration.ofSeconds(3600)), HttpClient.newHttpClient(), Clock.systemUTC());
    List<byte[]> bodies = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      Report r = client.prepareReport(i % 3 == 0, now);
      bodies.add(r.encode());
    }
    URI uri = URI.create(leader.toString().replaceAll("/?$", "/"))
        .resolve("tasks/" + task.toBase64Url() + "/reports");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(concurrency)).build();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger created = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong firstError = new AtomicLong();
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
            if (r.statusCode() == 201) {
              created.incrementAndGet();
            } else {
              failed.incrementAndGet();
              firstError.compareAndSet(0, r.statusCode());
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
      });
    }
    workers.shutdown();
    workers.awaitTermination(1, TimeUnit.HOURS);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (firstError.get() != 0) {
      System.err.println("first failure status: " + firstError.get());
    }
    return new Result(n, created.get(), failed.get(), seconds);
  }
}
