package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4.4.3 {@code Extension}: a type-length-value upload extension.
 *
 * <pre>
 * struct {
 *   ExtensionType extension_type;
 *   opaque extension_data&lt;0..2^16-1&gt;;
 * } Extension;
 * </pre>
 */
public record Extension(ExtensionType extensionType, byte[] extensionData) implements Encodable {
  public Extension {
    Objects.requireNonNull(extensionType, "extensionType");
    extensionData = Wire.copy(extensionData, "extension_data", 0, Wire.U16_MAX);
  }

  /** The extension data (a copy). */
  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  int encodedLength() {
    return 2 + 2 + extensionData.length;
  }

  @Override
  public void encode(Encoder encoder) {
    extensionType.encode(encoder);
    encoder.opaque16(extensionData);
  }

  public static Extension decode(Decoder decoder) throws DecodeException {
    ExtensionType type = ExtensionType.decode(decoder);
    byte[] data = decoder.opaque16();
    return new Extension(type, data);
  }

  public static Extension decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Extension::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Extension x
        && extensionType.equals(x.extensionType)
        && Arrays.equals(extensionData, x.extensionData);
  }

  @Override
  public int hashCode() {
    return 31 * extensionType.hashCode() + Arrays.hashCode(extensionData);
  }

  @Override
  public String toString() {
    return "Extension[" + extensionType + ", data=" + Wire.summary(extensionData) + "]";
  }
}
