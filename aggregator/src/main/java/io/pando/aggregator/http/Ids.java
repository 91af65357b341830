package io.pando.aggregator.http;

import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.TaskId;

/** Parses the base64url ids in request paths; a malformed id is an invalidMessage. */
public final class Ids {
  private Ids() {}

  public static TaskId taskId(String s) {
    try {
      return TaskId.fromBase64Url(s);
    } catch (RuntimeException e) {
      throw DapException.invalidMessage(null, "malformed task id");
    }
  }

  public static AggregationJobId aggregationJobId(TaskId task, String s) {
    try {
      return AggregationJobId.fromBase64Url(s);
    } catch (RuntimeException e) {
      throw DapException.invalidMessage(task, "malformed aggregation job id");
    }
  }

  public static CollectionJobId collectionJobId(TaskId task, String s) {
    try {
      return CollectionJobId.fromBase64Url(s);
    } catch (RuntimeException e) {
      throw DapException.invalidMessage(task, "malformed collection job id");
    }
  }
}
