package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The state-dependent part of a DAP-09 §4.5.1.2 {@code PrepareResp}: the {@code
 * PrepareRespState} byte and what it selects.
 *
 * <pre>
 * enum { continue(0), finished(1), reject(2), (255) } PrepareRespState;
 *
 * select (PrepareResp.prepare_resp_state) {
 *   case continue: opaque payload&lt;0..2^32-1&gt;;
 *   case finished: Empty;
 *   case reject:   PrepareError prepare_error;
 * };
 * </pre>
 *
 * Any other state byte is rejected.
 */
public sealed interface PrepareStepResult extends Encodable
    permits PrepareStepResult.Continue, PrepareStepResult.Finished, PrepareStepResult.Reject {

  /** The {@code PrepareRespState} codepoint. */
  int state();

  static Continue continueWith(byte[] payload) {
    return new Continue(payload);
  }

  static Finished finished() {
    return Finished.INSTANCE;
  }

  static Reject reject(PrepareError error) {
    return new Reject(error);
  }

  static PrepareStepResult decode(Decoder decoder) throws DecodeException {
    int state = decoder.u8();
    switch (state) {
      case Continue.STATE:
        return new Continue(decoder.opaque32());
      case Finished.STATE:
        return Finished.INSTANCE;
      case Reject.STATE:
        return new Reject(PrepareError.decode(decoder));
      default:
        throw new DecodeException("unknown PrepareRespState " + state);
    }
  }

  static PrepareStepResult decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PrepareStepResult::decode);
  }

  /** {@code continue(0)}: the next encoded ping-pong message. */
  record Continue(byte[] payload) implements PrepareStepResult {
    static final int STATE = 0;

    public Continue {
      payload = Wire.copy(payload, "payload");
    }

    /** The encoded ping-pong message (a copy). */
    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public int state() {
      return STATE;
    }

    @Override
    public void encode(Encoder encoder) {
      encoder.u8(STATE);
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

  /** {@code finished(1)}: preparation finished; no payload. */
  record Finished() implements PrepareStepResult {
    static final int STATE = 1;
    static final Finished INSTANCE = new Finished();

    @Override
    public int state() {
      return STATE;
    }

    @Override
    public void encode(Encoder encoder) {
      encoder.u8(STATE);
    }
  }

  /** {@code reject(2)}: the report was rejected for {@code error}. */
  record Reject(PrepareError error) implements PrepareStepResult {
    static final int STATE = 2;

    public Reject {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public int state() {
      return STATE;
    }

    @Override
    public void encode(Encoder encoder) {
      encoder.u8(STATE);
      error.encode(encoder);
    }
  }
}
