package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.List;
import java.util.Objects;

/**
 * DAP-09 §4.5.2.1 {@code AggregationJobContinueReq} ({@link
 * MediaTypes#AGGREGATION_JOB_CONTINUE_REQ}).
 *
 * <pre>
 * struct {
 *   uint16 step;
 *   PrepareContinue prepare_continues&lt;1..2^32-1&gt;;
 * } AggregationJobContinueReq;
 * </pre>
 *
 * An empty {@code prepare_continues} is accepted although the draft's bound is 1: Janus 0.7 sends
 * one when the Leader rejected every remaining report, and its Helper answers with an empty
 * {@link AggregationJobResp}.
 */
public record AggregationJobContinueReq(
    AggregationJobStep step, List<PrepareContinue> prepareContinues) implements Encodable {
  public AggregationJobContinueReq {
    Objects.requireNonNull(step, "step");
    prepareContinues = Wire.copy(prepareContinues, "prepareContinues");
  }

  @Override
  public void encode(Encoder encoder) {
    step.encode(encoder);
    encoder.list32(prepareContinues, (e, p) -> p.encode(e));
  }

  public static AggregationJobContinueReq decode(Decoder decoder) throws DecodeException {
    AggregationJobStep step = AggregationJobStep.decode(decoder);
    List<PrepareContinue> items = decoder.list32(PrepareContinue::decode);
    return new AggregationJobContinueReq(step, items);
  }

  public static AggregationJobContinueReq decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobContinueReq::decode);
  }

  /** Shows the step and the number of reports, not every report. */
  @Override
  public String toString() {
    return "AggregationJobContinueReq[step=" + step + ", prepareContinues="
        + prepareContinues.size() + " items]";
  }
}
