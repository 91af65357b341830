package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.List;

/**
 * DAP-18 §4.6.2 {@code CollectionJobExtension}: a type-length-value collection job extension of a
 * {@link CollectionJobReq}.
 *
 * <pre>
 * struct {
 *   CollectionJobExtensionType extension_type;    // uint16
 *   opaque extension_data&lt;0..2^16-1&gt;;
 * } CollectionJobExtension;
 * </pre>
 *
 * Any type decodes, so that an unknown one can be answered with {@code unsupportedExtension};
 * {@link
 * #strictlyIncreasing} checks the order the draft requires (a disorder is answered with {@code
 * invalidExtension}).
 */
public record CollectionJobExtension(int extensionType, byte[] extensionData) implements Encodable {
  /** {@code reserved(0)}, the only codepoint draft-18 registers. */
  public static final int RESERVED = 0x0000;

  public CollectionJobExtension {
    Wire.requireRange(extensionType, 0, Wire.U16_MAX, "extension_type");
    extensionData = Wire.copy(extensionData, "extension_data", 0, Wire.U16_MAX);
  }

  /** The extension data (a copy). */
  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  /** Whether the list's types are strictly increasing (sorted, each type at most once). */
  public static boolean strictlyIncreasing(List<CollectionJobExtension> extensions) {
    return Wire.strictlyIncreasing(extensions, CollectionJobExtension::extensionType);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(extensionType);
    encoder.opaque16(extensionData);
  }

  public static CollectionJobExtension decode(Decoder decoder) throws DecodeException {
    int type = decoder.u16();
    byte[] data = decoder.opaque16();
    return new CollectionJobExtension(type, data);
  }

  public static CollectionJobExtension decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, CollectionJobExtension::decode);
  }

  /** Reads {@code CollectionJobExtension extensions<0..2^16-1>}. */
  static List<CollectionJobExtension> decodeList(Decoder decoder) throws DecodeException {
    return decoder.list16(CollectionJobExtension::decode);
  }

  static void encodeList(Encoder encoder, List<CollectionJobExtension> extensions) {
    encoder.list16(extensions, (e, x) -> x.encode(e));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionJobExtension x
        && extensionType == x.extensionType
        && Arrays.equals(extensionData, x.extensionData);
  }

  @Override
  public int hashCode() {
    return 31 * extensionType + Arrays.hashCode(extensionData);
  }

  @Override
  public String toString() {
    return "CollectionJobExtension[type=" + String.format("0x%04x", extensionType) + ", data="
        + Wire.summary(extensionData) + "]";
  }
}
