package io.pando.aggregator.jobs;

/**
 * Drives one kind of leased job. The {@link JobRunner} acquires the lease and calls {@link
 * #step}; the step must write its results in one transaction that starts with {@code
 * tx.leases().holds(...)} on the lease token, so that a driver whose lease expired cannot commit.
 * A job is never abandoned by the runner: it ends only when a step reaches a terminal state.
 */
public interface JobHandler {
  JobKind kind();

  /** Runs one step of a leased job. Exceptions count as {@link StepResult.Retry}. */
  StepResult step(Lease lease);
}
