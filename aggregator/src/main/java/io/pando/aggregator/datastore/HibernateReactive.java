package io.pando.aggregator.datastore;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Runs Hibernate Reactive work (the control plane's task and HPKE key entities) from a worker
 * thread: the work runs on a Vert.x context and the calling thread waits for its result.
 */
public final class HibernateReactive {
  private HibernateReactive() {}

  /** The result of {@code work}; its failure is rethrown unchecked. */
  public static <T> T await(Supplier<Uni<T>> work) {
    try {
      return VertxContextSupport.subscribeAndAwait(work);
    } catch (Throwable t) {
      if (t instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(t);
    }
  }
}
