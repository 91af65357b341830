package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;

/** DAP-09 §4 `opaque ReportID[16]` */
public final class ReportId extends FixedLengthId<ReportId> {
  /** Encoded length in bytes. */
  public static final int LENGTH = 16;

  private ReportId(byte[] bytes) {
    super(bytes, LENGTH);
  }

  /**
   * Wraps a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} is exactly {@value #LENGTH} bytes
   */
  public static ReportId of(byte[] bytes) {
    return new ReportId(bytes);
  }

  /**
   * Parses canonical unpadded base64url.
   *
   * @throws IllegalArgumentException if {@code text} is not base64url of {@value #LENGTH} bytes
   */
  public static ReportId fromBase64Url(String text) {
    return new ReportId(Wire.fromBase64Url(text));
  }

  /** A fresh identifier from a cryptographically secure random source. */
  public static ReportId random() {
    return new ReportId(randomBytes(LENGTH));
  }

  public static ReportId decode(Decoder decoder) throws DecodeException {
    return new ReportId(decoder.bytes(LENGTH));
  }

  public static ReportId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ReportId::decode);
  }
}
