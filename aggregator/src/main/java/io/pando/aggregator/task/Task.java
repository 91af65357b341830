package io.pando.aggregator.task;

import io.pando.core.SecretBytes;
import io.pando.core.vdaf.DapVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.Time;
import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.util.Optional;

/**
 * A DAP task as this aggregator knows it (DAP-09 §4.2). Immutable; the role decides which
 * endpoints serve it. Secrets are {@link SecretBytes}, so a task never prints them.
 */
public record Task(
    TaskId id,
    Role role,
    URI peerEndpoint,
    QueryKind queryType,
    Optional<Long> maxBatchSize,
    VdafInstance vdaf,
    SecretBytes verifyKey,
    long maxBatchQueryCount,
    Optional<Time> taskExpiration,
    Optional<Duration> reportExpiryAge,
    long minBatchSize,
    Duration timePrecision,
    Duration tolerableClockSkew,
    HpkeConfig collectorHpkeConfig,
    Optional<SecretBytes> aggregatorAuthToken,
    Optional<byte[]> aggregatorAuthTokenHash,
    Optional<byte[]> collectorAuthTokenHash,
    Optional<DpStrategy> dpStrategy,
    Optional<byte[]> taskprovConfig,
    DapVersion dapVersion,
    Optional<Dap18> dap18) {

  /** A DAP-09 task (every task before DAP-18 tasks existed). */
  public Task(TaskId id, Role role, URI peerEndpoint, QueryKind queryType,
      Optional<Long> maxBatchSize, VdafInstance vdaf, SecretBytes verifyKey,
      long maxBatchQueryCount, Optional<Time> taskExpiration, Optional<Duration> reportExpiryAge,
      long minBatchSize, Duration timePrecision, Duration tolerableClockSkew,
      HpkeConfig collectorHpkeConfig, Optional<SecretBytes> aggregatorAuthToken,
      Optional<byte[]> aggregatorAuthTokenHash, Optional<byte[]> collectorAuthTokenHash,
      Optional<DpStrategy> dpStrategy, Optional<byte[]> taskprovConfig) {
    this(id, role, peerEndpoint, queryType, maxBatchSize, vdaf, verifyKey, maxBatchQueryCount,
        taskExpiration, reportExpiryAge, minBatchSize, timePrecision, tolerableClockSkew,
        collectorHpkeConfig, aggregatorAuthToken, aggregatorAuthTokenHash,
        collectorAuthTokenHash, dpStrategy, taskprovConfig, DapVersion.DAP_09, Optional.empty());
  }

  public Task {
    if ((dapVersion == DapVersion.DAP_18) != dap18.isPresent()) {
      throw new IllegalArgumentException("a task has DAP-18 parameters iff it is a DAP-18 task");
    }
  }

  /**
   * What a DAP-18 task has beyond a DAP-09 one (draft-ietf-ppm-dap-18 §4.2): its
   * TaskConfiguration, whose encoding the HPKE AADs bind (§4.4.2, §4.6.7) and which says what the
   * other fields do not hold: the exact endpoint strings, the task info, and the start of the
   * task interval extension (its end is {@link #taskExpiration}).
   */
  public record Dap18(TaskConfiguration configuration) {
    public Dap18 {
      java.util.Objects.requireNonNull(configuration, "configuration");
    }

    /** The canonical encoding (§4.2). */
    public byte[] taskConfiguration() {
      return configuration.encode();
    }

    /** The start of the task interval, in seconds, if the task has one. */
    public Optional<Time> taskStart() {
      return configuration.taskInterval()
          .map(i -> Time.ofSeconds(i.start().toSeconds(configuration.timePrecision())));
    }

    @Override
    public String toString() {
      return "Dap18[" + configuration.leaderAggregatorEndpoint() + ", "
          + configuration.helperAggregatorEndpoint() + "]";
    }
  }

  /**
   * A task an operator provisioned (not in-band by taskprov) without a differential privacy
   * strategy (no noise).
   */
  public Task(TaskId id, Role role, URI peerEndpoint, QueryKind queryType,
      Optional<Long> maxBatchSize, VdafInstance vdaf, SecretBytes verifyKey,
      long maxBatchQueryCount, Optional<Time> taskExpiration, Optional<Duration> reportExpiryAge,
      long minBatchSize, Duration timePrecision, Duration tolerableClockSkew,
      HpkeConfig collectorHpkeConfig, Optional<SecretBytes> aggregatorAuthToken,
      Optional<byte[]> aggregatorAuthTokenHash, Optional<byte[]> collectorAuthTokenHash) {
    this(id, role, peerEndpoint, queryType, maxBatchSize, vdaf, verifyKey, maxBatchQueryCount,
        taskExpiration, reportExpiryAge, minBatchSize, timePrecision, tolerableClockSkew,
        collectorHpkeConfig, aggregatorAuthToken, aggregatorAuthTokenHash,
        collectorAuthTokenHash, Optional.empty(), Optional.empty());
  }

  /**
   * Whether the task was provisioned in-band (draft-wang-ppm-dap-taskprov-06): its reports carry
   * the taskprov extension, and the leader sends {@link #taskprovConfig} to the helper.
   */
  public boolean isTaskprov() {
    return taskprovConfig.isPresent();
  }

  /** The aggregator's role in the task. */
  public enum Role {
    LEADER,
    HELPER
  }

  /**
   * DAP-09 query types (§4.2); a DAP-18 task's batch mode (§5) maps onto them: time_interval is
   * {@link #TIME_INTERVAL}, leader_selected is {@link #FIXED_SIZE} (the leader cuts batches).
   */
  public enum QueryKind {
    TIME_INTERVAL,
    FIXED_SIZE
  }

  public boolean isLeader() {
    return role == Role.LEADER;
  }

  /** The task's VDAF as a Prio3 instance (Prio3 tasks only). */
  public Prio3<?, ?> prio3() {
    return vdaf.prio3();
  }

  /** The task's VDAF, the one door every aggregation path goes through (a fresh, cheap view). */
  public DapVdaf dapVdaf() {
    return DapVdaf.of(vdaf);
  }

  /**
   * The VDAF application context every VDAF call of this task takes: empty on DAP-09, {@code
   * "dap-18" || task_id} on DAP-18 (draft-ietf-ppm-dap-18 §4.4.2).
   */
  public byte[] vdafContext() {
    return dapVersion.vdafContext(id);
  }

  /** Whether the task has expired at {@code now}. */
  public boolean expiredAt(Time now) {
    return taskExpiration.map(e -> now.seconds() >= e.seconds()).orElse(false);
  }

  /** Whether the task speaks DAP-18 (its resources are under {@link DapVersion#pathPrefix}). */
  public boolean isDap18() {
    return dapVersion == DapVersion.DAP_18;
  }

  @Override
  public String toString() {
    return "Task[" + id + ", " + dapVersion.tag() + ", " + role + ", " + vdaf + ", " + queryType
        + "]";
  }
}
