package io.pando.aggregator.leader;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.TaskId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The leader's aggregation outcomes. Prometheus: {@code pando_aggregation_jobs_total{outcome}}
 * (created, finished, refused, mismatch, abandoned) and {@code
 * pando_reports_aggregated_total{task,outcome}} (success or the PrepareError's name, or
 * abandoned). The persistent per-task counters ({@code task_counters}) use the same outcomes,
 * named {@code aggregation_<outcome>}, and are written in the transaction that decides them.
 */
@ApplicationScoped
public class AggregationMetrics {
  /** The outcome of a report whose aggregation succeeded. */
  public static final String SUCCESS = "success";
  /** The outcome of a report whose job was abandoned. */
  public static final String ABANDONED = "abandoned";

  private final MeterRegistry meters;

  @Inject
  public AggregationMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** The outcome name of a report failed with {@code error}. */
  public static String outcome(PrepareError error) {
    return error.draftName();
  }

  /** The per-task counter of an outcome. */
  public static String counter(String outcome) {
    return "aggregation_" + outcome;
  }

  public void job(String outcome) {
    meters.counter("pando_aggregation_jobs_total", "outcome", outcome).increment();
  }

  public void reports(TaskId task, Map<String, Long> byOutcome) {
    byOutcome.forEach((outcome, n) -> {
      if (n > 0) {
        meters.counter("pando_reports_aggregated_total", "task", task.toBase64Url(),
            "outcome", outcome).increment(n);
      }
    });
  }
}
