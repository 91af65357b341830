package io.pando.aggregator.jobs;

import java.time.Duration;
import java.util.Optional;

/** How one step of a leased job ended. */
public sealed interface StepResult {
  /** The job reached a terminal state, written under the lease; {@code outcome} tags metrics. */
  record Done(String outcome) implements StepResult {}

  /**
   * A transient failure: the lease is released and the job taken up again after {@code delay}
   * (empty: the exponential backoff for the attempt).
   */
  record Retry(Optional<Duration> delay, String reason) implements StepResult {}

  /** The lease was taken over before the step could commit; the new holder carries on. */
  record LostLease() implements StepResult {}
}
