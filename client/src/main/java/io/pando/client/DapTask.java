package io.pando.client;

import io.pando.core.taskprov.Taskprov;
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.TaskConfiguration;
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
 * <p>A task speaks DAP-09 unless it carries a DAP-18 {@link TaskConfiguration} ({@link
 * #dap18(TaskId, TaskConfiguration, Prio3)}): then the aggregators, the time precision, the VDAF
 * and the batch mode are the configuration's, and the configuration is bound into the HPKE
 * associated data of every input share (DAP-18 §4.4.2).
 *
 * @param <M> the VDAF's measurement type
 */
public record DapTask<M>(TaskId id, URI leader, URI helper, Prio3<M, ?> vdaf,
    Duration timePrecision, PublicKey leaderConfigKey, PublicKey helperConfigKey,
    Optional<TaskConfig> taskprovConfig, Optional<TaskConfiguration> dap18Configuration) {
  /** A DAP-09 task (the form before DAP-18 existed). */
  public DapTask(TaskId id, URI leader, URI helper, Prio3<M, ?> vdaf, Duration timePrecision,
      PublicKey leaderConfigKey, PublicKey helperConfigKey, Optional<TaskConfig> taskprovConfig) {
    this(id, leader, helper, vdaf, timePrecision, leaderConfigKey, helperConfigKey,
        taskprovConfig, Optional.empty());
  }

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
        taskprovConfig, dap18Configuration);
  }

  /**
   * A DAP-18 task (draft-ietf-ppm-dap-18 §4.2): the aggregator endpoints and the time precision
   * are the configuration's, and {@code vdaf} must be the draft-20 Prio3 it names (Appendix B;
   * {@link Dap18Vdafs#prio3} builds it from the configuration).
   *
   * @throws IllegalArgumentException if {@code vdaf} is not the configuration's VDAF
   */
  public static <M> DapTask<M> dap18(TaskId id, TaskConfiguration configuration,
      Prio3<M, ?> vdaf) {
    if (!Dap18Vdafs.matches(configuration.vdaf(), vdaf)) {
      throw new IllegalArgumentException("the VDAF " + vdaf.name()
          + " is not the TaskConfiguration's " + configuration.vdaf());
    }
    return new DapTask<>(id, URI.create(configuration.leaderAggregatorEndpoint()),
        URI.create(configuration.helperAggregatorEndpoint()), vdaf,
        Duration.ofSeconds(configuration.timePrecision().seconds()), null, null,
        Optional.empty(), Optional.of(configuration));
  }

  /** The draft the task speaks: DAP-18 when it has a {@link #dap18Configuration}. */
  public DapVersion version() {
    return dap18Configuration.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
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
    Objects.requireNonNull(dap18Configuration, "dap18Configuration");
    if (dap18Configuration.isPresent() && taskprovConfig.isPresent()) {
      throw new IllegalArgumentException("taskprov (draft-wang-ppm-dap-taskprov-06) is DAP-09's");
    }
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
