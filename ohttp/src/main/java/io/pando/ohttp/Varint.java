package io.pando.ohttp;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.io.ByteArrayOutputStream;

/**
 * QUIC variable-length integers (RFC 9000 §16), as Binary HTTP uses them for every length and
 * for the status code (RFC 9292 §3): the two top bits of the first byte give the length, 1, 2, 4
 * or 8 bytes, and the remaining bits the value, big-endian, up to 2^62 - 1.
 */
final class Varint {
  static final long MAX = (1L << 62) - 1;

  private Varint() {}

  /** Writes the shortest encoding of {@code v}. */
  static void write(ByteArrayOutputStream out, long v) {
    if (v < 0 || v > MAX) {
      throw new IllegalArgumentException("varint out of range: " + v);
    }
    int n = v < (1 << 6) ? 1 : v < (1 << 14) ? 2 : v < (1L << 30) ? 4 : 8;
    int prefix = n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 2 : 3;
    for (int i = n - 1; i >= 0; i--) {
      int b = (int) (v >>> (8 * i)) & 0xff;
      out.write(i == n - 1 ? b | (prefix << 6) : b);
    }
  }

  /** Reads one varint (any of its encodings; RFC 9000 §16 does not require the shortest). */
  static long read(Decoder d) throws DecodeException {
    int first = d.u8();
    int n = 1 << (first >>> 6);
    long v = first & 0x3f;
    for (int i = 1; i < n; i++) {
      v = (v << 8) | d.u8();
    }
    return v;
  }

  /** Reads a varint length and checks it against the bytes that remain, before any allocation. */
  static int readLength(Decoder d, String what) throws DecodeException {
    long len = read(d);
    if (len > d.remaining()) {
      throw new DecodeException(what + " length " + len + " exceeds the " + d.remaining()
          + " bytes that remain");
    }
    return (int) len;
  }
}
