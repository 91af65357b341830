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

  /**
   * Not a failure: the job waits for something outside it (DAP-09 §4.6.1: a collection job waits
   * for its batch's aggregation jobs and reports). The lease is released, the job taken up again
   * after {@code delay}, and the attempt does not count towards {@code pando.jobs.max-attempts}.
   */
  record Wait(Duration delay, String reason) implements StepResult {}

  /** The lease was taken over before the step could commit; the new holder carries on. */
  record LostLease() implements StepResult {}
}
