package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Map;

/**
 * DAP-09 §4.4.3 {@code enum ExtensionType}: a two-byte upload extension codepoint.
 *
 * <p>The set is an open registry (§8.2), so any codepoint decodes: an aggregator must be able to
 * read a report carrying an extension it does not know in order to reject it with {@link
 * PrepareError#INVALID_MESSAGE} (§4.5.1.4).
 */
public record ExtensionType(int code) implements Encodable {
  /** {@code TBD(0)}, the only value DAP-09 itself lists. */
  public static final ExtensionType TBD = new ExtensionType(0x0000);

  /** The taskprov extension of draft-wang-ppm-dap-taskprov-06 (§3), {@code 0xff00}. */
  public static final ExtensionType TASKPROV = new ExtensionType(0xff00);

  private static final Map<Integer, String> NAMES =
      Map.of(0x0000, "TBD", 0xff00, "TASKPROV");

  public ExtensionType {
    Wire.requireRange(code, 0, Wire.U16_MAX, "ExtensionType");
  }

  public static ExtensionType of(int code) {
    return new ExtensionType(code);
  }

  /** Whether this is one of the named codepoints above. */
  public boolean isKnown() {
    return NAMES.containsKey(code);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(code);
  }

  public static ExtensionType decode(Decoder decoder) throws DecodeException {
    return new ExtensionType(decoder.u16());
  }

  public static ExtensionType decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ExtensionType::decode);
  }

  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "unknown") + String.format("(0x%04x)", code);
  }
}
