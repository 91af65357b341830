package io.pando.aggregator.task;

import io.pando.core.SecretBytes;
import io.pando.core.vdaf.DapVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.TaskId;
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
    Optional<byte[]> taskprovConfig) {

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

  /** DAP-09 query types (§4.2). */
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

  /** Whether the task has expired at {@code now}. */
  public boolean expiredAt(Time now) {
    return taskExpiration.map(e -> now.seconds() >= e.seconds()).orElse(false);
  }

  @Override
  public String toString() {
    return "Task[" + id + ", " + role + ", " + vdaf + ", " + queryType + "]";
  }
}
