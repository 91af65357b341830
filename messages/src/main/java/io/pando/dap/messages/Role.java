package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Optional;

/**
 * DAP-09 §4 {@code enum Role}, a closed set of one-byte codepoints. Used in HPKE application
 * info strings (§4.4.2, §4.6.4).
 */
public enum Role implements Encodable {
  COLLECTOR(0),
  CLIENT(1),
  LEADER(2),
  HELPER(3);

  private final int code;

  Role(int code) {
    this.code = code;
  }

  /** The wire codepoint. */
  public int code() {
    return code;
  }

  /** Whether this role is one of the two aggregators. */
  public boolean isAggregator() {
    return this == LEADER || this == HELPER;
  }

  public static Optional<Role> fromCode(int code) {
    for (Role r : values()) {
      if (r.code == code) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u8(code);
  }

  /** Reads a role; any codepoint other than 0 to 3 is rejected. */
  public static Role decode(Decoder decoder) throws DecodeException {
    int code = decoder.u8();
    return fromCode(code).orElseThrow(() -> new DecodeException("unknown Role " + code));
  }

  public static Role decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Role::decode);
  }
}
