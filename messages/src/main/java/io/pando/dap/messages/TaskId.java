package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;

/** DAP-09 §4.2 `opaque TaskID[32]` */
public final class TaskId extends FixedLengthId<TaskId> {
  /** Encoded length in bytes. */
  public static final int LENGTH = 32;

  private TaskId(byte[] bytes) {
    super(bytes, LENGTH);
  }

  /**
   * Wraps a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} is exactly {@value #LENGTH} bytes
   */
  public static TaskId of(byte[] bytes) {
    return new TaskId(bytes);
  }

  /**
   * Parses canonical unpadded base64url.
   *
   * @throws IllegalArgumentException if {@code text} is not base64url of {@value #LENGTH} bytes
   */
  public static TaskId fromBase64Url(String text) {
    return new TaskId(Wire.fromBase64Url(text));
  }

  /** A fresh identifier from a cryptographically secure random source. */
  public static TaskId random() {
    return new TaskId(randomBytes(LENGTH));
  }

  public static TaskId decode(Decoder decoder) throws DecodeException {
    return new TaskId(decoder.bytes(LENGTH));
  }

  public static TaskId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, TaskId::decode);
  }
}
