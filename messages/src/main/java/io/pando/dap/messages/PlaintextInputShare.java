package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DAP-09 §4.4.2 {@code PlaintextInputShare}: what a client seals to each aggregator.
 *
 * <pre>
 * struct {
 *   Extension extensions&lt;0..2^16-1&gt;;
 *   opaque payload&lt;0..2^32-1&gt;;
 * } PlaintextInputShare;
 * </pre>
 *
 * Unknown and repeated extension types decode; rejecting them (§4.5.1.4) is the aggregator's job,
 * helped by {@link ExtensionType#isKnown()} and {@link #hasRepeatedExtensionType()}.
 */
public record PlaintextInputShare(List<Extension> extensions, byte[] payload) implements Encodable {
  public PlaintextInputShare {
    extensions = Wire.copy(extensions, "extensions");
    long length = 0;
    for (Extension x : extensions) {
      length += x.encodedLength();
    }
    if (length > Wire.U16_MAX) {
      throw new IllegalArgumentException("extensions encode to " + length + " > 65535 bytes");
    }
    payload = Wire.copy(payload, "payload");
  }

  /** The VDAF input share (a copy). */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Whether two extensions share a type, which §4.5.1.4 treats as {@code invalid_message}. */
  public boolean hasRepeatedExtensionType() {
    Set<ExtensionType> seen = new HashSet<>();
    for (Extension x : extensions) {
      if (!seen.add(x.extensionType())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.list16(extensions, (e, x) -> x.encode(e));
    encoder.opaque32(payload);
  }

  public static PlaintextInputShare decode(Decoder decoder) throws DecodeException {
    List<Extension> extensions = decoder.list16(Extension::decode);
    byte[] payload = decoder.opaque32();
    return new PlaintextInputShare(extensions, payload);
  }

  public static PlaintextInputShare decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PlaintextInputShare::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlaintextInputShare p
        && extensions.equals(p.extensions)
        && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return 31 * extensions.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "PlaintextInputShare[extensions=" + extensions + ", payload=" + Wire.summary(payload)
        + "]";
  }
}
