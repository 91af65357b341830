package io.pando.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict reader for the TLS presentation language (RFC 8446 §3) used by DAP and VDAF messages:
 * big-endian integers, opaque vectors with 1-, 2- or 4-byte length prefixes.
 *
 * <p>Every read checks bounds first, so a forged length prefix fails with {@link DecodeException}
 * before anything is allocated. {@link #finish()} rejects trailing bytes.
 */
public final class Decoder {
  private final byte[] buf;
  private int pos;
  private final int end;

  public Decoder(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public Decoder(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IllegalArgumentException("range out of bounds");
    }
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Bytes not yet read. */
  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  /** Current read position in the underlying array. */
  public int position() {
    return pos;
  }

  private void need(int n, String what) throws DecodeException {
    if (n < 0 || n > end - pos) {
      throw new DecodeException(
          "truncated " + what + ": need " + n + " bytes, have " + (end - pos));
    }
  }

  public int u8() throws DecodeException {
    need(1, "u8");
    return buf[pos++] & 0xff;
  }

  public int u16() throws DecodeException {
    need(2, "u16");
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  /** Reads a uint32 as a non-negative long. */
  public long u32() throws DecodeException {
    need(4, "u32");
    long v = ((long) (buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16)
        | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  /** Reads a uint64 as a Java long (the caller decides how to treat the top bit). */
  public long u64() throws DecodeException {
    need(8, "u64");
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos + i] & 0xff);
    }
    pos += 8;
    return v;
  }

  /** Reads exactly {@code n} bytes. */
  public byte[] bytes(int n) throws DecodeException {
    need(n, "byte string");
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** {@code opaque x<0..2^8-1>}. */
  public byte[] opaque8() throws DecodeException {
    return bytes(u8());
  }

  /** {@code opaque x<0..2^16-1>}. */
  public byte[] opaque16() throws DecodeException {
    return bytes(u16());
  }

  /** {@code opaque x<0..2^32-1>}. */
  public byte[] opaque32() throws DecodeException {
    return bytes(checkedLength(u32()));
  }

  private int checkedLength(long len) throws DecodeException {
    if (len > end - pos) {
      throw new DecodeException("length prefix " + len + " exceeds remaining " + (end - pos));
    }
    return (int) len;
  }

  /** Reads a value encoded as a sub-range, and checks that the reader consumed all of it. */
  public <T> T sub(int length, Reader<T> reader) throws DecodeException {
    need(length, "vector");
    Decoder inner = new Decoder(buf, pos, length);
    T value = reader.read(inner);
    inner.finish();
    pos += length;
    return value;
  }

  /** {@code T items<0..2^16-1>}: a 2-byte byte-length prefix, then items until it is used up. */
  public <T> List<T> list16(Reader<T> item) throws DecodeException {
    return list(u16(), item);
  }

  /** {@code T items<0..2^32-1>}: a 4-byte byte-length prefix, then items until it is used up. */
  public <T> List<T> list32(Reader<T> item) throws DecodeException {
    return list(checkedLength(u32()), item);
  }

  private <T> List<T> list(int length, Reader<T> item) throws DecodeException {
    need(length, "vector");
    Decoder inner = new Decoder(buf, pos, length);
    List<T> out = new ArrayList<>();
    while (inner.hasRemaining()) {
      int before = inner.pos;
      out.add(item.read(inner));
      if (inner.pos == before) {
        throw new DecodeException("vector item consumed no bytes");
      }
    }
    pos += length;
    return List.copyOf(out);
  }

  /** Fails unless every byte was read. */
  public void finish() throws DecodeException {
    if (pos != end) {
      throw new DecodeException((end - pos) + " trailing bytes");
    }
  }

  /** Decodes all of {@code bytes} with {@code reader}, rejecting trailing bytes. */
  public static <T> T decodeAll(byte[] bytes, Reader<T> reader) throws DecodeException {
    Decoder d = new Decoder(bytes);
    T value = reader.read(d);
    d.finish();
    return value;
  }

  /** Reads one value. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Decoder d) throws DecodeException;
  }
}
