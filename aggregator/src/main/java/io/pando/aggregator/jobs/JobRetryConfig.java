package io.pando.aggregator.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a job that did not finish is tried again. A transient failure (the peer unreachable, a
 * timeout, 408, 429, 5xx) is retried for as long as the task lives: the first retry waits about
 * {@code initial-backoff}, each further one about twice as long, at most {@code max-backoff},
 * each wait drawn at random from its upper half so that jobs failed by one outage do not all
 * come back at once. A {@code Retry-After} from the peer is honoured (up to {@code
 * max-retry-after}) instead. A parked job (a refusal an operator must fix) is tried again every
 * {@code parked-retry-interval}.
 */
@ConfigMapping(prefix = "pando.jobs.retry")
public interface JobRetryConfig {
  @WithDefault("PT1S")
  Duration initialBackoff();

  @WithDefault("PT2M")
  Duration maxBackoff();

  /** The longest {@code Retry-After} honoured; a longer one waits this long. */
  @WithDefault("PT1H")
  Duration maxRetryAfter();

  @WithDefault("PT1M")
  Duration parkedRetryInterval();

  /** The ceiling of the wait before attempt {@code attempts + 1}, without jitter. */
  default Duration backoff(int attempts) {
    long initial = initialBackoff().toMillis();
    long max = maxBackoff().toMillis();
    int shift = Math.max(0, Math.min(attempts - 1, 30));
    long wait = initial << shift;
    return Duration.ofMillis(wait < 0 || wait > max ? max : wait);
  }

  /**
   * The wait before attempt {@code attempts + 1}: the peer's {@code Retry-After} if it sent one
   * (capped), else a random wait in the upper half of {@link #backoff}.
   */
  default Duration delay(int attempts, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) {
      Duration d = retryAfter.get();
      return d.isNegative() ? Duration.ZERO
          : d.compareTo(maxRetryAfter()) > 0 ? maxRetryAfter() : d;
    }
    long ceiling = backoff(attempts).toMillis();
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
