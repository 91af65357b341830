package io.pando.client;

import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.security.PublicKey;
import java.util.Objects;

/**
 * What a client needs to know of a DAP task (DAP-09 §4.2): its id, the two aggregators' base
 * URLs, the VDAF with its parameters, and the time precision; optionally, per aggregator, the
 * pinned ECDSA P-256 public key that must have signed its {@code /hpke_config} response
 * ({@link io.pando.core.hpke.ConfigListSignature}; null: the signature is not checked).
 *
 * @param <M> the VDAF's measurement type
 */
public record DapTask<M>(TaskId id, URI leader, URI helper, Prio3<M, ?> vdaf,
    Duration timePrecision, PublicKey leaderConfigKey, PublicKey helperConfigKey) {
  /** A task whose HPKE config lists are taken unsigned. */
  public DapTask(TaskId id, URI leader, URI helper, Prio3<M, ?> vdaf, Duration timePrecision) {
    this(id, leader, helper, vdaf, timePrecision, null, null);
  }

  /**
   * This task with pinned config signing keys (either may be null): an upload then fails,
   * before anything is sealed, unless that aggregator's config list carries a valid signature.
   */
  public DapTask<M> withConfigKeys(PublicKey leaderKey, PublicKey helperKey) {
    return new DapTask<>(id, leader, helper, vdaf, timePrecision, leaderKey, helperKey);
  }

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
