package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Optional;

/**
 * DAP-09 §4.1 {@code enum QueryType}: how a task groups reports into batches.
 *
 * <pre>
 * enum { reserved(0), time_interval(1), fixed_size(2), (255) } QueryType;
 * </pre>
 *
 * There are exactly two instances, {@link #TIME_INTERVAL} and {@link #FIXED_SIZE}, each of its own
 * class. The messages that depend on the query type ({@link Query}, {@link PartialBatchSelector},
 * {@link BatchSelector} and those holding them) take the class as a type parameter, so a
 * fixed-size selector cannot end up in a time-interval message. Decoding rejects {@code
 * reserved(0)} and unassigned codepoints.
 */
public abstract sealed class QueryType implements Encodable
    permits QueryType.TimeInterval, QueryType.FixedSize {
  /** {@code time_interval(1)} (§4.1.1): batches are time intervals chosen by the Collector. */
  public static final TimeInterval TIME_INTERVAL = new TimeInterval();

  /** {@code fixed_size(2)} (§4.1.2): batches are identified by Leader-chosen batch IDs. */
  public static final FixedSize FIXED_SIZE = new FixedSize();

  private final int code;
  private final String draftName;

  private QueryType(int code, String draftName) {
    this.code = code;
    this.draftName = draftName;
  }

  /** The wire codepoint. */
  public final int code() {
    return code;
  }

  /** The draft's name: {@code time_interval} or {@code fixed_size}. */
  public final String draftName() {
    return draftName;
  }

  /** The query type with this codepoint; empty for {@code reserved(0)} and unassigned values. */
  public static Optional<QueryType> fromCode(int code) {
    if (code == TIME_INTERVAL.code()) {
      return Optional.of(TIME_INTERVAL);
    }
    if (code == FIXED_SIZE.code()) {
      return Optional.of(FIXED_SIZE);
    }
    return Optional.empty();
  }

  @Override
  public final void encode(Encoder encoder) {
    encoder.u8(code);
  }

  /** Reads a query type codepoint. */
  public static QueryType decode(Decoder decoder) throws DecodeException {
    int code = decoder.u8();
    return fromCode(code).orElseThrow(() -> new DecodeException("unknown QueryType " + code));
  }

  public static QueryType decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, QueryType::decode);
  }

  /** Reads a query type codepoint and fails unless it is {@code expected}. */
  static <Q extends QueryType> Q decodeExpecting(Decoder decoder, Q expected)
      throws DecodeException {
    QueryType actual = decode(decoder);
    if (actual != expected) {
      throw new DecodeException("query type " + actual + " where " + expected + " was expected");
    }
    return expected;
  }

  @Override
  public final String toString() {
    return draftName;
  }

  /** The type of {@link QueryType#TIME_INTERVAL}. */
  public static final class TimeInterval extends QueryType {
    private TimeInterval() {
      super(1, "time_interval");
    }
  }

  /** The type of {@link QueryType#FIXED_SIZE}. */
  public static final class FixedSize extends QueryType {
    private FixedSize() {
      super(2, "fixed_size");
    }
  }
}
