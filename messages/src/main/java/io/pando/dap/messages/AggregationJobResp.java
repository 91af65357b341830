package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.List;

/**
 * DAP-09 §4.5.1.2 {@code AggregationJobResp} ({@link MediaTypes#AGGREGATION_JOB_RESP}), in the
 * order of the request's reports.
 *
 * <pre>
 * struct {
 *   PrepareResp prepare_resps&lt;1..2^32-1&gt;;
 * } AggregationJobResp;
 * </pre>
 *
 * An empty list is accepted although the draft's bound is 1: it is the answer to an empty
 * {@link AggregationJobContinueReq}, which Janus 0.7 sends.
 */
public record AggregationJobResp(List<PrepareResp> prepareResps) implements Encodable {
  public AggregationJobResp {
    prepareResps = Wire.copy(prepareResps, "prepareResps");
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.list32(prepareResps, (e, p) -> p.encode(e));
  }

  public static AggregationJobResp decode(Decoder decoder) throws DecodeException {
    return new AggregationJobResp(decoder.list32(PrepareResp::decode));
  }

  public static AggregationJobResp decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobResp::decode);
  }

  /** Shows the number of reports, not every report. */
  @Override
  public String toString() {
    return "AggregationJobResp[prepareResps=" + prepareResps.size() + " items]";
  }
}
