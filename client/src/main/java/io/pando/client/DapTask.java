package io.pando.client;

import io.pando.core.taskprov.Taskprov;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client needs to know of a DAP task (DAP-09 §4.2): its id, the two aggregators' base
 * URLs, the VDAF with its parameters, and the time precision; optionally, per aggregator, the
 * pinned ECDSA P-256 public key that must have signed its {@code /hpke_config} response
 * ({@link io.pando.core.hpke.ConfigListSignature}; null: the signature is not checked).
 *
 * @param <M> the VDAF's measurement type
 */
public record DapTask<M>(TaskId id, URI leader, URI helper, Prio3<M, ?> vdaf,
    Duration timePrecision, PublicKey leaderConfigKey, PublicKey helperConfigKey,
    Optional<TaskConfig> taskprovConfig) {
  /** A task provisioned out of band whose HPKE config lists are taken unsigned. */
  public DapTask(TaskId id, URI leader, URI helper, Prio3<M, ?> vdaf, Duration timePrecision) {
    this(id, leader, helper, vdaf, timePrecision, null, null, Optional.empty());
  }

  /**
   * This task with pinned config signing keys (either may be null): an upload then fails,
   * before anything is sealed, unless that aggregator's config list carries a valid signature.
   */
  public DapTask<M> withConfigKeys(PublicKey leaderKey, PublicKey helperKey) {
    return new DapTask<>(id, leader, helper, vdaf, timePrecision, leaderKey, helperKey,
        taskprovConfig);
  }

  /**
   * A task provisioned in-band (draft-wang-ppm-dap-taskprov-06): its id is SHA-256 of the
   * TaskConfig, the aggregators and time precision are the config's, and uploads carry the
   * config in the {@code dap-taskprov} header and the taskprov extension in both input shares.
   *
   * @throws IllegalArgumentException if {@code vdaf} is not the VDAF the config names
   */
  public static <M> DapTask<M> taskprov(TaskConfig config, Prio3<M, ?> vdaf) {
    Prio3<?, ?> named = Taskprov.vdafOf(config.vdafConfig().vdafType()).prio3();
    if (named.id() != vdaf.id() || named.verifyKeySize() != vdaf.verifyKeySize()
        || named.inputShareLength(0) != vdaf.inputShareLength(0)
        || named.inputShareLength(1) != vdaf.inputShareLength(1)) {
      throw new IllegalArgumentException("the VDAF is not the TaskConfig's "
          + config.vdafConfig().vdafType());
    }
    return new DapTask<>(config.taskId(), URI.create(config.leaderAggregatorEndpoint()),
        URI.create(config.helperAggregatorEndpoint()), vdaf,
        config.queryConfig().timePrecision(), null, null, Optional.of(config));
  }

  public DapTask {
    Objects.requireNonNull(taskprovConfig, "taskprovConfig");
    if (taskprovConfig.isPresent() && !taskprovConfig.get().taskId().equals(id)) {
      throw new IllegalArgumentException("the task id is not SHA-256 of the TaskConfig");
    }
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
