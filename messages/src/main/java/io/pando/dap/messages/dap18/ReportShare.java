package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-18 §4.5.3.1 {@code ReportShare}: the Helper's part of a report.
 *
 * <pre>
 * struct {
 *   ReportMetadata report_metadata;
 *   opaque public_share&lt;0..2^32-1&gt;;
 *   HpkeCiphertext encrypted_input_share;
 * } ReportShare;
 * </pre>
 */
public record ReportShare(
    ReportMetadata metadata, byte[] publicShare, HpkeCiphertext encryptedInputShare)
    implements Encodable {
  public ReportShare {
    Objects.requireNonNull(metadata, "metadata");
    publicShare = Wire.copy(publicShare, "public_share");
    Objects.requireNonNull(encryptedInputShare, "encryptedInputShare");
  }

  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  public ReportId reportId() {
    return metadata.reportId();
  }

  /** The AAD the input share is sealed with (§4.4.2). */
  public InputShareAad inputShareAad(TaskId taskId, TaskConfiguration taskConfiguration) {
    return new InputShareAad(taskId, taskConfiguration, metadata, publicShare);
  }

  @Override
  public void encode(Encoder encoder) {
    metadata.encode(encoder);
    encoder.opaque32(publicShare);
    encryptedInputShare.encode(encoder);
  }

  public static ReportShare decode(Decoder decoder) throws DecodeException {
    ReportMetadata metadata = ReportMetadata.decode(decoder);
    byte[] publicShare = decoder.opaque32();
    HpkeCiphertext share = HpkeCiphertext.decode(decoder);
    return new ReportShare(metadata, publicShare, share);
  }

  public static ReportShare decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ReportShare::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportShare r
        && metadata.equals(r.metadata)
        && Arrays.equals(publicShare, r.publicShare)
        && encryptedInputShare.equals(r.encryptedInputShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, Arrays.hashCode(publicShare), encryptedInputShare);
  }

  @Override
  public String toString() {
    return "ReportShare[metadata=" + metadata + ", publicShare=" + Wire.summary(publicShare)
        + ", encryptedInputShare=" + encryptedInputShare + "]";
  }
}
