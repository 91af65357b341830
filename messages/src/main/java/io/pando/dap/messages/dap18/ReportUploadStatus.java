package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.ReportId;
import java.util.Objects;

/**
 * DAP-18 §4.4.2 {@code ReportUploadStatus}: why the Leader refused one report of an upload.
 *
 * <pre>
 * struct {
 *   ReportID id;
 *   ReportError error;
 * } ReportUploadStatus;
 * </pre>
 */
public record ReportUploadStatus(ReportId id, ReportError error) implements Encodable {
  public ReportUploadStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(error, "error");
  }

  @Override
  public void encode(Encoder encoder) {
    id.encode(encoder);
    error.encode(encoder);
  }

  public static ReportUploadStatus decode(Decoder decoder) throws DecodeException {
    ReportId id = ReportId.decode(decoder);
    ReportError error = ReportError.decode(decoder);
    return new ReportUploadStatus(id, error);
  }

  public static ReportUploadStatus decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ReportUploadStatus::decode);
  }
}
