package io.pando.aggregator.helper;

import io.pando.aggregator.http.DapException;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.task.Task;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;

/** The helper's request-level failures (DAP-09 §3.2), in one place. */
final class HelperErrors {
  private HelperErrors() {}

  static DapException invalidMessage(TaskId task, String detail) {
    return DapException.invalidMessage(task, detail);
  }

  static DapException unrecognizedJob(TaskId task, AggregationJobId job) {
    return new DapException(DapProblemType.UNRECOGNIZED_AGGREGATION_JOB, task,
        "unknown aggregation job " + job);
  }

  static DapException of(DapProblemType type, TaskId task, String detail) {
    return new DapException(type, task, detail);
  }

  /**
   * A failure of {@code type} in the task's draft: DAP-18 (§3.6) has no {@code
   * batchQueriedTooManyTimes}; a batch queried more often than the task allows was collected
   * already, which is its {@code batchOverlap} (§4.6.3).
   */
  static DapException of(Task task, DapProblemType type, String detail) {
    if (task.isDap18() && type == DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES) {
      type = DapProblemType.BATCH_OVERLAP;
    }
    if (!type.existsIn(task.dapVersion())) {
      throw new IllegalStateException(type + " is not a " + task.dapVersion().tag() + " type");
    }
    return new DapException(type, task.id(), detail);
  }

  /**
   * An aggregation parameter that is not valid on its own: {@code invalidMessage} on DAP-09,
   * {@code invalidAggregationParameter} on DAP-18 (§4.3, §4.5.3.3).
   */
  static DapException invalidAggregationParameter(Task task, String detail) {
    return new DapException(task.isDap18() ? DapProblemType.INVALID_AGGREGATION_PARAMETER
        : DapProblemType.INVALID_MESSAGE, task.id(), detail);
  }

  /**
   * 409 Conflict: an aggregation job may not change (§4.5.1.2 asks for "an HTTP client error
   * status code"; Janus 0.7 answers 409 as well).
   */
  static ProblemException conflict(AggregationJobId job) {
    return ProblemException.conflict("aggregation job " + job
        + " exists with a different request");
  }

  /** 410 Gone: the leader deleted the job (Janus 0.7 answers 410 as well). */
  static ProblemException gone(AggregationJobId job) {
    return ProblemException.gone("aggregation job " + job + " was deleted");
  }
}
