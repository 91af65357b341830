package io.pando.aggregator.http;

import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;

/**
 * A DAP-defined failure (DAP-09 §3.2): becomes an RFC 9457 problem document with the DAP type,
 * the task id where known, and the type's HTTP status, in {@link ProblemMapper}.
 */
public final class DapException extends RuntimeException {
  private final DapProblemType type;
  private final TaskId taskId;

  public DapException(DapProblemType type, TaskId taskId, String detail) {
    super(detail, null, false, false);
    this.type = type;
    this.taskId = taskId;
  }

  public DapProblemType type() {
    return type;
  }

  public TaskId taskId() {
    return taskId;
  }

  public static DapException invalidMessage(TaskId taskId, String detail) {
    return new DapException(DapProblemType.INVALID_MESSAGE, taskId, detail);
  }

  public static DapException unrecognizedTask(TaskId taskId) {
    return new DapException(DapProblemType.UNRECOGNIZED_TASK, taskId, "unknown task");
  }

  public static DapException unauthorized(TaskId taskId) {
    return new DapException(DapProblemType.UNAUTHORIZED_REQUEST, taskId,
        "missing or wrong authentication token");
  }
}
