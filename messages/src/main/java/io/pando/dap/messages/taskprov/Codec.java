package io.pando.dap.messages.taskprov;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.nio.charset.StandardCharsets;

/** Small helpers of the taskprov wire types. */
final class Codec {
  private Codec() {}

  static long range(long v, long min, long max, String field) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(field + " outside [" + min + ", " + max + "]: " + v);
    }
    return v;
  }

  /** DAP-09 §4.2 {@code opaque Url<1..2^16-1>}: a non-empty ASCII string. */
  static String url(String url, String field) {
    if (url == null || url.isEmpty() || url.length() > 0xffff) {
      throw new IllegalArgumentException(field + " must hold 1 to 65535 characters");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(field + " must be printable ASCII");
      }
    }
    return url;
  }

  static byte[] urlBytes(String url) {
    return url.getBytes(StandardCharsets.US_ASCII);
  }

  static String decodeUrl(Decoder d, String field) throws DecodeException {
    byte[] b = d.opaque16();
    for (byte x : b) {
      if (x < 0x20 || x > 0x7e) {
        throw new DecodeException(field + " is not printable ASCII");
      }
    }
    String s = new String(b, StandardCharsets.US_ASCII);
    return build(() -> url(s, field));
  }

  /** A constructor's refusal of decoded fields, as the decoders' one exception. */
  static <T> T build(java.util.function.Supplier<T> construct) throws DecodeException {
    try {
      return construct.get();
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }
}
