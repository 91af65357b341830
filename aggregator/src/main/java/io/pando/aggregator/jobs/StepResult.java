package io.pando.aggregator.jobs;

import java.time.Duration;
import java.util.Optional;

/** How one step of a leased job ended. */
public sealed interface StepResult {
  /** The job reached a terminal state, written under the lease; {@code outcome} tags metrics. */
  record Done(String outcome) implements StepResult {}

  /**
   * A transient failure (the peer unreachable, a timeout, 408, 429, 5xx): the lease is released
   * and the job taken up again after {@code retryAfter} if the peer named a time, else after the
   * backoff for the attempt ({@link JobRetryConfig}). Never abandons the job.
   */
  record Retry(Optional<Duration> retryAfter, String reason) implements StepResult {
    public Retry(String reason) {
      this(Optional.empty(), reason);
    }
  }

  /**
   * A failure an operator must fix (401/403 after a token change, {@code unrecognizedTask}, a
   * refusal of the peer): the job is parked, listed by {@code GET /admin/jobs/parked} and counted
   * in {@code pando_jobs_parked}, and tried again every {@code
   * pando.jobs.retry.parked-retry-interval} or on {@code POST /admin/jobs/.../retry}. Its reports
   * stay where they are.
   */
  record Park(String reason) implements StepResult {}

  /**
   * Not a failure: the job waits for something outside it (DAP-09 §4.6.1: a collection job waits
   * for its batch's aggregation jobs and reports). The lease is released, the job taken up again
   * after {@code delay}, and the attempt does not count towards the backoff.
   */
  record Wait(Duration delay, String reason) implements StepResult {}

  /** The lease was taken over before the step could commit; the new holder carries on. */
  record LostLease() implements StepResult {}
}
