package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;

/** A value, its expected encoding, and the strict reader that decodes it. */
public record Fixture<T extends Encodable>(String name, T value, String hex, Decoder.Reader<T> reader) {
  public byte[] bytes() {
    return Hex.bytes(hex);
  }

  /** Decodes all of {@code bytes} with this fixture's reader, rejecting trailing bytes. */
  public T decode(byte[] bytes) throws DecodeException {
    return Decoder.decodeAll(bytes, reader);
  }

  @Override
  public String toString() {
    return name;
  }
}
