package io.pando.aggregator.task;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.core.vdaf.VdafInstance;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A DAP-18 task's {@code TaskConfiguration} (draft-ietf-ppm-dap-18 §4.2), as the task model
 * needs it: built once from a task definition, stored encoded, read back for what the other
 * task columns do not hold. Times here are seconds; on the wire they are time_precision units
 * (§4.1.1), converted in this class only.
 */
public record Dap18Configuration(
    byte[] taskInfo,
    String leaderEndpoint,
    String helperEndpoint,
    long timePrecisionSeconds,
    long minBatchSize,
    Task.QueryKind batchMode,
    long vdafType,
    byte[] vdafConfiguration,
    Optional<long[]> taskIntervalSeconds) {

  /** Batch mode codepoints (§10.2.1). */
  static final int TIME_INTERVAL = 0x01;
  static final int LEADER_SELECTED = 0x02;
  /** Task extension codepoint of task_interval (§4.2.2). */
  static final int TASK_INTERVAL = 0x0001;

  /** The configuration of a definition; the VDAF must be one draft-18 Appendix B encodes. */
  static Dap18Configuration of(byte[] taskInfo, String leader, String helper,
      long timePrecision, long minBatchSize, Task.QueryKind batchMode, VdafInstance vdaf,
      Optional<long[]> taskInterval) {
    if (taskInfo.length < 1 || taskInfo.length > 255) {
      throw new IllegalArgumentException("task_info must be 1 to 255 bytes");
    }
    for (String url : new String[] {leader, helper}) {
      if (url.isEmpty() || url.length() > 0xffff
          || !StandardCharsets.US_ASCII.newEncoder().canEncode(url)) {
        throw new IllegalArgumentException("aggregator endpoints must be ASCII URLs");
      }
    }
    taskInterval.ifPresent(i -> {
      if (i[0] % timePrecision != 0 || i[1] % timePrecision != 0 || i[1] <= 0) {
        throw new IllegalArgumentException(
            "task_interval start and duration must be positive multiples of time_precision");
      }
    });
    return new Dap18Configuration(taskInfo.clone(), leader, helper, timePrecision, minBatchSize,
        batchMode, vdaf.prio3().id(), vdafConfiguration(vdaf), taskInterval);
  }

  /** The VDAF configuration encodings of draft-18 Appendix B. */
  static byte[] vdafConfiguration(VdafInstance vdaf) {
    Map<String, Integer> p = vdaf.parameters();
    Encoder e = new Encoder();
    switch (vdaf.type()) {
      case "Prio3Count" -> { }
      case "Prio3Sum" -> e.u64(p.get("max_measurement"));
      case "Prio3SumVec" -> e.u32(p.get("length")).u64(p.get("max_measurement"))
          .u32(p.get("chunk_length"));
      case "Prio3Histogram" -> e.u32(p.get("length")).u32(p.get("chunk_length"));
      case "Prio3MultihotCountVec" -> e.u32(p.get("length")).u32(p.get("chunk_length"))
          .u64(p.get("max_weight"));
      default -> throw new IllegalArgumentException(vdaf.type()
          + " has no configuration encoding in draft-18 (Appendix B); DAP-18 tasks take"
          + " Prio3Count, Prio3Sum, Prio3SumVec, Prio3Histogram or Prio3MultihotCountVec");
    }
    return e.toByteArray();
  }

  /** The canonical encoding. */
  public byte[] encode() {
    Encoder e = new Encoder();
    e.opaque8(taskInfo);
    e.opaque16(leaderEndpoint.getBytes(StandardCharsets.US_ASCII));
    e.opaque16(helperEndpoint.getBytes(StandardCharsets.US_ASCII));
    e.u64(timePrecisionSeconds);
    e.u64(minBatchSize);
    e.u8(batchMode == Task.QueryKind.TIME_INTERVAL ? TIME_INTERVAL : LEADER_SELECTED);
    e.opaque16(new byte[0]); // batch_config: empty for both batch modes (§5.1, §5.2)
    e.u32(vdafType);
    e.opaque16(vdafConfiguration);
    Encoder ext = new Encoder();
    taskIntervalSeconds.ifPresent(i -> ext.u16(TASK_INTERVAL).opaque16(new Encoder()
        .u64(i[0] / timePrecisionSeconds).u64(i[1] / timePrecisionSeconds).toByteArray()));
    e.opaque16(ext.toByteArray());
    return e.toByteArray();
  }

  /** Reads a stored encoding back. */
  public static Dap18Configuration decode(byte[] encoded) throws DecodeException {
    Decoder d = new Decoder(encoded);
    byte[] info = d.opaque8();
    String leader = new String(d.opaque16(), StandardCharsets.US_ASCII);
    String helper = new String(d.opaque16(), StandardCharsets.US_ASCII);
    long precision = d.u64();
    long minBatch = d.u64();
    int mode = d.u8();
    Task.QueryKind kind = switch (mode) {
      case TIME_INTERVAL -> Task.QueryKind.TIME_INTERVAL;
      case LEADER_SELECTED -> Task.QueryKind.FIXED_SIZE;
      default -> throw new DecodeException("unknown batch mode " + mode);
    };
    d.opaque16();
    long vdafType = d.u32();
    byte[] vdafConfig = d.opaque16();
    Decoder ext = new Decoder(d.opaque16());
    d.finish();
    Optional<long[]> interval = Optional.empty();
    while (ext.hasRemaining()) {
      int type = ext.u16();
      Decoder data = new Decoder(ext.opaque16());
      if (type != TASK_INTERVAL) {
        throw new DecodeException("unknown task extension " + type);
      }
      interval = Optional.of(new long[] {data.u64() * precision, data.u64() * precision});
      data.finish();
    }
    return new Dap18Configuration(info, leader, helper, precision, minBatch, kind, vdafType,
        vdafConfig, interval);
  }
}
