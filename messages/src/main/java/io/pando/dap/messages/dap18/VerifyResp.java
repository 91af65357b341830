package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-18 §4.5.3.2 {@code VerifyResp} (DAP-09's {@code PrepareResp}): the Helper's answer for one
 * report.
 *
 * <pre>
 * enum { continue(0), finish(1), reject(2), (255) } VerifyRespType;
 *
 * struct {
 *   ReportID report_id;
 *   VerifyRespType verify_resp_type;
 *   select (VerifyResp.verify_resp_type) {
 *     case continue: opaque payload&lt;1..2^32-1&gt;;
 *     case finish:   Empty;
 *     case reject:   ReportError report_error;
 *   };
 * } VerifyResp;
 * </pre>
 *
 * Any other type byte is rejected; a {@code continue} payload must be non-empty.
 */
public record VerifyResp(ReportId reportId, Result result) implements Encodable {
  public VerifyResp {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(result, "result");
  }

  public static VerifyResp continueWith(ReportId reportId, byte[] payload) {
    return new VerifyResp(reportId, new Continue(payload));
  }

  public static VerifyResp finish(ReportId reportId) {
    return new VerifyResp(reportId, Finish.INSTANCE);
  }

  public static VerifyResp reject(ReportId reportId, ReportError error) {
    return new VerifyResp(reportId, new Reject(error));
  }

  @Override
  public void encode(Encoder encoder) {
    reportId.encode(encoder);
    encoder.u8(result.type());
    result.encodeBody(encoder);
  }

  public static VerifyResp decode(Decoder decoder) throws DecodeException {
    ReportId id = ReportId.decode(decoder);
    int type = decoder.u8();
    Result result = switch (type) {
      case Continue.TYPE -> new Continue(Wire.opaque32(decoder, 1, "payload"));
      case Finish.TYPE -> Finish.INSTANCE;
      case Reject.TYPE -> new Reject(ReportError.decode(decoder));
      default -> throw new DecodeException("unknown VerifyRespType " + type);
    };
    return new VerifyResp(id, result);
  }

  public static VerifyResp decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, VerifyResp::decode);
  }

  /** The {@code verify_resp_type} and what it selects. */
  public sealed interface Result permits Continue, Finish, Reject {
    /** The {@code VerifyRespType} codepoint. */
    int type();

    void encodeBody(Encoder encoder);
  }

  /** {@code continue(0)}: the Helper's next ping-pong message. */
  public record Continue(byte[] payload) implements Result {
    static final int TYPE = 0;

    public Continue {
      payload = Wire.copy(payload, "payload", 1, Integer.MAX_VALUE);
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void encodeBody(Encoder encoder) {
      encoder.opaque32(payload);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Continue c && Arrays.equals(payload, c.payload);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "Continue[payload=" + Wire.summary(payload) + "]";
    }
  }

  /** {@code finish(1)}: verification finished; no body. */
  public record Finish() implements Result {
    static final int TYPE = 1;
    static final Finish INSTANCE = new Finish();

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void encodeBody(Encoder encoder) {}
  }

  /** {@code reject(2)}: the report was rejected for {@code error}. */
  public record Reject(ReportError error) implements Result {
    static final int TYPE = 2;

    public Reject {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public int type() {
      return TYPE;
    }

    @Override
    public void encodeBody(Encoder encoder) {
      error.encode(encoder);
    }
  }
}
