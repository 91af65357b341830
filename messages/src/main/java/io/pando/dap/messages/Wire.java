package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Small helpers shared by the wire types of this package and of its version sub-packages (such as
 * {@code dap18}): copies, summaries, bounds, bounded reads. Public only so that the sub-packages
 * can reach it; not an API for other modules.
 */
public final class Wire {
  /** The largest {@code uint8}. */
  public static final int U8_MAX = 0xff;

  /** The largest {@code uint16}. */
  public static final int U16_MAX = 0xffff;

  private static final Base64.Encoder B64_ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private Wire() {}

  /** A defensive copy of a byte-string field; rejects null. */
  public static byte[] copy(byte[] bytes, String field) {
    return Objects.requireNonNull(bytes, field).clone();
  }

  /** A defensive copy of a byte-string field whose length must lie in {@code [min, max]}. */
  public static byte[] copy(byte[] bytes, String field, long min, long max) {
    byte[] out = copy(bytes, field);
    if (out.length < min || out.length > max) {
      throw new IllegalArgumentException(
          field + " length " + out.length + " outside [" + min + ", " + max + "]");
    }
    return out;
  }

  /** An immutable copy of a list field; rejects null lists and null elements. */
  public static <T> List<T> copy(List<T> items, String field) {
    return List.copyOf(Objects.requireNonNull(items, field));
  }

  /** What {@code toString} shows for a payload: its length, never its bytes. */
  public static String summary(byte[] bytes) {
    return "<" + bytes.length + " bytes>";
  }

  static String base64Url(byte[] bytes) {
    return B64_ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes canonical unpadded base64url (RFC 4648 §5): no padding, no stray characters, and no
   * non-zero trailing bits.
   *
   * @throws IllegalArgumentException if {@code text} is not canonical unpadded base64url
   */
  static byte[] fromBase64Url(String text) {
    Objects.requireNonNull(text, "text");
    if (text.indexOf('=') >= 0) {
      throw new IllegalArgumentException("base64url must be unpadded");
    }
    byte[] bytes = B64_DECODER.decode(text);
    if (!B64_ENCODER.encodeToString(bytes).equals(text)) {
      throw new IllegalArgumentException("base64url is not canonical");
    }
    return bytes;
  }

  /** {@code opaque x<min..2^16-1>}. */
  static byte[] opaque16(Decoder d, int min, String field) throws DecodeException {
    byte[] out = d.opaque16();
    if (out.length < min) {
      throw new DecodeException(field + " shorter than " + min + " bytes");
    }
    return out;
  }

  /** {@code opaque x<min..2^32-1>}. */
  public static byte[] opaque32(Decoder d, int min, String field) throws DecodeException {
    byte[] out = d.opaque32();
    if (out.length < min) {
      throw new DecodeException(field + " shorter than " + min + " bytes");
    }
    return out;
  }

  /** A {@code uint64} that must fit a non-negative Java long. */
  public static long u63(Decoder d, String field) throws DecodeException {
    long v = d.u64();
    if (v < 0) {
      throw new DecodeException(field + " exceeds 2^63-1: " + Long.toUnsignedString(v));
    }
    return v;
  }

  public static long requireNonNegative(long v, String field) {
    if (v < 0) {
      throw new IllegalArgumentException(field + " must be non-negative: " + v);
    }
    return v;
  }

  /** A defensive check that {@code v} lies in {@code [min, max]}. */
  public static int requireRange(int v, int min, int max, String field) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " outside [" + min + ", " + max + "]: " + v);
    }
    return v;
  }

  /** A defensive check that {@code v} lies in {@code [min, max]}. */
  public static long requireRange(long v, long min, long max, String field) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " outside [" + min + ", " + max + "]: " + v);
    }
    return v;
  }

  /** A defensive check that {@code v} is not negative. */

  /**
   * Items to the end of the decoder: the vectors whose length is the rest of the HTTP content
   * (DAP-18 §4.5, {@code message_length}).
   */
  public static <T> List<T> toEnd(Decoder d, Decoder.Reader<T> item) throws DecodeException {
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

  /** Whether the types are strictly increasing (sorted, no repeats), as DAP-18 asks of lists. */
  public static <T> boolean strictlyIncreasing(List<T> items, ToIntFunction<T> type) {
    for (int i = 1; i < items.size(); i++) {
      if (type.applyAsInt(items.get(i)) <= type.applyAsInt(items.get(i - 1))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs a constructor from a decoder: the checks a constructor makes on decoded fields surface as
   * {@link DecodeException}, never as {@link IllegalArgumentException}.
   */
  public static <T> T build(Construct<T> construct) throws DecodeException {
    try {
      return construct.get();
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  /** A constructor call that may reject its arguments. */
  @FunctionalInterface
  public interface Construct<T> {
    T get();
  }
}
