package io.pando.client;

import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.poplar1.Poplar1;
import java.net.URI;
import java.util.Objects;

/**
 * What a client needs to know of a DAP-09 Poplar1 task: its id, the two aggregators' base URLs,
 * the measurement length in bits ({@code {"type":"Poplar1","bits":N}}) and the time precision.
 * Measurements are bit strings of exactly {@code bits} characters '0'/'1', first the most
 * significant ({@link io.pando.core.vdaf.Poplar1Bits}). Poplar1 tasks here are not taskprov
 * tasks and their config lists are taken unsigned.
 */
public record Poplar1Task(TaskId id, URI leader, URI helper, int bits, Duration timePrecision) {
  public Poplar1Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(helper, "helper");
    Objects.requireNonNull(timePrecision, "timePrecision");
    if (timePrecision.seconds() <= 0) {
      throw new IllegalArgumentException("time precision must be positive");
    }
    new Poplar1(VdafVersion.DRAFT_08, bits); // checks bits
  }

  /** The task's VDAF: Poplar1 of draft-irtf-cfrg-vdaf-08, as DAP-09 uses it. */
  public Poplar1 vdaf() {
    return new Poplar1(VdafVersion.DRAFT_08, bits);
  }
}
