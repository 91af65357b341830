package io.pando.client;

import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.util.Objects;

/**
 * What a client needs to know of a DAP task (DAP-09 §4.2): its id, the two aggregators' base
 * URLs, the VDAF with its parameters, and the time precision.
 *
 * @param <M> the VDAF's measurement type
 */
public record DapTask<M>(TaskId id, URI leader, URI helper, Prio3<M, ?> vdaf,
    Duration timePrecision) {
  public DapTask {
    Objects.requireNonNull(id, "id");
    leader = withSlash(Objects.requireNonNull(leader, "leader"));
    helper = withSlash(Objects.requireNonNull(helper, "helper"));
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(timePrecision, "timePrecision");
    if (timePrecision.seconds() <= 0) {
      throw new IllegalArgumentException("time precision must be positive");
    }
    if (vdaf.shares() != 2) {
      throw new IllegalArgumentException("DAP needs a VDAF with two aggregators");
    }
  }

  /** Base URLs are joined with relative paths, so they must end with a slash. */
  private static URI withSlash(URI u) {
    String s = u.toString();
    return s.endsWith("/") ? u : URI.create(s + "/");
  }
}
