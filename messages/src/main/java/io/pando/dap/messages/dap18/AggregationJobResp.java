package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.List;

/**
 * DAP-18 §4.5.3.2 {@code AggregationJobResp} ({@link MediaTypes#AGGREGATION_JOB_RESP}), in the
 * order of the request's reports.
 *
 * <pre>
 * struct {
 *   VerifyResp verify_resps[message_length];
 * } AggregationJobResp;
 * </pre>
 *
 * No length prefix: the responses run to the end of the HTTP content.
 */
public record AggregationJobResp(List<VerifyResp> verifyResps) implements Encodable {
  public AggregationJobResp {
    verifyResps = Wire.copy(verifyResps, "verifyResps");
  }

  @Override
  public void encode(Encoder encoder) {
    for (VerifyResp r : verifyResps) {
      r.encode(encoder);
    }
  }

  public static AggregationJobResp decode(Decoder decoder) throws DecodeException {
    return new AggregationJobResp(Wire.toEnd(decoder, VerifyResp::decode));
  }

  public static AggregationJobResp decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobResp::decode);
  }

  @Override
  public String toString() {
    return "AggregationJobResp[verifyResps=" + verifyResps.size() + " items]";
  }
}
