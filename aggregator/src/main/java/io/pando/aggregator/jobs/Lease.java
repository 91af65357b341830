package io.pando.aggregator.jobs;

import io.pando.aggregator.datastore.LeaseStore.JobKey;
import java.time.Instant;

/**
 * A driver's hold on one job: the fencing token that every write completing the step must name,
 * the attempt this is (1 for the first acquisition), and the replica holding it ({@code
 * pando.instance}).
 */
public record Lease(JobKind kind, JobKey job, byte[] token, int attempts, Instant expiry,
    String holder) {
  public Lease {
    token = token.clone();
  }

  @Override
  public byte[] token() {
    return token.clone();
  }

  @Override
  public String toString() {
    return "Lease[" + kind.label() + " " + job + ", attempt " + attempts + "]";
  }
}
