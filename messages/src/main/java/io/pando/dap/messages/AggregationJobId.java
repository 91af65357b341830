package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;

/** DAP-09 §4.5.1 `opaque AggregationJobID[16]` */
public final class AggregationJobId extends FixedLengthId<AggregationJobId> {
  /** Encoded length in bytes. */
  public static final int LENGTH = 16;

  private AggregationJobId(byte[] bytes) {
    super(bytes, LENGTH);
  }

  /**
   * Wraps a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} is exactly {@value #LENGTH} bytes
   */
  public static AggregationJobId of(byte[] bytes) {
    return new AggregationJobId(bytes);
  }

  /**
   * Parses canonical unpadded base64url.
   *
   * @throws IllegalArgumentException if {@code text} is not base64url of {@value #LENGTH} bytes
   */
  public static AggregationJobId fromBase64Url(String text) {
    return new AggregationJobId(Wire.fromBase64Url(text));
  }

  /** A fresh identifier from a cryptographically secure random source. */
  public static AggregationJobId random() {
    return new AggregationJobId(randomBytes(LENGTH));
  }

  public static AggregationJobId decode(Decoder decoder) throws DecodeException {
    return new AggregationJobId(decoder.bytes(LENGTH));
  }

  public static AggregationJobId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobId::decode);
  }
}
