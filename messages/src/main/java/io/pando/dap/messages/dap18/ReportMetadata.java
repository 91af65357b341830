package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Wire;
import java.util.List;
import java.util.Objects;

/**
 * DAP-18 §4.4.2 {@code ReportMetadata}: DAP-09's, plus the public report extensions (§4.4.3),
 * and a {@link Time} in time-precision units.
 *
 * <pre>
 * struct {
 *   ReportID report_id;
 *   Time time;
 *   Extension public_extensions&lt;0..2^16-1&gt;;
 * } ReportMetadata;
 * </pre>
 *
 * Extensions decode in any order: an aggregator answers a disorder per report with {@code
 * invalid_message} (§4.5.3.4), not by refusing the whole message; {@link
 * #publicExtensionsStrictlyIncreasing} checks it. {@link #sorted} builds the order a client
 * sends.
 */
public record ReportMetadata(ReportId reportId, Time time, List<Extension> publicExtensions)
    implements Encodable {
  public ReportMetadata {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(time, "time");
    publicExtensions = Wire.copy(publicExtensions, "publicExtensions");
  }

  /** Metadata without public extensions. */
  public ReportMetadata(ReportId reportId, Time time) {
    this(reportId, time, List.of());
  }

  /** Metadata whose public extensions are sorted by type, as a client must send them. */
  public static ReportMetadata sorted(ReportId reportId, Time time, List<Extension> extensions) {
    return new ReportMetadata(reportId, time, Extensions.sorted(extensions));
  }

  /** Whether the public extensions are in strictly increasing type order. */
  public boolean publicExtensionsStrictlyIncreasing() {
    return Extensions.strictlyIncreasing(publicExtensions);
  }

  @Override
  public void encode(Encoder encoder) {
    reportId.encode(encoder);
    time.encode(encoder);
    encoder.list16(publicExtensions, (e, x) -> x.encode(e));
  }

  public static ReportMetadata decode(Decoder decoder) throws DecodeException {
    ReportId reportId = ReportId.decode(decoder);
    Time time = Time.decode(decoder);
    List<Extension> extensions = decoder.list16(Extension::decode);
    return new ReportMetadata(reportId, time, extensions);
  }

  public static ReportMetadata decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ReportMetadata::decode);
  }
}
