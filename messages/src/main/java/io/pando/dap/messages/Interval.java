package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4 {@code Interval}: the half-open time range {@code [start, start + duration)}.
 *
 * <p>The end must be representable as a {@link Time}; a decoder rejects intervals whose end
 * overflows.
 */
public record Interval(Time start, Duration duration) implements Encodable {
  public Interval {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    if (start.seconds() + duration.seconds() < 0) {
      throw new IllegalArgumentException("interval end overflows: " + start + " + " + duration);
    }
  }

  public static Interval of(long startSeconds, long durationSeconds) {
    return new Interval(Time.ofSeconds(startSeconds), Duration.ofSeconds(durationSeconds));
  }

  /** The first instant after the interval. */
  public Time end() {
    return start.plus(duration);
  }

  /** Whether {@code time} lies in {@code [start, end)}. */
  public boolean contains(Time time) {
    return time.compareTo(start) >= 0 && time.compareTo(end()) < 0;
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
