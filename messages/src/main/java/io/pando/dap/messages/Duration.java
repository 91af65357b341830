package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;

/**
 * DAP-09 §4 {@code uint64 Duration}: a number of seconds.
 *
 * <p>Values are limited to {@code [0, 2^63-1]} so they fit a Java {@code long}; a decoder rejects
 * larger wire values.
 */
public record Duration(long seconds) implements Encodable, Comparable<Duration> {
  public static final Duration ZERO = new Duration(0);

  public Duration {
    Wire.requireNonNegative(seconds, "duration");
  }

  public static Duration ofSeconds(long seconds) {
    return new Duration(seconds);
  }

  @Override
  public int compareTo(Duration other) {
    return Long.compare(seconds, other.seconds);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u64(seconds);
  }

  public static Duration decode(Decoder decoder) throws DecodeException {
    return new Duration(Wire.u63(decoder, "duration"));
  }

  public static Duration decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Duration::decode);
  }

  @Override
  public String toString() {
    return seconds + "s";
  }
}
