package io.pando.aggregator.jobs;

import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.datastore.Tx;

/**
 * Drives one kind of leased job. The {@link JobRunner} acquires the lease and calls {@link
 * #step}; the step must write its results in one transaction that starts with {@code
 * tx.leases().holds(...)} on the lease token, so that a driver whose lease expired cannot commit.
 */
public interface JobHandler {
  JobKind kind();

  /** Runs one step of a leased job. Exceptions count as {@link StepResult.Retry}. */
  StepResult step(Lease lease);

  /**
   * Called in the transaction that abandons a job after too many attempts (the job's state is
   * already ABANDONED): fail what the job still holds and count it.
   */
  void abandoned(Tx tx, JobKey job, int attempts);

  /** Called after an abandonment committed (best-effort clean-up elsewhere). */
  default void afterAbandoned(JobKey job) {}
}
