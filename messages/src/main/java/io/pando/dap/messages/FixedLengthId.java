package io.pando.dap.messages;

import io.pando.codec.Encoder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Base of the fixed-length opaque identifiers ({@code opaque X[n]}): immutable, compared by
 * content (unsigned lexicographic order), shown as unpadded base64url.
 */
abstract class FixedLengthId<T extends FixedLengthId<T>> implements Encodable, Comparable<T> {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  FixedLengthId(byte[] bytes, int length) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " must be " + length + " bytes, got " + bytes.length);
    }
    this.bytes = bytes.clone();
  }

  static byte[] randomBytes(int length) {
    byte[] out = new byte[length];
    RANDOM.nextBytes(out);
    return out;
  }

  /** The identifier's bytes (a copy). */
  public final byte[] bytes() {
    return bytes.clone();
  }

  /** Unpadded base64url (RFC 4648 §5), the form DAP-09 §4.4 uses in resource URIs. */
  public final String toBase64Url() {
    return Wire.base64Url(bytes);
  }

  @Override
  public final void encode(Encoder encoder) {
    encoder.bytes(bytes);
  }

  @Override
  public final int compareTo(T other) {
    // Unsigned lexicographic order, as Arrays.compareUnsigned (Android API 33) gives.
    byte[] b = ((FixedLengthId<?>) other).bytes;
    for (int i = 0; i < Math.min(bytes.length, b.length); i++) {
      int c = Integer.compare(bytes[i] & 0xff, b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(bytes.length, b.length);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && Arrays.equals(bytes, ((FixedLengthId<?>) o).bytes);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The identifier as unpadded base64url. */
  @Override
  public final String toString() {
    return toBase64Url();
  }
}
