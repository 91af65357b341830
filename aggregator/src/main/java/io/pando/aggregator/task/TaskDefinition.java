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
 * io.pando.core.vdaf.DpStrategies}; absent, none). {@code dap_version} absent or "dap-09" is a
 * DAP-09 task; "dap-18" takes the draft-18 fields instead of {@code peer_endpoint} and {@code
 * query_type} (aggregator/README.md, "DAP-18").
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
    @JsonProperty("dp_strategy") Map<String, Object> dpStrategy,
    @JsonProperty("dap_version") String dapVersion,
    @JsonProperty("task_info") String taskInfo,
    @JsonProperty("leader_aggregator_endpoint") String leaderAggregatorEndpoint,
    @JsonProperty("helper_aggregator_endpoint") String helperAggregatorEndpoint,
    @JsonProperty("batch_mode") String batchMode,
    @JsonProperty("task_interval") Map<String, Long> taskInterval) {

  @JsonCreator
  public TaskDefinition {}

  /** A DAP-09 definition (no {@code dap_version}: "dap-09"). */
  public TaskDefinition(String taskId, String role, String peerEndpoint, String queryType,
      Long maxBatchSize, Map<String, Object> vdaf, String vdafVerifyKey, Long maxBatchQueryCount,
      Long taskExpiration, Long reportExpiryAge, Long minBatchSize, Long timePrecision,
      Long tolerableClockSkew, String collectorHpkeConfig, String aggregatorAuthToken,
      String collectorAuthToken, Map<String, Object> dpStrategy) {
    this(taskId, role, peerEndpoint, queryType, maxBatchSize, vdaf, vdafVerifyKey,
        maxBatchQueryCount, taskExpiration, reportExpiryAge, minBatchSize, timePrecision,
        tolerableClockSkew, collectorHpkeConfig, aggregatorAuthToken, collectorAuthToken,
        dpStrategy, null, null, null, null, null, null);
  }

  /**
   * A DAP-18 definition (draft-ietf-ppm-dap-18 §4.2): {@code task_info} base64url, the two
   * endpoints exact, {@code batch_mode} time_interval or leader_selected, {@code task_interval}
   * ({@code start}, {@code duration} in seconds) or null; the other fields as for DAP-09, with
   * no {@code peer_endpoint} and {@code query_type} (the endpoints and batch mode say them).
   */
  public static TaskDefinition dap18(String taskId, String role, String taskInfo,
      String leaderEndpoint, String helperEndpoint, String batchMode, Map<String, Object> vdaf,
      String vdafVerifyKey, long minBatchSize, long timePrecision, Map<String, Long> taskInterval,
      String collectorHpkeConfig, String aggregatorAuthToken, String collectorAuthToken) {
    return new TaskDefinition(taskId, role, null, null, null, vdaf, vdafVerifyKey, null, null,
        null, minBatchSize, timePrecision, null, collectorHpkeConfig, aggregatorAuthToken,
        collectorAuthToken, null, "dap-18", taskInfo, leaderEndpoint, helperEndpoint, batchMode,
        taskInterval);
  }

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

  /** This definition with {@code task_id} set. */
  public TaskDefinition withTaskId(String id) {
    return new TaskDefinition(id, role, peerEndpoint, queryType, maxBatchSize, vdaf,
        vdafVerifyKey, maxBatchQueryCount, taskExpiration, reportExpiryAge, minBatchSize,
        timePrecision, tolerableClockSkew, collectorHpkeConfig, aggregatorAuthToken,
        collectorAuthToken, dpStrategy, dapVersion, taskInfo, leaderAggregatorEndpoint,
        helperAggregatorEndpoint, batchMode, taskInterval);
  }

  /** This definition with {@code dp_strategy} set (null: none). */
  public TaskDefinition withDpStrategy(Map<String, Object> strategy) {
    return new TaskDefinition(taskId, role, peerEndpoint, queryType, maxBatchSize, vdaf,
        vdafVerifyKey, maxBatchQueryCount, taskExpiration, reportExpiryAge, minBatchSize,
        timePrecision, tolerableClockSkew, collectorHpkeConfig, aggregatorAuthToken,
        collectorAuthToken, strategy, dapVersion, taskInfo, leaderAggregatorEndpoint,
        helperAggregatorEndpoint, batchMode, taskInterval);
  }

  @Override
  public String toString() {
    return "TaskDefinition[" + taskId + ", " + role + ", " + vdaf + ", tokens redacted]";
  }
}
