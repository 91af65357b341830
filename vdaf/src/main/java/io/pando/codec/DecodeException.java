package io.pando.codec;

/**
 * The one error a decoder throws: the bytes are not a valid encoding of the expected value
 * (truncated, trailing bytes, a length prefix that overruns its input, a value out of range).
 *
 * <p>Decoders never throw anything else, whatever the input.
 */
public final class DecodeException extends Exception {
  public DecodeException(String message) {
    super(message);
  }

  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
