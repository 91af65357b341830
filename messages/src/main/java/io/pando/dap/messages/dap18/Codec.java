package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/** Small helpers shared by the DAP-18 wire types: copies, bounds, bounded reads. */
final class Codec {
  static final int U8_MAX = 0xff;
  static final int U16_MAX = 0xffff;

  private Codec() {}

  static byte[] copy(byte[] bytes, String field) {
    return Objects.requireNonNull(bytes, field).clone();
  }

  /** A copy of a byte-string field whose length must lie in {@code [min, max]}. */
  static byte[] copy(byte[] bytes, String field, long min, long max) {
    byte[] out = copy(bytes, field);
    if (out.length < min || out.length > max) {
      throw new IllegalArgumentException(
          field + " length " + out.length + " outside [" + min + ", " + max + "]");
    }
    return out;
  }

  static <T> List<T> copy(List<T> items, String field) {
    return List.copyOf(Objects.requireNonNull(items, field));
  }

  static long nonNegative(long v, String field) {
    if (v < 0) {
      throw new IllegalArgumentException(field + " must be non-negative: " + v);
    }
    return v;
  }

  static int range(int v, int min, int max, String field) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " outside [" + min + ", " + max + "]: " + v);
    }
    return v;
  }

  static long range(long v, long min, long max, String field) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " outside [" + min + ", " + max + "]: " + v);
    }
    return v;
  }

  /** A {@code uint64} that must fit a non-negative Java long. */
  static long u63(Decoder d, String field) throws DecodeException {
    long v = d.u64();
    if (v < 0) {
      throw new DecodeException(field + " exceeds 2^63-1: " + Long.toUnsignedString(v));
    }
    return v;
  }

  /** {@code opaque x<min..2^32-1>}. */
  static byte[] opaque32(Decoder d, int min, String field) throws DecodeException {
    byte[] out = d.opaque32();
    if (out.length < min) {
      throw new DecodeException(field + " shorter than " + min + " bytes");
    }
    return out;
  }

  /**
   * Items to the end of the decoder: the vectors whose length is the rest of the HTTP content
   * (draft-18 §4.5, {@code message_length}).
   */
  static <T> List<T> toEnd(Decoder d, Decoder.Reader<T> item) throws DecodeException {
    List<T> out = new ArrayList<>();
    while (d.hasRemaining()) {
      int before = d.position();
      out.add(item.read(d));
      if (d.position() == before) {
        throw new DecodeException("vector item consumed no bytes");
      }
    }
    return List.copyOf(out);
  }

  /** Whether the types are strictly increasing (sorted, no repeats), as draft-18 asks of lists. */
  static <T> boolean strictlyIncreasing(List<T> items, ToIntFunction<T> type) {
    for (int i = 1; i < items.size(); i++) {
      if (type.applyAsInt(items.get(i)) <= type.applyAsInt(items.get(i - 1))) {
        return false;
      }
    }
    return true;
  }

  /** A constructor's refusal of decoded fields, as the decoders' one exception. */
  static <T> T build(Construct<T> construct) throws DecodeException {
    try {
      return construct.get();
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  @FunctionalInterface
  interface Construct<T> {
    T get();
  }

  static String summary(byte[] bytes) {
    return "<" + bytes.length + " bytes>";
  }
}
