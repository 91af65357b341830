package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Map;

/**
 * An HPKE AEAD identifier (RFC 9180 §7.3), carried as DAP-09 §4.4.1 {@code uint16 HpkeAeadId}.
 *
 * <p>DAP-09 §4.4.1 leaves the set open ({@code uint16}, "defined in [HPKE]"), so any codepoint
 * decodes; {@link #isKnown()} tells the RFC 9180 values from the others. An {@code HpkeConfigList}
 * naming an algorithm this code does not know still parses, and a client skips that entry.
 */
public record HpkeAeadId(int code) implements Encodable {
  /** AES-128-GCM. */
  public static final HpkeAeadId AES_128_GCM = new HpkeAeadId(0x0001);

  /** AES-256-GCM. */
  public static final HpkeAeadId AES_256_GCM = new HpkeAeadId(0x0002);

  /** ChaCha20Poly1305. */
  public static final HpkeAeadId CHACHA20_POLY1305 = new HpkeAeadId(0x0003);

  /** Export-only (no AEAD; cannot seal DAP messages). */
  public static final HpkeAeadId EXPORT_ONLY = new HpkeAeadId(0xffff);

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x0001, "AES_128_GCM"),
          Map.entry(0x0002, "AES_256_GCM"),
          Map.entry(0x0003, "CHACHA20_POLY1305"),
          Map.entry(0xffff, "EXPORT_ONLY"));

  public HpkeAeadId {
    Wire.requireRange(code, 0, Wire.U16_MAX, "HpkeAeadId");
  }

  public static HpkeAeadId of(int code) {
    return new HpkeAeadId(code);
  }

  /** Whether RFC 9180 §7 assigns this codepoint. */
  public boolean isKnown() {
    return NAMES.containsKey(code);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(code);
  }

  public static HpkeAeadId decode(Decoder decoder) throws DecodeException {
    return new HpkeAeadId(decoder.u16());
  }

  public static HpkeAeadId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkeAeadId::decode);
  }

  /**
   * The RFC 9180 name and codepoint, e.g. {@code AES_128_GCM(0x0001)}; unassigned codepoints
   * print as {@code unknown(0x…)}.
   */
  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "unknown") + String.format("(0x%04x)", code);
  }
}
