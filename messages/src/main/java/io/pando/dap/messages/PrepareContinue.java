package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4.5.2.1 {@code PrepareContinue}: the Leader's next ping-pong message for one report.
 *
 * <pre>
 * struct {
 *   ReportID report_id;
 *   opaque payload&lt;0..2^32-1&gt;;
 * } PrepareContinue;
 * </pre>
 */
public record PrepareContinue(ReportId reportId, byte[] payload) implements Encodable {
  public PrepareContinue {
    Objects.requireNonNull(reportId, "reportId");
    payload = Wire.copy(payload, "payload");
  }

  /** The encoded ping-pong message (a copy). */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    reportId.encode(encoder);
    encoder.opaque32(payload);
  }

  public static PrepareContinue decode(Decoder decoder) throws DecodeException {
    ReportId reportId = ReportId.decode(decoder);
    byte[] payload = decoder.opaque32();
    return new PrepareContinue(reportId, payload);
  }

  public static PrepareContinue decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PrepareContinue::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrepareContinue p
        && reportId.equals(p.reportId)
        && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return 31 * reportId.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "PrepareContinue[reportId=" + reportId + ", payload=" + Wire.summary(payload) + "]";
  }
}
