package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;

/** DAP-09 §4.1 `opaque BatchID[32]` */
public final class BatchId extends FixedLengthId<BatchId> {
  /** Encoded length in bytes. */
  public static final int LENGTH = 32;

  private BatchId(byte[] bytes) {
    super(bytes, LENGTH);
  }

  /**
   * Wraps a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} is exactly {@value #LENGTH} bytes
   */
  public static BatchId of(byte[] bytes) {
    return new BatchId(bytes);
  }

  /**
   * Parses canonical unpadded base64url.
   *
   * @throws IllegalArgumentException if {@code text} is not base64url of {@value #LENGTH} bytes
   */
  public static BatchId fromBase64Url(String text) {
    return new BatchId(Wire.fromBase64Url(text));
  }

  /** A fresh identifier from a cryptographically secure random source. */
  public static BatchId random() {
    return new BatchId(randomBytes(LENGTH));
  }

  public static BatchId decode(Decoder decoder) throws DecodeException {
    return new BatchId(decoder.bytes(LENGTH));
  }

  public static BatchId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, BatchId::decode);
  }
}
