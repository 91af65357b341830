package io.pando.aggregator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Bodies released at the same moment, for tests of what replicas do at once. */
public final class AtOnce {
  private AtOnce() {}

  /** Runs the bodies, each on its own thread, released together; their results in order. */
  public static <T> List<T> run(List<Callable<T>> bodies) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> body : bodies) {
        futures.add(pool.submit(() -> {
          go.await();
          return body.call();
        }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs {@code n} copies of {@code body} released together. */
  public static <T> List<T> copies(int n, Callable<T> body) throws Exception {
    return run(Collections.nCopies(n, body));
  }
}
