package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import java.util.Locale;
import java.util.Optional;

/**
 * DAP-18 §5 {@code enum BatchMode} (DAP-09's {@code QueryType}, renamed; {@code fixed_size}
 * became {@code leader_selected}).
 *
 * <pre>
 * enum { reserved(0), time_interval(1), leader_selected(2), (255) } BatchMode;
 * </pre>
 *
 * Decoding rejects {@code reserved(0)} and unassigned codepoints.
 */
public enum BatchMode implements Encodable {
  /** §5.1: batches are time intervals chosen by the Collector. */
  TIME_INTERVAL(1),
  /** §5.2: batches are identified by Leader-chosen batch IDs. */
  LEADER_SELECTED(2);

  private final int code;

  BatchMode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The draft's name: {@code time_interval} or {@code leader_selected}. */
  public String draftName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<BatchMode> fromCode(int code) {
    for (BatchMode m : values()) {
      if (m.code == code) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u8(code);
  }

  public static BatchMode decode(Decoder decoder) throws DecodeException {
    int code = decoder.u8();
    return fromCode(code).orElseThrow(() -> new DecodeException("unknown BatchMode " + code));
  }

  public static BatchMode decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, BatchMode::decode);
  }
}
