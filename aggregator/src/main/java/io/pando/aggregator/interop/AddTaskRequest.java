package io.pando.aggregator.interop;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.core.vdaf.InteropVdaf;
import io.pando.core.vdaf.VdafInstance;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of the aggregator's {@code /internal/test/add_task} (draft-dcook-ppm-dap-interop-test-
 * design, "Aggregator: /internal/test/add_task"), with the draft's field names. Binary values are
 * base64url; {@code query_type} is DAP's QueryType code (1 time interval, 2 fixed size); times
 * and durations are seconds. Keys the draft does not define are ignored (it adds keys over time).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AddTaskRequest(
    @JsonProperty("task_id") String taskId,
    @JsonProperty("leader") String leader,
    @JsonProperty("helper") String helper,
    @JsonProperty("vdaf") Map<String, Object> vdaf,
    @JsonProperty("leader_authentication_token") String leaderAuthenticationToken,
    @JsonProperty("collector_authentication_token") String collectorAuthenticationToken,
    @JsonProperty("role") String role,
    @JsonProperty("vdaf_verify_key") String vdafVerifyKey,
    @JsonProperty("max_batch_query_count") Long maxBatchQueryCount,
    @JsonProperty("query_type") Integer queryType,
    @JsonProperty("min_batch_size") Long minBatchSize,
    @JsonProperty("max_batch_size") Long maxBatchSize,
    @JsonProperty("time_precision") Long timePrecision,
    @JsonProperty("collector_hpke_config") String collectorHpkeConfig,
    @JsonProperty("task_expiration") Long taskExpiration,
    @JsonProperty("batch_mode") Integer batchMode,
    @JsonProperty("task_info") String taskInfo) {

  /** DAP-09 §4.2 QueryType codes. */
  static final int TIME_INTERVAL = 1;
  static final int FIXED_SIZE = 2;

  /** DAP-18 §10.2.1 BatchMode codes. */
  static final int BATCH_MODE_TIME_INTERVAL = 1;
  static final int BATCH_MODE_LEADER_SELECTED = 2;

  /**
   * The {@code task_info} of a DAP-18 task when the request names none: the interop draft
   * predates TaskConfiguration, and every participant must bind the same bytes into its AADs.
   */
  public static final String DEFAULT_TASK_INFO = "interop";

  /**
   * The task definition the admin API would take for this request: the peer is the helper for a
   * leader and the leader for a helper; the leader authentication token is the aggregator token.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public TaskDefinition toTaskDefinition() {
    String r = required(role, "role");
    if (!r.equals("leader") && !r.equals("helper")) {
      throw new IllegalArgumentException("role must be \"leader\" or \"helper\", got \"" + r + "\"");
    }
    boolean isLeader = r.equals("leader");
    URI leaderUrl = absolute(leader, "leader");
    URI helperUrl = absolute(helper, "helper");
    VdafInstance v = InteropVdaf.parse(required(vdaf, "vdaf"));
    Map<String, Object> vdafDefinition = new LinkedHashMap<>();
    vdafDefinition.put("type", v.type());
    vdafDefinition.putAll(v.parameters());
    int qt = required(queryType, "query_type");
    String queryKind = switch (qt) {
      case TIME_INTERVAL -> "time_interval";
      case FIXED_SIZE -> "fixed_size";
      default -> throw new IllegalArgumentException(
          "query_type must be 1 (time interval) or 2 (fixed size), got " + qt);
    };
    String aggregatorToken = headerSafe(leaderAuthenticationToken, "leader_authentication_token");
    String collectorToken = null;
    if (isLeader) {
      collectorToken = headerSafe(collectorAuthenticationToken, "collector_authentication_token");
    }
    return new TaskDefinition(
        required(taskId, "task_id"),
        r,
        (isLeader ? helperUrl : leaderUrl).toString(),
        queryKind,
        qt == FIXED_SIZE ? maxBatchSize : null, // the draft sends it for fixed size only
        vdafDefinition,
        required(vdafVerifyKey, "vdaf_verify_key"),
        required(maxBatchQueryCount, "max_batch_query_count"),
        taskExpiration,
        null,
        required(minBatchSize, "min_batch_size"),
        required(timePrecision, "time_precision"),
        null,
        required(collectorHpkeConfig, "collector_hpke_config"),
        aggregatorToken,
        collectorToken);
  }

  /**
   * The DAP-18 task definition for this request ({@code POST /dap-18/internal/test/add_task}):
   * {@code batch_mode} (1 time interval, 2 leader selected) in place of {@code query_type};
   * {@code leader} and {@code helper} are the TaskConfiguration's endpoints, kept as given;
   * {@code vdaf} names a draft-20 VDAF with its draft-20 parameters (base-10 strings);
   * {@code task_info} is base64url, {@link #DEFAULT_TASK_INFO} when absent; {@code
   * max_batch_query_count} as for DAP-09 (the aggregator's default when absent). {@code
   * task_expiration} and {@code max_batch_size} have no place in a DAP-18 TaskConfiguration and
   * are ignored, as is {@code query_type}.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public TaskDefinition toDap18TaskDefinition() {
    String r = required(role, "role");
    if (!r.equals("leader") && !r.equals("helper")) {
      throw new IllegalArgumentException("role must be \"leader\" or \"helper\", got \"" + r + "\"");
    }
    boolean isLeader = r.equals("leader");
    String leaderUrl = absolute(leader, "leader").toString();
    String helperUrl = absolute(helper, "helper").toString();
    int bm = required(batchMode, "batch_mode");
    String mode = switch (bm) {
      case BATCH_MODE_TIME_INTERVAL -> "time_interval";
      case BATCH_MODE_LEADER_SELECTED -> "leader_selected";
      default -> throw new IllegalArgumentException(
          "batch_mode must be 1 (time interval) or 2 (leader selected), got " + bm);
    };
    Map<String, Object> vdafDefinition = new LinkedHashMap<>(required(vdaf, "vdaf"));
    String aggregatorToken = headerSafe(leaderAuthenticationToken, "leader_authentication_token");
    String collectorToken = isLeader
        ? headerSafe(collectorAuthenticationToken, "collector_authentication_token") : null;
    String info = taskInfo != null ? taskInfo : java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(DEFAULT_TASK_INFO.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return new TaskDefinition(required(taskId, "task_id"), r, null, null, null, vdafDefinition,
        required(vdafVerifyKey, "vdaf_verify_key"), maxBatchQueryCount, null, null,
        required(minBatchSize, "min_batch_size"), required(timePrecision, "time_precision"), null,
        required(collectorHpkeConfig, "collector_hpke_config"), aggregatorToken, collectorToken,
        null, "dap-18", info, leaderUrl, helperUrl, mode, null);
  }

  private static <T> T required(T v, String field) {
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  private static URI absolute(String url, String field) {
    URI u;
    try {
      u = new URI(required(url, field));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(field + " is not a URL: " + e.getMessage());
    }
    if (!u.isAbsolute() || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
        || u.getHost() == null) {
      throw new IllegalArgumentException(field + " must be an absolute http(s) URL");
    }
    return u;
  }

  /** "This string MUST be safe for use as an HTTP header value": visible ASCII only. */
  private static String headerSafe(String token, String field) {
    String t = required(token, field);
    if (t.isEmpty() || !t.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new IllegalArgumentException(field + " must be a non-empty string of visible ASCII"
          + " characters (an HTTP header value)");
    }
    return t;
  }

  @Override
  public String toString() {
    return "AddTaskRequest[" + taskId + ", " + role + ", " + vdaf + ", secrets redacted]";
  }
}
