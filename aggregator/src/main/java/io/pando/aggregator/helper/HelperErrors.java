package io.pando.aggregator.helper;

import io.pando.aggregator.http.DapException;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import jakarta.ws.rs.ClientErrorException;

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
   * 409 Conflict: an aggregation job may not change (§4.5.1.2 asks for "an HTTP client error
   * status code"; Janus 0.7 answers 409 as well).
   */
  static ClientErrorException conflict(AggregationJobId job) {
    return new ClientErrorException("aggregation job " + job
        + " exists with a different request", 409);
  }

  /** 410 Gone: the leader deleted the job (Janus 0.7 answers 410 as well). */
  static ClientErrorException gone(AggregationJobId job) {
    return new ClientErrorException("aggregation job " + job + " was deleted", 410);
  }
}
