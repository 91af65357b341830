package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.5.1.2 {@code PrepareResp}: the Helper's answer for one report.
 *
 * <pre>
 * struct {
 *   ReportID report_id;
 *   PrepareRespState prepare_resp_state;
 *   select (PrepareResp.prepare_resp_state) { ... };
 * } PrepareResp;
 * </pre>
 *
 * The state byte and its body are modelled by {@link PrepareStepResult}.
 */
public record PrepareResp(ReportId reportId, PrepareStepResult result) implements Encodable {
  public PrepareResp {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(result, "result");
  }

  @Override
  public void encode(Encoder encoder) {
    reportId.encode(encoder);
    result.encode(encoder);
  }

  public static PrepareResp decode(Decoder decoder) throws DecodeException {
    ReportId reportId = ReportId.decode(decoder);
    PrepareStepResult result = PrepareStepResult.decode(decoder);
    return new PrepareResp(reportId, result);
  }

  public static PrepareResp decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PrepareResp::decode);
  }
}
