package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;

/** DAP-09 §4.6.1 `opaque CollectionJobID[16]` */
public final class CollectionJobId extends FixedLengthId<CollectionJobId> {
  /** Encoded length in bytes. */
  public static final int LENGTH = 16;

  private CollectionJobId(byte[] bytes) {
    super(bytes, LENGTH);
  }

  /**
   * Wraps a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} is exactly {@value #LENGTH} bytes
   */
  public static CollectionJobId of(byte[] bytes) {
    return new CollectionJobId(bytes);
  }

  /**
   * Parses canonical unpadded base64url.
   *
   * @throws IllegalArgumentException if {@code text} is not base64url of {@value #LENGTH} bytes
   */
  public static CollectionJobId fromBase64Url(String text) {
    return new CollectionJobId(Wire.fromBase64Url(text));
  }

  /** A fresh identifier from a cryptographically secure random source. */
  public static CollectionJobId random() {
    return new CollectionJobId(randomBytes(LENGTH));
  }

  public static CollectionJobId decode(Decoder decoder) throws DecodeException {
    return new CollectionJobId(decoder.bytes(LENGTH));
  }

  public static CollectionJobId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, CollectionJobId::decode);
  }
}
