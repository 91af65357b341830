package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import java.util.Locale;
import java.util.Optional;

/**
 * DAP-18 §4.1 {@code enum ReportError}: why an aggregator rejected a report, at upload ({@link
 * ReportUploadStatus}) or in aggregation ({@link VerifyResp}). DAP-09's {@code PrepareError}
 * renumbered: {@code reserved(0)} comes first, {@code vdaf_prep_error} became {@code
 * vdaf_verify_error}, {@code batch_saturated} is gone, {@code task_not_started(10)} and {@code
 * outdated_config(11)} are new.
 *
 * <p>Decoding accepts exactly the codepoints 1 to 11 of the draft's registry (§9.2.6); {@code
 * reserved(0)} and unassigned values are rejected.
 */
public enum ReportError implements Encodable {
  BATCH_COLLECTED(1),
  REPORT_REPLAYED(2),
  REPORT_DROPPED(3),
  HPKE_UNKNOWN_CONFIG_ID(4),
  HPKE_DECRYPT_ERROR(5),
  VDAF_VERIFY_ERROR(6),
  TASK_EXPIRED(7),
  INVALID_MESSAGE(8),
  REPORT_TOO_EARLY(9),
  TASK_NOT_STARTED(10),
  OUTDATED_CONFIG(11);

  private final int code;

  ReportError(int code) {
    this.code = code;
  }

  /** The wire codepoint. */
  public int code() {
    return code;
  }

  /** The draft's name, e.g. {@code vdaf_verify_error}. */
  public String draftName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ReportError> fromCode(int code) {
    for (ReportError e : values()) {
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

  public static ReportError decode(Decoder decoder) throws DecodeException {
    int code = decoder.u8();
    return fromCode(code).orElseThrow(() -> new DecodeException("unknown ReportError " + code));
  }

  public static ReportError decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, ReportError::decode);
  }
}
