package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.List;

/**
 * DAP-18 §4.4.2 {@code PlaintextInputShare}: what an input share ciphertext opens to.
 *
 * <pre>
 * struct {
 *   Extension private_extensions&lt;0..2^16-1&gt;;
 *   opaque payload&lt;1..2^32-1&gt;;
 * } PlaintextInputShare;
 * </pre>
 *
 * The payload must be non-empty (DAP-09 allowed an empty one). Extensions decode in any order,
 * as in {@link ReportMetadata}.
 */
public record PlaintextInputShare(List<Extension> privateExtensions, byte[] payload)
    implements Encodable {
  public PlaintextInputShare {
    privateExtensions = Wire.copy(privateExtensions, "privateExtensions");
    payload = Wire.copy(payload, "payload", 1, Integer.MAX_VALUE);
  }

  /** The VDAF input share (a copy). */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.list16(privateExtensions, (e, x) -> x.encode(e));
    encoder.opaque32(payload);
  }

  public static PlaintextInputShare decode(Decoder decoder) throws DecodeException {
    List<Extension> extensions = decoder.list16(Extension::decode);
    byte[] payload = Wire.opaque32(decoder, 1, "payload");
    return new PlaintextInputShare(extensions, payload);
  }

  public static PlaintextInputShare decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PlaintextInputShare::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlaintextInputShare p
        && privateExtensions.equals(p.privateExtensions)
        && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return 31 * privateExtensions.hashCode() + Arrays.hashCode(payload);
  }

  /** Never shows the input share. */
  @Override
  public String toString() {
    return "PlaintextInputShare[privateExtensions=" + privateExtensions.size() + ", payload="
        + Wire.summary(payload) + "]";
  }
}
