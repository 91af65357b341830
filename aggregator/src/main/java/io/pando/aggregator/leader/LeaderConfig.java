package io.pando.aggregator.leader;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The leader's aggregation settings beyond {@code pando.aggregation.*}. */
@ConfigMapping(prefix = "pando.leader")
public interface LeaderConfig {
  /** Connect timeout for requests to the helper. */
  @WithDefault("PT10S")
  Duration helperConnectTimeout();

  /**
   * Timeout of one request to the helper; keep it well below {@code pando.jobs.lease-duration},
   * so that a step ends before its lease does.
   */
  @WithDefault("PT30S")
  Duration helperRequestTimeout();

  /**
   * Reports waiting longer than this many creation intervals go into a job even when fewer than
   * {@code pando.aggregation.min-job-size} are available.
   */
  @WithDefault("3")
  int staleAfterIntervals();
}
