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
 * DAP-18 §4.5.3.1 {@code VerifyInit} (DAP-09's {@code PrepareInit}): a report share and the
 * Leader's first ping-pong message.
 *
 * <pre>
 * struct {
 *   ReportShare report_share;
 *   opaque payload&lt;1..2^32-1&gt;;
 * } VerifyInit;
 * </pre>
 */
public record VerifyInit(ReportShare reportShare, byte[] payload) implements Encodable {
  public VerifyInit {
    Objects.requireNonNull(reportShare, "reportShare");
    payload = Wire.copy(payload, "payload", 1, Integer.MAX_VALUE);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public ReportId reportId() {
    return reportShare.reportId();
  }

  @Override
  public void encode(Encoder encoder) {
    reportShare.encode(encoder);
    encoder.opaque32(payload);
  }

  public static VerifyInit decode(Decoder decoder) throws DecodeException {
    ReportShare share = ReportShare.decode(decoder);
    byte[] payload = Wire.opaque32(decoder, 1, "payload");
    return new VerifyInit(share, payload);
  }

  public static VerifyInit decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, VerifyInit::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyInit v
        && reportShare.equals(v.reportShare)
        && Arrays.equals(payload, v.payload);
  }

  @Override
  public int hashCode() {
    return 31 * reportShare.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "VerifyInit[reportShare=" + reportShare + ", payload=" + Wire.summary(payload) + "]";
  }
}
