package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4.4.2 {@code InputShareAad}: the HPKE associated data of an encrypted input share.
 *
 * <pre>
 * struct {
 *   TaskID task_id;
 *   ReportMetadata report_metadata;
 *   opaque public_share&lt;0..2^32-1&gt;;
 * } InputShareAad;
 * </pre>
 */
public record InputShareAad(TaskId taskId, ReportMetadata metadata, byte[] publicShare)
    implements Encodable {
  public InputShareAad {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(metadata, "metadata");
    publicShare = Wire.copy(publicShare, "public_share");
  }

  /** The VDAF public share (a copy). */
  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    taskId.encode(encoder);
    metadata.encode(encoder);
    encoder.opaque32(publicShare);
  }

  public static InputShareAad decode(Decoder decoder) throws DecodeException {
    TaskId taskId = TaskId.decode(decoder);
    ReportMetadata metadata = ReportMetadata.decode(decoder);
    byte[] publicShare = decoder.opaque32();
    return new InputShareAad(taskId, metadata, publicShare);
  }

  public static InputShareAad decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, InputShareAad::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputShareAad a
        && taskId.equals(a.taskId)
        && metadata.equals(a.metadata)
        && Arrays.equals(publicShare, a.publicShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, metadata, Arrays.hashCode(publicShare));
  }

  @Override
  public String toString() {
    return "InputShareAad[taskId=" + taskId + ", metadata=" + metadata + ", publicShare="
        + Wire.summary(publicShare) + "]";
  }
}
