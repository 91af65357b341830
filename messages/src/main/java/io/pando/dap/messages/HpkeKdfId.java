package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Map;

/**
 * An HPKE KDF identifier (RFC 9180 §7.2), carried as DAP-09 §4.4.1 {@code uint16 HpkeKdfId}.
 *
 * <p>DAP-09 §4.4.1 leaves the set open ({@code uint16}, "defined in [HPKE]"), so any codepoint
 * decodes; {@link #isKnown()} tells the RFC 9180 values from the others. An {@code HpkeConfigList}
 * naming an algorithm this code does not know still parses, and a client skips that entry.
 */
public record HpkeKdfId(int code) implements Encodable {
  /** HKDF-SHA256. */
  public static final HpkeKdfId HKDF_SHA256 = new HpkeKdfId(0x0001);

  /** HKDF-SHA384. */
  public static final HpkeKdfId HKDF_SHA384 = new HpkeKdfId(0x0002);

  /** HKDF-SHA512. */
  public static final HpkeKdfId HKDF_SHA512 = new HpkeKdfId(0x0003);

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x0001, "HKDF_SHA256"),
          Map.entry(0x0002, "HKDF_SHA384"),
          Map.entry(0x0003, "HKDF_SHA512"));

  public HpkeKdfId {
    Wire.requireRange(code, 0, Wire.U16_MAX, "HpkeKdfId");
  }

  public static HpkeKdfId of(int code) {
    return new HpkeKdfId(code);
  }

  /** Whether RFC 9180 §7 assigns this codepoint. */
  public boolean isKnown() {
    return NAMES.containsKey(code);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(code);
  }

  public static HpkeKdfId decode(Decoder decoder) throws DecodeException {
    return new HpkeKdfId(decoder.u16());
  }

  public static HpkeKdfId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkeKdfId::decode);
  }

  /**
   * The RFC 9180 name and codepoint, e.g. {@code HKDF_SHA256(0x0001)}; unassigned codepoints
   * print as {@code unknown(0x…)}.
   */
  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "unknown") + String.format("(0x%04x)", code);
  }
}
