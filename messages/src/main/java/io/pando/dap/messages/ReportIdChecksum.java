package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;

/**
 * DAP-09 §4.6.2 {@code opaque checksum[32]} of {@code AggregateShareReq}: the XOR of the SHA-256
 * hashes of the report IDs in a batch. Hashing lives outside this module; this type only holds and
 * combines the value.
 */
public final class ReportIdChecksum extends FixedLengthId<ReportIdChecksum> {
  /** Encoded length in bytes. */
  public static final int LENGTH = 32;

  /** The checksum of an empty set of reports. */
  public static final ReportIdChecksum ZERO = new ReportIdChecksum(new byte[LENGTH]);

  private ReportIdChecksum(byte[] bytes) {
    super(bytes, LENGTH);
  }

  /**
   * Wraps a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} is exactly {@value #LENGTH} bytes
   */
  public static ReportIdChecksum of(byte[] bytes) {
    return new ReportIdChecksum(bytes);
  }

  /** The bitwise XOR of this checksum and {@code other}. */
  public ReportIdChecksum xor(ReportIdChecksum other) {
    byte[] a = bytes();
    byte[] b = other.bytes();
    for (int i = 0; i < LENGTH; i++) {
      a[i] ^= b[i];
    }
    return new ReportIdChecksum(a);
  }

  public static ReportIdChecksum decode(Decoder decoder) throws DecodeException {
    return new ReportIdChecksum(decoder.bytes(LENGTH));
  }

  public static ReportIdChecksum decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ReportIdChecksum::decode);
  }
}
