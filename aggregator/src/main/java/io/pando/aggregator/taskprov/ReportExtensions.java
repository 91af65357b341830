package io.pando.aggregator.taskprov;

import io.pando.aggregator.task.Task;
import io.pando.core.taskprov.Taskprov;
import io.pando.dap.messages.Extension;
import java.util.List;

/**
 * The report extensions a task accepts, for the leader's upload checks and the helper's
 * preparation alike: none for a task an operator provisioned (DAP-09 defines none); exactly the
 * taskprov extension, with empty data, for a taskprov task (draft-wang-ppm-dap-taskprov-06 §3.1:
 * a report of such a task without it is refused as {@code invalid_message}, as Janus 0.7 does).
 */
public final class ReportExtensions {
  private ReportExtensions() {}

  /** Whether {@code extensions}, of one plaintext input share, are the ones {@code task} needs. */
  public static boolean acceptable(Task task, List<Extension> extensions) {
    return task.isTaskprov() ? extensions.equals(List.of(Taskprov.EXTENSION))
        : extensions.isEmpty();
  }

  /** How many bytes the extensions of a plaintext input share of {@code task} take. */
  public static int encodedLength(Task task) {
    return task.isTaskprov() ? 2 + 2 : 0; // extension_type, empty extension_data<0..2^16-1>
  }
}
