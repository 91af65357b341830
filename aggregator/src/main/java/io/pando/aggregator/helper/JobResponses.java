package io.pando.aggregator.helper;

import io.pando.aggregator.task.Task;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.VerifyResp;
import java.util.ArrayList;
import java.util.List;

/**
 * The helper's {@code AggregationJobResp} in its task's draft: DAP-09's of {@code PrepareResp}
 * (§4.5.1.2) or DAP-18's of {@code VerifyResp} (§4.5.3.2). The helper decides each report's
 * outcome with DAP-09's {@link PrepareError}; only here does it become DAP-18's {@link
 * ReportError}.
 */
final class JobResponses {
  private JobResponses() {}

  /**
   * One report's answer: rejected with {@code error}, else {@code continue} with {@code payload},
   * else (no payload) {@code finished}/{@code finish}. {@code time} (seconds) tells DAP-18's
   * {@code task_not_started} from {@code task_expired}.
   */
  record Item(ReportId reportId, long time, PrepareError error, byte[] payload) {}

  static byte[] encode(Task task, List<Item> items) {
    if (task.isDap18()) {
      List<VerifyResp> resps = new ArrayList<>(items.size());
      for (Item i : items) {
        resps.add(i.error() != null
            ? VerifyResp.reject(i.reportId(), reportError(task, i.error(), i.time()))
            : i.payload() != null ? VerifyResp.continueWith(i.reportId(), i.payload())
            : VerifyResp.finish(i.reportId()));
      }
      return new io.pando.dap.messages.dap18.AggregationJobResp(resps).encode();
    }
    List<PrepareResp> resps = new ArrayList<>(items.size());
    for (Item i : items) {
      resps.add(new PrepareResp(i.reportId(), i.error() != null
          ? PrepareStepResult.reject(i.error())
          : i.payload() != null ? PrepareStepResult.continueWith(i.payload())
          : PrepareStepResult.finished()));
    }
    return new AggregationJobResp(resps).encode();
  }

  /**
   * DAP-18's name for a DAP-09 outcome (§4.1): {@code vdaf_prep_error} is {@code
   * vdaf_verify_error}; an unknown HPKE config id is {@code hpke_decrypt_error} (§4.5.3.3); a
   * report before the task interval is {@code task_not_started} (§4.5.3.4).
   */
  static ReportError reportError(Task task, PrepareError e, long time) {
    return switch (e) {
      case BATCH_COLLECTED -> ReportError.BATCH_COLLECTED;
      case REPORT_REPLAYED -> ReportError.REPORT_REPLAYED;
      case REPORT_DROPPED -> ReportError.REPORT_DROPPED;
      case HPKE_UNKNOWN_CONFIG_ID, HPKE_DECRYPT_ERROR -> ReportError.HPKE_DECRYPT_ERROR;
      case VDAF_PREP_ERROR -> ReportError.VDAF_VERIFY_ERROR;
      case TASK_EXPIRED -> task.dap18().flatMap(Task.Dap18::taskStart)
          .filter(start -> time < start.seconds()).isPresent()
          ? ReportError.TASK_NOT_STARTED : ReportError.TASK_EXPIRED;
      case INVALID_MESSAGE, BATCH_SATURATED -> ReportError.INVALID_MESSAGE;
      case REPORT_TOO_EARLY -> ReportError.REPORT_TOO_EARLY;
    };
  }
}
