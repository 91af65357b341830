package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;

/**
 * DAP-18 §4.1.1 {@code uint64 Time}: a number of {@link TimePrecision} units since the UNIX epoch
 * (not seconds, as in DAP-09). With a precision of 10 s, the value 123456789 is the POSIX time
 * 1234567890 (the draft's example).
 *
 * <p>Values are limited to {@code [0, 2^63-1]} so they fit a Java {@code long}.
 */
public record Time(long units) implements Encodable, Comparable<Time> {
  public Time {
    Wire.requireNonNegative(units, "time");
  }

  public static Time of(long units) {
    return new Time(units);
  }

  /** The time that contains POSIX second {@code seconds}: {@code floor(seconds / precision)}. */
  public static Time ofSeconds(long seconds, TimePrecision precision) {
    Wire.requireNonNegative(seconds, "seconds");
    return new Time(seconds / precision.seconds());
  }

  /**
   * This time as POSIX seconds: {@code units * precision}.
   *
   * @throws ArithmeticException if the product exceeds 2^63-1
   */
  public long toSeconds(TimePrecision precision) {
    return Math.multiplyExact(units, precision.seconds());
  }

  /**
   * The time {@code duration} after this one.
   *
   * @throws IllegalArgumentException if the result exceeds 2^63-1
   */
  public Time plus(Duration duration) {
    long u = units + duration.units();
    if (u < 0) {
      throw new IllegalArgumentException("time overflow: " + this + " + " + duration);
    }
    return new Time(u);
  }

  @Override
  public int compareTo(Time other) {
    return Long.compare(units, other.units);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u64(units);
  }

  public static Time decode(Decoder decoder) throws DecodeException {
    return new Time(Wire.u63(decoder, "time"));
  }

  public static Time decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Time::decode);
  }

  @Override
  public String toString() {
    return units + "tp";
  }
}
