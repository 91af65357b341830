package io.pando.aggregator.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A task as the admin API and the task file describe it (JSON, snake_case). Binary values are
 * base64url without padding; durations and times are seconds. Tokens appear here in the clear
 * only on the way in; the datastore keeps hashes (or, for the token the leader sends, a
 * ciphertext). {@code dp_strategy} is optional: the task's differential privacy noise ({@link
 * io.pando.core.vdaf.DpStrategies}; absent, none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record TaskDefinition(
    @JsonProperty("task_id") String taskId,
    @JsonProperty("role") String role,
    @JsonProperty("peer_endpoint") String peerEndpoint,
    @JsonProperty("query_type") String queryType,
    @JsonProperty("max_batch_size") Long maxBatchSize,
    @JsonProperty("vdaf") Map<String, Object> vdaf,
    @JsonProperty("vdaf_verify_key") String vdafVerifyKey,
    @JsonProperty("max_batch_query_count") Long maxBatchQueryCount,
    @JsonProperty("task_expiration") Long taskExpiration,
    @JsonProperty("report_expiry_age") Long reportExpiryAge,
    @JsonProperty("min_batch_size") Long minBatchSize,
    @JsonProperty("time_precision") Long timePrecision,
    @JsonProperty("tolerable_clock_skew") Long tolerableClockSkew,
    @JsonProperty("collector_hpke_config") String collectorHpkeConfig,
    @JsonProperty("aggregator_auth_token") String aggregatorAuthToken,
    @JsonProperty("collector_auth_token") String collectorAuthToken,
    @JsonProperty("dp_strategy") Map<String, Object> dpStrategy) {

  @JsonCreator
  public TaskDefinition {}

  /** A definition without a differential privacy strategy (no noise). */
  public TaskDefinition(String taskId, String role, String peerEndpoint, String queryType,
      Long maxBatchSize, Map<String, Object> vdaf, String vdafVerifyKey, Long maxBatchQueryCount,
      Long taskExpiration, Long reportExpiryAge, Long minBatchSize, Long timePrecision,
      Long tolerableClockSkew, String collectorHpkeConfig, String aggregatorAuthToken,
      String collectorAuthToken) {
    this(taskId, role, peerEndpoint, queryType, maxBatchSize, vdaf, vdafVerifyKey,
        maxBatchQueryCount, taskExpiration, reportExpiryAge, minBatchSize, timePrecision,
        tolerableClockSkew, collectorHpkeConfig, aggregatorAuthToken, collectorAuthToken, null);
  }

  /** This definition with {@code dp_strategy} set (null: none). */
  public TaskDefinition withDpStrategy(Map<String, Object> strategy) {
    return new TaskDefinition(taskId, role, peerEndpoint, queryType, maxBatchSize, vdaf,
        vdafVerifyKey, maxBatchQueryCount, taskExpiration, reportExpiryAge, minBatchSize,
        timePrecision, tolerableClockSkew, collectorHpkeConfig, aggregatorAuthToken,
        collectorAuthToken, strategy);
  }

  @Override
  public String toString() {
    return "TaskDefinition[" + taskId + ", " + role + ", " + vdaf + ", tokens redacted]";
  }
}
