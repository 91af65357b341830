package io.pando.interop;

import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.core.vdaf.InteropVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The DAP-18 task the client's and the collector's {@code /dap-18/internal/test/} commands act
 * on: the TaskConfiguration (DAP-18 §4.2) rebuilt from the request's fields exactly as the
 * aggregators' {@code add_task} derives it, since every participant binds its encoding into the
 * HPKE associated data. {@code leader} and {@code helper} are the endpoints byte for byte;
 * {@code vdaf} names a draft-20 VDAF with its draft-20 parameters ({@link
 * InteropVdaf#parseDraft20}); {@code time_precision} in seconds; {@code batch_mode} 1
 * (time_interval) or 2 (leader_selected); {@code min_batch_size}; {@code task_info} base64url,
 * the ASCII bytes {@value #DEFAULT_TASK_INFO} when absent; no extensions.
 */
record Dap18Task(TaskConfiguration configuration, VdafInstance vdaf) {
  /** The aggregators' default {@code task_info} (docs/INTEROP.md, "DAP-18 tasks"). */
  static final String DEFAULT_TASK_INFO = "interop";

  static Dap18Task of(String leader, String helper, Map<String, Object> vdaf,
      Long timePrecision, Integer batchMode, Long minBatchSize, String taskInfo) {
    String leaderUrl = Fields.absoluteUrl(leader, "leader").toString();
    String helperUrl = Fields.absoluteUrl(helper, "helper").toString();
    VdafInstance v = InteropVdaf.parseDraft20(Fields.required(vdaf, "vdaf"));
    long precision = Fields.required(timePrecision, "time_precision");
    if (precision <= 0) {
      throw new IllegalArgumentException("time_precision must be positive");
    }
    int bm = Fields.required(batchMode, "batch_mode");
    BatchMode mode = BatchMode.fromCode(bm).orElseThrow(() -> new IllegalArgumentException(
        "batch_mode must be 1 (time interval) or 2 (leader selected), got " + bm));
    long minimum = Fields.required(minBatchSize, "min_batch_size");
    if (minimum < 0) {
      throw new IllegalArgumentException("min_batch_size must not be negative");
    }
    byte[] info = taskInfo == null ? DEFAULT_TASK_INFO.getBytes(StandardCharsets.US_ASCII)
        : Fields.base64url(taskInfo, "task_info");
    if (info.length < 1 || info.length > 255) {
      throw new IllegalArgumentException("task_info must be 1 to 255 bytes");
    }
    return new Dap18Task(TaskConfiguration.of(info, leaderUrl, helperUrl,
        TimePrecision.ofSeconds(precision), minimum, mode, Dap18Vdafs.config(v), List.of()), v);
  }
}
