package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-18 §4.4.2 {@code InputShareAad}: the HPKE associated data of an input share. It binds the
 * whole task configuration, so a report sealed for one configuration opens under no other
 * (§8.6.5).
 *
 * <pre>
 * struct {
 *   TaskID task_id;
 *   TaskConfiguration task_configuration;
 *   ReportMetadata report_metadata;
 *   opaque public_share&lt;0..2^32-1&gt;;
 * } InputShareAad;
 * </pre>
 */
public record InputShareAad(
    TaskId taskId,
    TaskConfiguration taskConfiguration,
    ReportMetadata metadata,
    byte[] publicShare)
    implements Encodable {
  public InputShareAad {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskConfiguration, "taskConfiguration");
    Objects.requireNonNull(metadata, "metadata");
    publicShare = Wire.copy(publicShare, "public_share");
  }

  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    taskId.encode(encoder);
    taskConfiguration.encode(encoder);
    metadata.encode(encoder);
    encoder.opaque32(publicShare);
  }

  public static InputShareAad decode(Decoder decoder) throws DecodeException {
    TaskId taskId = TaskId.decode(decoder);
    TaskConfiguration config = TaskConfiguration.decode(decoder);
    ReportMetadata metadata = ReportMetadata.decode(decoder);
    byte[] publicShare = decoder.opaque32();
    return new InputShareAad(taskId, config, metadata, publicShare);
  }

  public static InputShareAad decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, InputShareAad::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputShareAad a
        && taskId.equals(a.taskId)
        && taskConfiguration.equals(a.taskConfiguration)
        && metadata.equals(a.metadata)
        && Arrays.equals(publicShare, a.publicShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, taskConfiguration, metadata, Arrays.hashCode(publicShare));
  }

  @Override
  public String toString() {
    return "InputShareAad[taskId=" + taskId + ", metadata=" + metadata + ", publicShare="
        + Wire.summary(publicShare) + "]";
  }
}
