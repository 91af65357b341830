package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The loadtest's own parts: the raw HTTP uploader and the per-process CPU meter. */
class LoadToolsTest {
  @Test
  void rawUploaderSendsEveryBodyOnceAndCountsTheAnswers() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    server.createContext("/tasks/t/reports", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String text = new String(body);
      seen.merge(text, 1, Integer::sum);
      boolean put = exchange.getRequestMethod().equals("PUT") && "application/dap-report"
          .equals(exchange.getRequestHeaders().getFirst("Content-Type"));
      int n = Integer.parseInt(text.substring(1));
      if (put && n % 5 != 0) {
        exchange.sendResponseHeaders(201, -1);
      } else {
        // Every fifth is refused with a body: fixed length for even ones, chunked for odd.
        byte[] problem = ("{\"type\":\"urn:ietf:params:ppm:dap:error:reportRejected\",\"n\":" + n
            + "}").getBytes();
        exchange.sendResponseHeaders(400, n % 2 == 0 ? problem.length : 0);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(problem);
        }
      }
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    try {
      List<byte[]> bodies = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        bodies.add(("r" + i).getBytes());
      }
      RawUploader.Result r = new RawUploader(
          new InetSocketAddress("127.0.0.1", server.getAddress().getPort()), "/tasks/t/reports")
          .upload(bodies, 8);
      assertEquals(800, r.created());
      assertEquals(200, r.failed());
      assertEquals(1000, seen.size());
      assertTrue(seen.values().stream().allMatch(c -> c == 1), "a body was sent twice");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void rawUploaderCountsUnsentBodiesAsFailedWhenTheServerIsGone() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RawUploader uploader = new RawUploader(new InetSocketAddress("127.0.0.1", port), "/x");
    try {
      uploader.upload(List.of(new byte[1], new byte[1]), 1);
    } catch (java.net.ConnectException expected) {
      return; // nothing listens: refusing to start is the honest answer
    }
    throw new AssertionError("connected to a closed port");
  }

  @Test
  void cpuMeterSeesThisProcessWork() {
    if (!CpuMeter.available()) {
      return; // not Linux: nothing to measure (the loadtest says so too)
    }
    long pid = ProcessHandle.current().pid();
    long before = CpuMeter.ticksOf(pid).orElseThrow();
    CpuMeter meter = new CpuMeter(Map.of("self", new CpuMeter.Proc(pid, false)));
    long end = System.nanoTime() + 300_000_000L;
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    assertTrue(x >= 0);
    assertTrue(CpuMeter.ticksOf(pid).orElseThrow() > before, "no CPU time counted");
    assertTrue(meter.seconds().get("self") > 0.05, "300 ms of work measured as none");
    String report = meter.report(1000, "upload", 2);
    assertTrue(report.startsWith("CPU per upload: self "), report);
    assertTrue(report.contains("2 cores saturate at "), report);
  }

  /**
   * Each workload's expected aggregate, computed in closed form, is the sum of its measurements
   * added up one by one, for batch sizes around the vector length and the period of three.
   */
  @Test
  void workloadsExpectTheSumOfTheirMeasurements() {
    for (String name : List.of("count", "histogram", "sumvec")) {
      for (int n : new int[] {0, 1, 2, 3, 4, 999, 1000, 1001, 2500}) {
        assertEquals(addedUp(LoadTest.Workload.named(name), n),
            LoadTest.Workload.named(name).expected().apply(n), name + ", " + n + " reports");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> LoadTest.Workload.named("sum"));
  }

  private static Object addedUp(LoadTest.Workload<?, ?> w, int n) {
    long count = 0;
    long[] vector = new long[LoadTest.Workload.LENGTH];
    for (int i = 0; i < n; i++) {
      Object m = w.measurement().apply(i);
      if (m instanceof Boolean b) {
        count += b ? 1 : 0;
      } else if (m instanceof Integer bucket) {
        vector[bucket]++;
      } else {
        List<?> elements = (List<?>) m;
        for (int j = 0; j < elements.size(); j++) {
          vector[j] += (Long) elements.get(j);
        }
      }
    }
    return switch (w.vdaf().name()) {
      case "Prio3Count" -> count;
      case "Prio3Histogram" -> java.util.Arrays.stream(vector).boxed().toList();
      default -> java.util.Arrays.stream(vector).mapToObj(java.math.BigInteger::valueOf).toList();
    };
  }
}
