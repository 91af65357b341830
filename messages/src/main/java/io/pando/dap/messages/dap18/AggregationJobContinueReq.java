package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.List;
import java.util.Objects;

/**
 * DAP-18 §4.5.4.1 {@code AggregationJobContinueReq} ({@link
 * MediaTypes#AGGREGATION_JOB_CONTINUE_REQ}).
 *
 * <pre>
 * struct {
 *   uint16 step;
 *   VerifyContinue verify_continues[verify_continues_length];
 * } AggregationJobContinueReq;
 * </pre>
 *
 * No length prefix on {@code verify_continues}: it is the rest of the HTTP content. The step
 * reuses DAP-09's {@link AggregationJobStep} (same {@code uint16}).
 */
public record AggregationJobContinueReq(
    AggregationJobStep step, List<VerifyContinue> verifyContinues)
    implements Encodable {
  public AggregationJobContinueReq {
    Objects.requireNonNull(step, "step");
    verifyContinues = Wire.copy(verifyContinues, "verifyContinues");
  }

  @Override
  public void encode(Encoder encoder) {
    step.encode(encoder);
    for (VerifyContinue v : verifyContinues) {
      v.encode(encoder);
    }
  }

  public static AggregationJobContinueReq decode(Decoder decoder) throws DecodeException {
    AggregationJobStep step = AggregationJobStep.decode(decoder);
    return new AggregationJobContinueReq(step, Wire.toEnd(decoder, VerifyContinue::decode));
  }

  public static AggregationJobContinueReq decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobContinueReq::decode);
  }

  @Override
  public String toString() {
    return "AggregationJobContinueReq[step=" + step + ", verifyContinues="
        + verifyContinues.size() + " items]";
  }
}
