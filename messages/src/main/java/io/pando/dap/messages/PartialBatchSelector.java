package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.5.1.1 {@code PartialBatchSelector}: what an aggregation job or a collection says about
 * its batch.
 *
 * <pre>
 * struct {
 *   QueryType query_type;
 *   select (PartialBatchSelector.query_type) {
 *     case time_interval: Empty;
 *     case fixed_size: BatchID batch_id;
 *   };
 * } PartialBatchSelector;
 * </pre>
 *
 * @param <Q> the query type, {@link QueryType.TimeInterval} or {@link QueryType.FixedSize}
 */
public sealed interface PartialBatchSelector<Q extends QueryType> extends Encodable
    permits PartialBatchSelector.TimeInterval, PartialBatchSelector.FixedSize {

  Q queryType();

  static TimeInterval timeInterval() {
    return TimeInterval.INSTANCE;
  }

  static FixedSize fixedSize(BatchId batchId) {
    return new FixedSize(batchId);
  }

  /** Reads a selector of either query type. */
  static PartialBatchSelector<?> decode(Decoder decoder) throws DecodeException {
    return decodeBody(decoder, QueryType.decode(decoder));
  }

  /** Reads a selector and fails unless its query type is {@code queryType}. */
  static <Q extends QueryType> PartialBatchSelector<Q> decode(Decoder decoder, Q queryType)
      throws DecodeException {
    QueryType.decodeExpecting(decoder, queryType);
    @SuppressWarnings("unchecked") // the body decoded for queryType is a PartialBatchSelector<Q>
    PartialBatchSelector<Q> selector = (PartialBatchSelector<Q>) decodeBody(decoder, queryType);
    return selector;
  }

  static PartialBatchSelector<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, PartialBatchSelector::decode);
  }

  static <Q extends QueryType> PartialBatchSelector<Q> decode(byte[] encoded, Q queryType)
      throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static PartialBatchSelector<?> decodeBody(Decoder decoder, QueryType queryType)
      throws DecodeException {
    if (queryType instanceof QueryType.TimeInterval) {
      return TimeInterval.INSTANCE;
    }
    return new FixedSize(BatchId.decode(decoder));
  }

  /** The time-interval selector; it carries nothing. */
  record TimeInterval() implements PartialBatchSelector<QueryType.TimeInterval> {
    static final TimeInterval INSTANCE = new TimeInterval();

    @Override
    public QueryType.TimeInterval queryType() {
      return QueryType.TIME_INTERVAL;
    }

    @Override
    public void encode(Encoder encoder) {
      QueryType.TIME_INTERVAL.encode(encoder);
    }
  }

  /** The fixed-size selector: the batch the job or collection belongs to. */
  record FixedSize(BatchId batchId) implements PartialBatchSelector<QueryType.FixedSize> {
    public FixedSize {
      Objects.requireNonNull(batchId, "batchId");
    }

    @Override
    public QueryType.FixedSize queryType() {
      return QueryType.FIXED_SIZE;
    }

    @Override
    public void encode(Encoder encoder) {
      QueryType.FIXED_SIZE.encode(encoder);
      batchId.encode(encoder);
    }
  }
}
