package io.pando.aggregator.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pando.aggregator.http.ProblemMapper;
import io.pando.aggregator.http.Unavailable;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HelperCapacityTest {
  @Test
  void workBeyondTheBoundIsRefusedWith503AndRetryAfterUntilAPermitIsFree() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    HelperCapacity capacity = new HelperCapacity(2, Duration.ofMillis(1500), meters);
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> a = pool.submit(() -> capacity.run(() -> hold(started, release)));
      Future<?> b = pool.submit(() -> capacity.run(() -> hold(started, release)));
      started.await(10, TimeUnit.SECONDS);
      Unavailable u = assertThrows(Unavailable.class, () -> capacity.run(() -> "third"));
      assertEquals(503, u.status());
      assertEquals(2, u.retryAfterSeconds(), "1.5 s rounds up");
      assertEquals(1.0, meters.counter("pando_helper_overloaded_total").count());
      var response = new ProblemMapper().unavailable(u);
      assertEquals(503, response.getStatus());
      assertEquals("2", response.getHeaderString("Retry-After"));
      release.countDown();
      a.get(10, TimeUnit.SECONDS);
      b.get(10, TimeUnit.SECONDS);
      assertEquals("fourth", capacity.run(() -> "fourth"));
    } finally {
      pool.shutdownNow();
    }
  }

  private static String hold(CountDownLatch started, CountDownLatch release) {
    started.countDown();
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "held";
  }
}
