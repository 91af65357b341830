package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;

/**
 * DAP-18 §4.1.1 {@code uint64 TimePrecision}: the task's unit of time, a positive number of
 * seconds. Every DAP-18 {@link Time} and {@link Duration} counts these units.
 */
public record TimePrecision(long seconds) implements Encodable {
  public TimePrecision {
    Wire.requireRange(seconds, 1, Long.MAX_VALUE, "time_precision");
  }

  public static TimePrecision ofSeconds(long seconds) {
    return new TimePrecision(seconds);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u64(seconds);
  }

  public static TimePrecision decode(Decoder decoder) throws DecodeException {
    long s = Wire.u63(decoder, "time_precision");
    return Wire.build(() -> new TimePrecision(s));
  }

  public static TimePrecision decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, TimePrecision::decode);
  }

  @Override
  public String toString() {
    return seconds + "s";
  }
}
