package io.pando.aggregator.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Backoff between attempts of a job that failed transiently (helper unreachable, 5xx): the
 * first retry waits {@code initial-backoff}, each further one twice as long, at most {@code
 * max-backoff}. Attempts are bounded by {@code pando.jobs.max-attempts}.
 */
@ConfigMapping(prefix = "pando.jobs.retry")
public interface JobRetryConfig {
  @WithDefault("PT1S")
  Duration initialBackoff();

  @WithDefault("PT5M")
  Duration maxBackoff();

  /** The wait before attempt {@code attempts + 1}. */
  default Duration backoff(int attempts) {
    long initial = initialBackoff().toMillis();
    long max = maxBackoff().toMillis();
    int shift = Math.max(0, Math.min(attempts - 1, 30));
    long wait = initial << shift;
    return Duration.ofMillis(wait < 0 || wait > max ? max : wait);
  }
}
