package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;

/**
 * DAP-18 §4.1.1 {@code uint64 Duration}: a number of {@link TimePrecision} units (not seconds,
 * as in DAP-09). With a precision of 10 s, the value 11 is 110 seconds (the draft's example).
 *
 * <p>Values are limited to {@code [0, 2^63-1]}.
 */
public record Duration(long units) implements Encodable, Comparable<Duration> {
  public static final Duration ZERO = new Duration(0);

  /** One time precision: the duration of a time-interval batch bucket (§5.1.3). */
  public static final Duration ONE = new Duration(1);

  public Duration {
    Wire.requireNonNegative(units, "duration");
  }

  public static Duration of(long units) {
    return new Duration(units);
  }

  /**
   * The duration of {@code seconds}, which must be a multiple of the precision.
   *
   * @throws IllegalArgumentException if it is not
   */
  public static Duration ofSeconds(long seconds, TimePrecision precision) {
    Wire.requireNonNegative(seconds, "seconds");
    if (seconds % precision.seconds() != 0) {
      throw new IllegalArgumentException(
          seconds + "s is not a multiple of the time precision " + precision);
    }
    return new Duration(seconds / precision.seconds());
  }

  /**
   * This duration in seconds.
   *
   * @throws ArithmeticException if the product exceeds 2^63-1
   */
  public long toSeconds(TimePrecision precision) {
    return Math.multiplyExact(units, precision.seconds());
  }

  @Override
  public int compareTo(Duration other) {
    return Long.compare(units, other.units);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u64(units);
  }

  public static Duration decode(Decoder decoder) throws DecodeException {
    return new Duration(Wire.u63(decoder, "duration"));
  }

  public static Duration decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Duration::decode);
  }

  @Override
  public String toString() {
    return units + "tp";
  }
}
