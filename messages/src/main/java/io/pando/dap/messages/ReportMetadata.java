package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.4.2 {@code ReportMetadata}.
 *
 * <pre>
 * struct {
 *   ReportID report_id;
 *   Time time;
 * } ReportMetadata;
 * </pre>
 */
public record ReportMetadata(ReportId reportId, Time time) implements Encodable {
  public ReportMetadata {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(time, "time");
  }

  @Override
  public void encode(Encoder encoder) {
    reportId.encode(encoder);
    time.encode(encoder);
  }

  public static ReportMetadata decode(Decoder decoder) throws DecodeException {
    ReportId reportId = ReportId.decode(decoder);
    Time time = Time.decode(decoder);
    return new ReportMetadata(reportId, time);
  }

  public static ReportMetadata decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ReportMetadata::decode);
  }
}
