package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Locale;
import java.util.Optional;

/**
 * DAP-09 §4.5.1.2 {@code enum PrepareError}: why an aggregator rejected a report.
 *
 * <p>Decoding accepts exactly the ten codepoints DAP-09 lists; any other value is rejected, as the
 * draft's enum is closed for this version (new values would come with a new draft and media
 * types).
 */
public enum PrepareError implements Encodable {
  BATCH_COLLECTED(0),
  REPORT_REPLAYED(1),
  REPORT_DROPPED(2),
  HPKE_UNKNOWN_CONFIG_ID(3),
  HPKE_DECRYPT_ERROR(4),
  VDAF_PREP_ERROR(5),
  BATCH_SATURATED(6),
  TASK_EXPIRED(7),
  INVALID_MESSAGE(8),
  REPORT_TOO_EARLY(9);

  private final int code;

  PrepareError(int code) {
    this.code = code;
  }

  /** The wire codepoint. */
  public int code() {
    return code;
  }

  /** The draft's name, e.g. {@code hpke_decrypt_error}. */
  public String draftName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PrepareError> fromCode(int code) {
    for (PrepareError e : values()) {
      if (e.code == code) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u8(code);
  }

  public static PrepareError decode(Decoder decoder) throws DecodeException {
    int code = decoder.u8();
    return fromCode(code).orElseThrow(() -> new DecodeException("unknown PrepareError " + code));
  }

  public static PrepareError decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PrepareError::decode);
  }
}
