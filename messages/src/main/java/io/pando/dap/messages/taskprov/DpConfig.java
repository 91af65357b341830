package io.pando.dap.messages.taskprov;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import java.util.Arrays;

/**
 * draft-wang-ppm-dap-taskprov-06 §3 {@code DpConfig}: the differential privacy mechanism.
 *
 * <pre>
 * enum { reserved(0), none(1), (255) } DpMechanism;
 *
 * struct {
 *   DpMechanism dp_mechanism;
 *   select (DpConfig.dp_mechanism) {
 *     case none: Empty;
 *   }
 * } DpConfig;
 * </pre>
 *
 * The draft defines no mechanism with parameters, so for {@code reserved} and {@code none} the
 * payload is empty; any other codepoint keeps the rest of the (length-prefixed) encoding as an
 * uninterpreted payload, so that a peer can refuse it by name rather than fail to decode it.
 */
public record DpConfig(int dpMechanism, byte[] payload) implements Encodable {
  public static final int RESERVED = 0;
  public static final int NONE = 1;

  /** {@code none(1)}: no differential privacy. */
  public static final DpConfig NO_DP = new DpConfig(NONE, new byte[0]);

  public DpConfig {
    Codec.range(dpMechanism, 0, 0xff, "dp_mechanism");
    payload = payload.clone();
    if ((dpMechanism == RESERVED || dpMechanism == NONE) && payload.length != 0) {
      throw new IllegalArgumentException("dp_mechanism " + dpMechanism + " has no parameters");
    }
  }

  /** Whether this draft assigns the mechanism's codepoint. */
  public boolean isKnown() {
    return dpMechanism == RESERVED || dpMechanism == NONE;
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u8(dpMechanism);
    encoder.bytes(payload);
  }

  /** Reads a DpConfig that fills all of {@code d} (it sits in a length-prefixed field). */
  public static DpConfig decode(Decoder d) throws DecodeException {
    int mechanism = d.u8();
    byte[] rest = d.bytes(d.remaining());
    return Codec.build(() -> new DpConfig(mechanism, rest));
  }

  public static DpConfig decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, DpConfig::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DpConfig x && dpMechanism == x.dpMechanism
        && Arrays.equals(payload, x.payload);
  }

  @Override
  public int hashCode() {
    return 31 * dpMechanism + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "DpConfig[" + (dpMechanism == NONE ? "none" : dpMechanism == RESERVED ? "reserved"
        : "unknown(" + dpMechanism + ")") + "]";
  }
}
