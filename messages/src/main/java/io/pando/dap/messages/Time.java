package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.time.Instant;

/**
 * DAP-09 §4 {@code uint64 Time}: seconds since the UNIX epoch.
 *
 * <p>Values are limited to {@code [0, 2^63-1]} so they fit a Java {@code long}; a decoder rejects
 * larger wire values.
 */
public record Time(long seconds) implements Encodable, Comparable<Time> {
  public Time {
    Wire.requireNonNegative(seconds, "time");
  }

  public static Time ofSeconds(long seconds) {
    return new Time(seconds);
  }

  /**
   * The time {@code duration} after this one.
   *
   * @throws IllegalArgumentException if the result exceeds 2^63-1 seconds
   */
  public Time plus(Duration duration) {
    long s = seconds + duration.seconds();
    if (s < 0) {
      throw new IllegalArgumentException("time overflow: " + this + " + " + duration);
    }
    return new Time(s);
  }

  public Instant toInstant() {
    return Instant.ofEpochSecond(seconds);
  }

  @Override
  public int compareTo(Time other) {
    return Long.compare(seconds, other.seconds);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u64(seconds);
  }

  public static Time decode(Decoder decoder) throws DecodeException {
    return new Time(Wire.u63(decoder, "time"));
  }

  public static Time decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Time::decode);
  }

  @Override
  public String toString() {
    return Long.toString(seconds);
  }
}
