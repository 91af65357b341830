package io.pando.codec;

import java.util.Arrays;
import java.util.Collection;

/**
 * Growable writer for the TLS presentation language (RFC 8446 §3): big-endian integers and
 * length-prefixed vectors. Length prefixes are back-patched, so nested vectors are written in one
 * pass.
 */
public final class Encoder {
  private byte[] buf;
  private int len;

  public Encoder() {
    this(64);
  }

  public Encoder(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  public Encoder u8(int v) {
    if ((v & ~0xff) != 0) {
      throw new IllegalArgumentException("u8 out of range: " + v);
    }
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  public Encoder u16(int v) {
    if ((v & ~0xffff) != 0) {
      throw new IllegalArgumentException("u16 out of range: " + v);
    }
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  public Encoder u32(long v) {
    if ((v & ~0xffffffffL) != 0) {
      throw new IllegalArgumentException("u32 out of range: " + v);
    }
    ensure(4);
    for (int s = 24; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  public Encoder u64(long v) {
    ensure(8);
    for (int s = 56; s >= 0; s -= 8) {
      buf[len++] = (byte) (v >>> s);
    }
    return this;
  }

  public Encoder bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public Encoder bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  /** {@code opaque x<0..2^8-1>}. */
  public Encoder opaque8(byte[] b) {
    if (b.length > 0xff) {
      throw new IllegalArgumentException("opaque8 too long: " + b.length);
    }
    return u8(b.length).bytes(b);
  }

  /** {@code opaque x<0..2^16-1>}. */
  public Encoder opaque16(byte[] b) {
    if (b.length > 0xffff) {
      throw new IllegalArgumentException("opaque16 too long: " + b.length);
    }
    return u16(b.length).bytes(b);
  }

  /** {@code opaque x<0..2^32-1>}. */
  public Encoder opaque32(byte[] b) {
    return u32(b.length).bytes(b);
  }

  /** {@code T items<0..2^16-1>}. */
  public <T> Encoder list16(Collection<T> items, Writer<T> item) {
    int at = len;
    u16(0);
    for (T t : items) {
      item.write(this, t);
    }
    int n = len - at - 2;
    if (n > 0xffff) {
      throw new IllegalArgumentException("vector too long for a 2-byte prefix: " + n);
    }
    buf[at] = (byte) (n >>> 8);
    buf[at + 1] = (byte) n;
    return this;
  }

  /** {@code T items<0..2^32-1>}. */
  public <T> Encoder list32(Collection<T> items, Writer<T> item) {
    int at = len;
    u32(0);
    for (T t : items) {
      item.write(this, t);
    }
    int n = len - at - 4;
    buf[at] = (byte) (n >>> 24);
    buf[at + 1] = (byte) (n >>> 16);
    buf[at + 2] = (byte) (n >>> 8);
    buf[at + 3] = (byte) n;
    return this;
  }

  public int length() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** Writes one value. */
  @FunctionalInterface
  public interface Writer<T> {
    void write(Encoder e, T value);
  }
}
