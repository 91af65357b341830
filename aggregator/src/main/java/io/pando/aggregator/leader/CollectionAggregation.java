package io.pando.aggregator.leader;

import io.pando.aggregator.datastore.AggregationJobStore;
import io.pando.aggregator.datastore.AggregationJobStore.NewJob;
import io.pando.aggregator.datastore.AggregationJobStore.NewReportAggregation;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.datastore.ReportStore.UnaggregatedReport;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.AggregationJobId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collection-driven aggregation (DAP-09 §4.5.1, §4.6.1: "for some VDAFs, it is not possible to
 * begin running aggregation jobs until the Collector initiates a collection job"): for a task
 * whose VDAF takes an aggregation parameter (Poplar1), the reports of a time-interval batch are
 * aggregated once per parameter a collection job names. The jobs are created over the batch's
 * stored reports, in time order, at most {@code maxJobSize} each; the reports keep their shares
 * (the next parameter needs them again) until garbage collection by report expiry.
 */
final class CollectionAggregation {
  private CollectionAggregation() {}

  /**
   * Creates the aggregation jobs of {@code aggParam} over the task's reports in {@code [start,
   * end)} unless the parameter already has jobs there; returns the jobs to announce.
   */
  static List<JobKey> createJobs(Tx tx, Task task, byte[] aggParam, long start, long end,
      int maxJobSize) {
    AggregationJobStore jobs = tx.aggregationJobs();
    if (jobs.anyWithParam(task.id(), aggParam, start, end)) {
      return List.of();
    }
    List<UnaggregatedReport> reports = tx.reports().inInterval(task.id(), start, end);
    List<JobKey> out = new ArrayList<>();
    for (int i = 0; i < reports.size(); i += maxJobSize) {
      List<UnaggregatedReport> run = reports.subList(i, Math.min(reports.size(), i + maxJobSize));
      List<NewReportAggregation> ras = new ArrayList<>(run.size());
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (UnaggregatedReport r : run) {
        ras.add(new NewReportAggregation(ras.size(), r.reportId(), r.clientTimestamp(),
            AggregationJobStore.START, null));
        min = Math.min(min, r.clientTimestamp());
        max = Math.max(max, r.clientTimestamp());
      }
      byte[] id = AggregationJobId.random().bytes();
      jobs.insert(task.id(), new NewJob(id, Optional.empty(), min, max,
          AggregationJobStore.JOB_IN_PROGRESS), aggParam, ras);
      out.add(new JobKey(task.id(), id));
    }
    return out;
  }
}
