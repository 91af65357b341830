package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4.5.1.1 {@code PrepareInit}: a report share and the Leader's first ping-pong message.
 *
 * <pre>
 * struct {
 *   ReportShare report_share;
 *   opaque payload&lt;0..2^32-1&gt;;
 * } PrepareInit;
 * </pre>
 *
 * The payload is an encoded VDAF ping-pong message; this type keeps it opaque.
 */
public record PrepareInit(ReportShare reportShare, byte[] payload) implements Encodable {
  public PrepareInit {
    Objects.requireNonNull(reportShare, "reportShare");
    payload = Wire.copy(payload, "payload");
  }

  /** The encoded ping-pong message (a copy). */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Shorthand for {@code reportShare().metadata().reportId()}. */
  public ReportId reportId() {
    return reportShare.metadata().reportId();
  }

  @Override
  public void encode(Encoder encoder) {
    reportShare.encode(encoder);
    encoder.opaque32(payload);
  }

  public static PrepareInit decode(Decoder decoder) throws DecodeException {
    ReportShare reportShare = ReportShare.decode(decoder);
    byte[] payload = decoder.opaque32();
    return new PrepareInit(reportShare, payload);
  }

  public static PrepareInit decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PrepareInit::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrepareInit p
        && reportShare.equals(p.reportShare)
        && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return 31 * reportShare.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "PrepareInit[reportShare=" + reportShare + ", payload=" + Wire.summary(payload) + "]";
  }
}
