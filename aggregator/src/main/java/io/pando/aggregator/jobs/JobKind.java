package io.pando.aggregator.jobs;

import io.pando.aggregator.datastore.LeaseStore.JobTable;
import java.util.Locale;

/** The kinds of leased leader jobs, each with its table and its Kafka topic's channels. */
public enum JobKind {
  /** Aggregation jobs (DAP-09 §4.5), topic {@code aggregation-jobs}. */
  AGGREGATION(JobTable.AGGREGATION),
  /** Collection jobs (DAP-09 §4.6), topic {@code collection-jobs}. */
  COLLECTION(JobTable.COLLECTION);

  private final JobTable table;

  JobKind(JobTable table) {
    this.table = table;
  }

  public JobTable table() {
    return table;
  }

  /** The lower-case name used in metric tags and transaction names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
