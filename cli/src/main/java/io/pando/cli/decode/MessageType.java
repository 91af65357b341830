package io.pando.cli.decode;

import io.pando.codec.DecodeException;
import java.util.Optional;

/**
 * A type {@code pando dap-decode} can decode.
 *
 * @param name the name on the command line, e.g. {@code aggregation-job-init-req}
 * @param javaType the class of the decoded value
 * @param mediaType the DAP media type of a message body, if the type is one
 * @param decoder the strict decoder
 */
public record MessageType(String name, Class<?> javaType, Optional<String> mediaType,
    Decoder decoder) {

  /** Decodes a complete encoding (trailing bytes are an error). */
  @FunctionalInterface
  public interface Decoder {
    Object decode(byte[] encoded) throws DecodeException;
  }

  public Object decode(byte[] encoded) throws DecodeException {
    return decoder.decode(encoded);
  }
}
