package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-18 §4.5.4.1 {@code VerifyContinue} (DAP-09's {@code PrepareContinue}): the Leader's next
 * ping-pong message for one report.
 *
 * <pre>
 * struct {
 *   ReportID report_id;
 *   opaque payload&lt;1..2^32-1&gt;;
 * } VerifyContinue;
 * </pre>
 */
public record VerifyContinue(ReportId reportId, byte[] payload) implements Encodable {
  public VerifyContinue {
    Objects.requireNonNull(reportId, "reportId");
    payload = Wire.copy(payload, "payload", 1, Integer.MAX_VALUE);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    reportId.encode(encoder);
    encoder.opaque32(payload);
  }

  public static VerifyContinue decode(Decoder decoder) throws DecodeException {
    ReportId id = ReportId.decode(decoder);
    byte[] payload = Wire.opaque32(decoder, 1, "payload");
    return new VerifyContinue(id, payload);
  }

  public static VerifyContinue decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, VerifyContinue::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyContinue v
        && reportId.equals(v.reportId)
        && Arrays.equals(payload, v.payload);
  }

  @Override
  public int hashCode() {
    return 31 * reportId.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "VerifyContinue[reportId=" + reportId + ", payload=" + Wire.summary(payload) + "]";
  }
}
