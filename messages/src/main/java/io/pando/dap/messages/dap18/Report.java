package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-18 §4.4.2 {@code Report}: one element of an {@link UploadRequest}. The layout is DAP-09's;
 * the metadata is DAP-18's.
 *
 * <pre>
 * struct {
 *   ReportMetadata report_metadata;
 *   opaque public_share&lt;0..2^32-1&gt;;
 *   HpkeCiphertext leader_encrypted_input_share;
 *   HpkeCiphertext helper_encrypted_input_share;
 * } Report;
 * </pre>
 */
public record Report(
    ReportMetadata metadata,
    byte[] publicShare,
    HpkeCiphertext leaderEncryptedInputShare,
    HpkeCiphertext helperEncryptedInputShare)
    implements Encodable {
  public Report {
    Objects.requireNonNull(metadata, "metadata");
    publicShare = Wire.copy(publicShare, "public_share");
    Objects.requireNonNull(leaderEncryptedInputShare, "leaderEncryptedInputShare");
    Objects.requireNonNull(helperEncryptedInputShare, "helperEncryptedInputShare");
  }

  /** The VDAF public share (a copy). */
  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  /** The AAD both input shares are sealed with (§4.4.2). */
  public InputShareAad inputShareAad(TaskId taskId, TaskConfiguration taskConfiguration) {
    return new InputShareAad(taskId, taskConfiguration, metadata, publicShare);
  }

  /** The report share the Leader forwards to the Helper (§4.5.3.1). */
  public ReportShare helperReportShare() {
    return new ReportShare(metadata, publicShare, helperEncryptedInputShare);
  }

  @Override
  public void encode(Encoder encoder) {
    metadata.encode(encoder);
    encoder.opaque32(publicShare);
    leaderEncryptedInputShare.encode(encoder);
    helperEncryptedInputShare.encode(encoder);
  }

  public static Report decode(Decoder decoder) throws DecodeException {
    ReportMetadata metadata = ReportMetadata.decode(decoder);
    byte[] publicShare = decoder.opaque32();
    HpkeCiphertext leader = HpkeCiphertext.decode(decoder);
    HpkeCiphertext helper = HpkeCiphertext.decode(decoder);
    return new Report(metadata, publicShare, leader, helper);
  }

  public static Report decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Report::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Report r
        && metadata.equals(r.metadata)
        && Arrays.equals(publicShare, r.publicShare)
        && leaderEncryptedInputShare.equals(r.leaderEncryptedInputShare)
        && helperEncryptedInputShare.equals(r.helperEncryptedInputShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, Arrays.hashCode(publicShare), leaderEncryptedInputShare,
        helperEncryptedInputShare);
  }

  @Override
  public String toString() {
    return "Report[metadata=" + metadata + ", publicShare=" + Wire.summary(publicShare)
        + ", leader=" + leaderEncryptedInputShare + ", helper=" + helperEncryptedInputShare + "]";
  }
}
