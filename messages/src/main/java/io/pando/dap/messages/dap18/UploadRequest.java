package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.List;

/**
 * DAP-18 §4.4.2 {@code UploadRequest} ({@link MediaTypes#UPLOAD_REQ}): one or more reports in one
 * POST body.
 *
 * <pre>
 * struct {
 *   Report reports[message_length];
 * } UploadRequest;
 * </pre>
 *
 * There is no length prefix: the reports run to the end of the HTTP content, so {@link
 * #decode(byte[])} must be given exactly the body. An empty body decodes to no reports.
 */
public record UploadRequest(List<Report> reports) implements Encodable {
  public UploadRequest {
    reports = Wire.copy(reports, "reports");
  }

  @Override
  public void encode(Encoder encoder) {
    for (Report r : reports) {
      r.encode(encoder);
    }
  }

  /** Reads reports until the decoder is exhausted. */
  public static UploadRequest decode(Decoder decoder) throws DecodeException {
    return new UploadRequest(Wire.toEnd(decoder, Report::decode));
  }

  public static UploadRequest decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, UploadRequest::decode);
  }

  @Override
  public String toString() {
    return "UploadRequest[reports=" + reports.size() + " items]";
  }
}
