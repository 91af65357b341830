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

  /**
   * How the leader presents the task's aggregator token to the helper (DAP-09 §3.1 leaves the
   * scheme open): {@code bearer} ({@code Authorization: Bearer}) or {@code dap-auth-token} (the
   * {@code DAP-Auth-Token} header, which the DAP interop test design requires).
   */
  @WithDefault("bearer")
  AuthScheme helperAuthScheme();

  /** A header scheme for a DAP token. */
  enum AuthScheme {
    BEARER,
    DAP_AUTH_TOKEN
  }
}
