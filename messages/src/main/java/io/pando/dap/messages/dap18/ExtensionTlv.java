package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.List;

/**
 * The type-length-value shape DAP-18 gives the extensions of its three registries: {@link
 * TaskExtension} (§4.2.2), {@link AggregationJobExtension} (§4.5.1) and {@link
 * CollectionJobExtension} (§4.6.2).
 *
 * <pre>
 * struct {
 *   XExtensionType extension_type;    // uint16
 *   opaque extension_data&lt;0..2^16-1&gt;;
 * } XExtension;
 * </pre>
 *
 * Any type decodes, so that an unknown one can be answered with {@code unsupportedExtension}.
 */
public record ExtensionTlv(int extensionType, byte[] extensionData) implements Encodable {
  public ExtensionTlv {
    Wire.requireRange(extensionType, 0, Wire.U16_MAX, "extension_type");
    extensionData = Wire.copy(extensionData, "extension_data", 0, Wire.U16_MAX);
  }

  /** The extension data (a copy). */
  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(extensionType);
    encoder.opaque16(extensionData);
  }

  public static ExtensionTlv decode(Decoder decoder) throws DecodeException {
    int type = decoder.u16();
    byte[] data = decoder.opaque16();
    return new ExtensionTlv(type, data);
  }

  /**
   * Whether the list's types are strictly increasing (sorted, each type at most once), the order
   * DAP-18 requires of every extension list.
   */
  static <T extends Typed> boolean strictlyIncreasing(List<T> extensions) {
    return Wire.strictlyIncreasing(extensions, Typed::extensionType);
  }

  /** Writes {@code XExtension extensions<0..2^16-1>}. */
  static void encodeList(Encoder encoder, List<? extends Typed> extensions) {
    encoder.list16(extensions, (e, x) -> x.encode(e));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtensionTlv x
        && extensionType == x.extensionType
        && Arrays.equals(extensionData, x.extensionData);
  }

  @Override
  public int hashCode() {
    return 31 * extensionType + Arrays.hashCode(extensionData);
  }

  @Override
  public String toString() {
    return "[type=" + String.format("0x%04x", extensionType) + ", data="
        + Wire.summary(extensionData) + "]";
  }

  /** An extension of one registry, encoded as its {@link ExtensionTlv}. */
  public interface Typed extends Encodable {
    ExtensionTlv tlv();

    default int extensionType() {
      return tlv().extensionType();
    }

    /** The extension data (a copy). */
    default byte[] extensionData() {
      return tlv().extensionData();
    }

    @Override
    default void encode(Encoder encoder) {
      tlv().encode(encoder);
    }
  }
}
