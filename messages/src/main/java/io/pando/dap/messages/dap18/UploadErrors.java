package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.List;

/**
 * DAP-18 §4.4.2 {@code UploadErrors} ({@link MediaTypes#UPLOAD_ERRORS}): the reports of an upload
 * the Leader refused, in request order; accepted reports are not listed.
 *
 * <pre>
 * struct {
 *   ReportUploadStatus status[message_length];
 * } UploadErrors;
 * </pre>
 *
 * No length prefix: the statuses run to the end of the HTTP content.
 */
public record UploadErrors(List<ReportUploadStatus> status) implements Encodable {
  public UploadErrors {
    status = Wire.copy(status, "status");
  }

  @Override
  public void encode(Encoder encoder) {
    for (ReportUploadStatus s : status) {
      s.encode(encoder);
    }
  }

  public static UploadErrors decode(Decoder decoder) throws DecodeException {
    return new UploadErrors(Wire.toEnd(decoder, ReportUploadStatus::decode));
  }

  public static UploadErrors decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, UploadErrors::decode);
  }
}
