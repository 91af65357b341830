package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Objects;

/**
 * DAP-18 §4.1.1 {@code Interval}: the half-open range {@code [start, start + duration)}, both in
 * {@link TimePrecision} units. The wire layout is DAP-09's; the unit is not, hence a type of its
 * own.
 *
 * <pre>
 * struct {
 *   Time start;
 *   Duration duration;
 * } Interval;
 * </pre>
 */
public record Interval(Time start, Duration duration) implements Encodable {
  public Interval {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    if (start.units() + duration.units() < 0) {
      throw new IllegalArgumentException("interval end overflows: " + start + " + " + duration);
    }
  }

  public static Interval of(long startUnits, long durationUnits) {
    return new Interval(Time.of(startUnits), Duration.of(durationUnits));
  }

  /** The first time after the interval. */
  public Time end() {
    return start.plus(duration);
  }

  /** Whether {@code time} lies in {@code [start, end)}. */
  public boolean contains(Time time) {
    return time.compareTo(start) >= 0 && time.compareTo(end()) < 0;
  }

  /** Whether {@code other} lies wholly inside this interval. */
  public boolean contains(Interval other) {
    return other.start.compareTo(start) >= 0 && other.end().compareTo(end()) <= 0;
  }

  @Override
  public void encode(Encoder encoder) {
    start.encode(encoder);
    duration.encode(encoder);
  }

  public static Interval decode(Decoder decoder) throws DecodeException {
    Time start = Time.decode(decoder);
    Duration duration = Duration.decode(decoder);
    return Wire.build(() -> new Interval(start, duration));
  }

  public static Interval decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Interval::decode);
  }

  @Override
  public String toString() {
    return "[" + start + ", +" + duration + ")";
  }
}
