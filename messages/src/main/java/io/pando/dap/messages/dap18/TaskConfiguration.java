package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * DAP-18 §4.2 {@code TaskConfiguration}: the parameters every participant of a task agrees on,
 * bound into the HPKE associated data of input shares ({@link InputShareAad}) and aggregate
 * shares ({@link AggregateShareAad}).
 *
 * <pre>
 * struct {
 *     opaque task_info&lt;1..2^8-1&gt;;
 *     Url leader_aggregator_endpoint;           // opaque Url&lt;1..2^16-1&gt;
 *     Url helper_aggregator_endpoint;
 *     TimePrecision time_precision;
 *     uint64 min_batch_size;
 *     BatchMode batch_mode;
 *     opaque batch_config&lt;0..2^16-1&gt;;
 *     VdafType vdaf_type;                       // uint32
 *     opaque vdaf_configuration&lt;0..2^16-1&gt;;
 *     TaskExtension extensions&lt;0..2^16-1&gt;;
 * } TaskConfiguration;
 * </pre>
 *
 * The URLs are kept as the exact ASCII bytes agreed on (§4.1: never re-encoded); they must be
 * printable ASCII. Extensions must be in strictly increasing type order (§4.2.2); both the
 * constructor and the decoder refuse anything else. Both batch modes of draft-18 have an empty
 * {@code batch_config}.
 */
public record TaskConfiguration(
    byte[] taskInfo,
    String leaderAggregatorEndpoint,
    String helperAggregatorEndpoint,
    TimePrecision timePrecision,
    long minBatchSize,
    BatchMode batchMode,
    byte[] batchConfig,
    VdafConfig vdaf,
    List<TaskExtension> extensions)
    implements Encodable {
  public TaskConfiguration {
    taskInfo = Wire.copy(taskInfo, "task_info", 1, Wire.U8_MAX);
    url(leaderAggregatorEndpoint, "leader_aggregator_endpoint");
    url(helperAggregatorEndpoint, "helper_aggregator_endpoint");
    Objects.requireNonNull(timePrecision, "timePrecision");
    Wire.requireNonNegative(minBatchSize, "min_batch_size");
    Objects.requireNonNull(batchMode, "batchMode");
    batchConfig = Wire.copy(batchConfig, "batch_config", 0, Wire.U16_MAX);
    Objects.requireNonNull(vdaf, "vdaf");
    if (vdaf.configuration().length > Wire.U16_MAX) {
      throw new IllegalArgumentException("vdaf_configuration longer than 65535 bytes");
    }
    extensions = Wire.copy(extensions, "extensions");
    if (!TaskExtension.strictlyIncreasing(extensions)) {
      throw new IllegalArgumentException(
          "task extensions must be in strictly increasing type order");
    }
  }

  /** A configuration with an empty {@code batch_config}, as both draft-18 batch modes have. */
  public static TaskConfiguration of(
      byte[] taskInfo,
      String leader,
      String helper,
      TimePrecision timePrecision,
      long minBatchSize,
      BatchMode batchMode,
      VdafConfig vdaf,
      List<TaskExtension> extensions) {
    return new TaskConfiguration(taskInfo, leader, helper, timePrecision, minBatchSize, batchMode,
        new byte[0], vdaf, extensions);
  }

  private static void url(String url, String field) {
    if (url == null || url.isEmpty() || url.length() > Wire.U16_MAX) {
      throw new IllegalArgumentException(field + " must hold 1 to 65535 characters");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(field + " must be printable ASCII without spaces");
      }
    }
  }

  @Override
  public byte[] taskInfo() {
    return taskInfo.clone();
  }

  @Override
  public byte[] batchConfig() {
    return batchConfig.clone();
  }

  /** The interval of the {@code task_interval} extension (§4.2.3), if the task has one. */
  public Optional<Interval> taskInterval() {
    for (TaskExtension x : extensions) {
      if (x.extensionType() == TaskExtension.TASK_INTERVAL) {
        try {
          return Optional.of(x.taskInterval());
        } catch (DecodeException e) {
          throw new IllegalStateException("malformed task_interval extension", e);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.opaque8(taskInfo);
    encoder.opaque16(leaderAggregatorEndpoint.getBytes(StandardCharsets.US_ASCII));
    encoder.opaque16(helperAggregatorEndpoint.getBytes(StandardCharsets.US_ASCII));
    timePrecision.encode(encoder);
    encoder.u64(minBatchSize);
    batchMode.encode(encoder);
    encoder.opaque16(batchConfig);
    encoder.u32(vdaf.vdafType());
    encoder.opaque16(vdaf.configuration());
    ExtensionTlv.encodeList(encoder, extensions);
  }

  public static TaskConfiguration decode(Decoder decoder) throws DecodeException {
    byte[] taskInfo = decoder.opaque8();
    String leader = decodeUrl(decoder, "leader_aggregator_endpoint");
    String helper = decodeUrl(decoder, "helper_aggregator_endpoint");
    TimePrecision precision = TimePrecision.decode(decoder);
    long minBatchSize = Wire.u63(decoder, "min_batch_size");
    BatchMode batchMode = BatchMode.decode(decoder);
    byte[] batchConfig = decoder.opaque16();
    long vdafType = decoder.u32();
    VdafConfig vdaf = VdafConfig.decode(vdafType, decoder.opaque16());
    List<TaskExtension> extensions = decoder.list16(TaskExtension::decode);
    for (TaskExtension x : extensions) {
      if (x.extensionType() == TaskExtension.TASK_INTERVAL) {
        x.taskInterval();
      }
    }
    return Wire.build(() -> new TaskConfiguration(taskInfo, leader, helper, precision,
        minBatchSize, batchMode, batchConfig, vdaf, extensions));
  }

  public static TaskConfiguration decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, TaskConfiguration::decode);
  }

  private static String decodeUrl(Decoder d, String field) throws DecodeException {
    byte[] b = d.opaque16();
    for (byte x : b) {
      if (x < 0x21 || x > 0x7e) {
        throw new DecodeException(field + " is not printable ASCII");
      }
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskConfiguration t
        && Arrays.equals(taskInfo, t.taskInfo)
        && leaderAggregatorEndpoint.equals(t.leaderAggregatorEndpoint)
        && helperAggregatorEndpoint.equals(t.helperAggregatorEndpoint)
        && timePrecision.equals(t.timePrecision)
        && minBatchSize == t.minBatchSize
        && batchMode == t.batchMode
        && Arrays.equals(batchConfig, t.batchConfig)
        && vdaf.equals(t.vdaf)
        && extensions.equals(t.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(taskInfo), leaderAggregatorEndpoint,
        helperAggregatorEndpoint, timePrecision, minBatchSize, batchMode,
        Arrays.hashCode(batchConfig), vdaf, extensions);
  }

  @Override
  public String toString() {
    return "TaskConfiguration[taskInfo=" + Wire.summary(taskInfo) + ", leader="
        + leaderAggregatorEndpoint + ", helper=" + helperAggregatorEndpoint + ", timePrecision="
        + timePrecision + ", minBatchSize=" + minBatchSize + ", batchMode=" + batchMode.draftName()
        + ", vdaf=" + vdaf + ", extensions=" + extensions + "]";
  }
}
