package io.pando.dap.messages.taskprov;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * draft-wang-ppm-dap-taskprov-06 §3 {@code TaskConfig}: everything an aggregator needs to take
 * part in a task, carried in-band in the {@value #HEADER} header.
 *
 * <pre>
 * struct {
 *   opaque task_info&lt;1..2^8-1&gt;;
 *   Url leader_aggregator_endpoint;          // opaque&lt;1..2^16-1&gt;
 *   Url helper_aggregator_endpoint;
 *   QueryConfig query_config&lt;1..2^16-1&gt;;   // length-prefixed
 *   Time task_expiration;
 *   VdafConfig vdaf_config&lt;1..2^16-1&gt;;     // length-prefixed
 * } TaskConfig;
 * </pre>
 *
 * The task's id is SHA-256 of this encoding (§3, {@link #taskId()}).
 */
public record TaskConfig(byte[] taskInfo, String leaderAggregatorEndpoint,
    String helperAggregatorEndpoint, QueryConfig queryConfig, Time taskExpiration,
    VdafConfig vdafConfig) implements Encodable {
  /** §3: the HTTP header that carries the base64url-encoded TaskConfig. */
  public static final String HEADER = "dap-taskprov";

  public TaskConfig {
    taskInfo = Objects.requireNonNull(taskInfo, "taskInfo").clone();
    if (taskInfo.length < 1 || taskInfo.length > 0xff) {
      throw new IllegalArgumentException("task_info must hold 1 to 255 bytes");
    }
    Codec.url(leaderAggregatorEndpoint, "leader_aggregator_endpoint");
    Codec.url(helperAggregatorEndpoint, "helper_aggregator_endpoint");
    Objects.requireNonNull(queryConfig, "queryConfig");
    Objects.requireNonNull(taskExpiration, "taskExpiration");
    Objects.requireNonNull(vdafConfig, "vdafConfig");
  }

  @Override
  public byte[] taskInfo() {
    return taskInfo.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.opaque8(taskInfo);
    encoder.opaque16(Codec.urlBytes(leaderAggregatorEndpoint));
    encoder.opaque16(Codec.urlBytes(helperAggregatorEndpoint));
    encoder.opaque16(queryConfig.encode());
    taskExpiration.encode(encoder);
    encoder.opaque16(vdafConfig.encode());
  }

  public static TaskConfig decode(Decoder d) throws DecodeException {
    byte[] info = d.opaque8();
    if (info.length == 0) {
      throw new DecodeException("task_info must not be empty");
    }
    String leader = Codec.decodeUrl(d, "leader_aggregator_endpoint");
    String helper = Codec.decodeUrl(d, "helper_aggregator_endpoint");
    QueryConfig query = d.sub(d.u16(), QueryConfig::decode);
    Time expiration = Time.decode(d);
    VdafConfig vdaf = d.sub(d.u16(), VdafConfig::decode);
    return new TaskConfig(info, leader, helper, query, expiration, vdaf);
  }

  public static TaskConfig decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, TaskConfig::decode);
  }

  /** §3: {@code task_id = SHA-256(TaskConfig)}. */
  public TaskId taskId() {
    return taskIdOf(encode());
  }

  /** The task id of an encoded TaskConfig (the bytes as they arrived, not a re-encoding). */
  public static TaskId taskIdOf(byte[] encodedTaskConfig) {
    try {
      return TaskId.of(MessageDigest.getInstance("SHA-256").digest(encodedTaskConfig));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@value #HEADER} header value: unpadded base64url of the encoding. */
  public String toHeader() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(encode());
  }

  /**
   * The encoded TaskConfig a {@value #HEADER} header carries (base64url, padding tolerated).
   *
   * @throws DecodeException if the value is not base64url
   */
  public static byte[] headerBytes(String value) throws DecodeException {
    try {
      return Base64.getUrlDecoder().decode(Objects.requireNonNull(value, "value").trim());
    } catch (IllegalArgumentException e) {
      throw new DecodeException("the " + HEADER + " header is not base64url");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskConfig x && Arrays.equals(taskInfo, x.taskInfo)
        && leaderAggregatorEndpoint.equals(x.leaderAggregatorEndpoint)
        && helperAggregatorEndpoint.equals(x.helperAggregatorEndpoint)
        && queryConfig.equals(x.queryConfig) && taskExpiration.equals(x.taskExpiration)
        && vdafConfig.equals(x.vdafConfig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(taskInfo), leaderAggregatorEndpoint,
        helperAggregatorEndpoint, queryConfig, taskExpiration, vdafConfig);
  }

  @Override
  public String toString() {
    return "TaskConfig[info=<" + taskInfo.length + " bytes>, leader=" + leaderAggregatorEndpoint
        + ", helper=" + helperAggregatorEndpoint + ", " + queryConfig + ", expires="
        + taskExpiration + ", " + vdafConfig + "]";
  }
}
