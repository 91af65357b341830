package io.pando.aggregator.helper;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.http.Unavailable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The helper's bound on concurrent aggregation work: at most {@code
 * pando.helper.max-concurrent-jobs} aggregation job requests are prepared at once. One more is
 * answered 503 with {@code Retry-After: pando.helper.retry-after} before any work is done, so an
 * overloaded helper sheds load instead of queueing requests until the leader's timeout; the
 * leader retries after the time it names. Metric: {@code pando_helper_overloaded_total}.
 */
@ApplicationScoped
public class HelperCapacity {
  private final Semaphore permits;
  private final Duration retryAfter;
  private final MeterRegistry meters;

  @Inject
  public HelperCapacity(PandoConfig config, MeterRegistry meters) {
    this(config.helper().maxConcurrentJobs(), config.helper().retryAfter(), meters);
  }

  HelperCapacity(int maxConcurrentJobs, Duration retryAfter, MeterRegistry meters) {
    this.permits = new Semaphore(Math.max(1, maxConcurrentJobs));
    this.retryAfter = retryAfter;
    this.meters = meters;
  }

  /** Runs {@code work} within the bound, or throws {@link Unavailable} (503) if it is full. */
  public <T> T run(Supplier<T> work) {
    if (!permits.tryAcquire()) {
      meters.counter("pando_helper_overloaded_total").increment();
      throw new Unavailable(retryAfter, "the helper is at its capacity; try again later");
    }
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }
}
