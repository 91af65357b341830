package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Map;

/**
 * An HPKE KEM identifier (RFC 9180 §7.1), carried as DAP-09 §4.4.1 {@code uint16 HpkeKemId}.
 *
 * <p>DAP-09 §4.4.1 leaves the set open ({@code uint16}, "defined in [HPKE]"), so any codepoint
 * decodes; {@link #isKnown()} tells the RFC 9180 values from the others. An {@code HpkeConfigList}
 * naming an algorithm this code does not know still parses, and a client skips that entry.
 */
public record HpkeKemId(int code) implements Encodable {
  /** DHKEM(P-256, HKDF-SHA256). */
  public static final HpkeKemId P256_HKDF_SHA256 = new HpkeKemId(0x0010);

  /** DHKEM(P-384, HKDF-SHA384). */
  public static final HpkeKemId P384_HKDF_SHA384 = new HpkeKemId(0x0011);

  /** DHKEM(P-521, HKDF-SHA512). */
  public static final HpkeKemId P521_HKDF_SHA512 = new HpkeKemId(0x0012);

  /** DHKEM(X25519, HKDF-SHA256). */
  public static final HpkeKemId X25519_HKDF_SHA256 = new HpkeKemId(0x0020);

  /** DHKEM(X448, HKDF-SHA512). */
  public static final HpkeKemId X448_HKDF_SHA512 = new HpkeKemId(0x0021);

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x0010, "P256_HKDF_SHA256"),
          Map.entry(0x0011, "P384_HKDF_SHA384"),
          Map.entry(0x0012, "P521_HKDF_SHA512"),
          Map.entry(0x0020, "X25519_HKDF_SHA256"),
          Map.entry(0x0021, "X448_HKDF_SHA512"));

  public HpkeKemId {
    Wire.requireRange(code, 0, Wire.U16_MAX, "HpkeKemId");
  }

  public static HpkeKemId of(int code) {
    return new HpkeKemId(code);
  }

  /** Whether RFC 9180 §7 assigns this codepoint. */
  public boolean isKnown() {
    return NAMES.containsKey(code);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(code);
  }

  public static HpkeKemId decode(Decoder decoder) throws DecodeException {
    return new HpkeKemId(decoder.u16());
  }

  public static HpkeKemId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkeKemId::decode);
  }

  /**
   * The RFC 9180 name and codepoint, e.g. {@code X25519_HKDF_SHA256(0x0020)}; unassigned codepoints
   * print as {@code unknown(0x…)}.
   */
  @Override
  public String toString() {
    return NAMES.getOrDefault(code, "unknown") + String.format("(0x%04x)", code);
  }
}
