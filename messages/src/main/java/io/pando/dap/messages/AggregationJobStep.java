package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;

/**
 * DAP-09 §4.5.2.1 {@code uint16 step} of an {@code AggregationJobContinueReq}: the aggregation
 * step the Leader has reached. Initialization is step 0; the first continuation is step 1.
 */
public record AggregationJobStep(int value) implements Encodable, Comparable<AggregationJobStep> {
  public static final AggregationJobStep ZERO = new AggregationJobStep(0);

  public AggregationJobStep {
    Wire.requireRange(value, 0, Wire.U16_MAX, "step");
  }

  public static AggregationJobStep of(int value) {
    return new AggregationJobStep(value);
  }

  /**
   * The following step.
   *
   * @throws IllegalArgumentException past 65535
   */
  public AggregationJobStep next() {
    return new AggregationJobStep(value + 1);
  }

  @Override
  public int compareTo(AggregationJobStep other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(value);
  }

  public static AggregationJobStep decode(Decoder decoder) throws DecodeException {
    return new AggregationJobStep(decoder.u16());
  }

  public static AggregationJobStep decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobStep::decode);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
