package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.6.2 {@code BatchSelector}: the batch an aggregate share covers.
 *
 * <pre>
 * struct {
 *   QueryType query_type;
 *   select (BatchSelector.query_type) {
 *     case time_interval: Interval batch_interval;
 *     case fixed_size: BatchID batch_id;
 *   };
 * } BatchSelector;
 * </pre>
 *
 * @param <Q> the query type, {@link QueryType.TimeInterval} or {@link QueryType.FixedSize}
 */
public sealed interface BatchSelector<Q extends QueryType> extends Encodable
    permits BatchSelector.TimeInterval, BatchSelector.FixedSize {

  Q queryType();

  static TimeInterval timeInterval(Interval batchInterval) {
    return new TimeInterval(batchInterval);
  }

  static FixedSize fixedSize(BatchId batchId) {
    return new FixedSize(batchId);
  }

  /** Reads a selector of either query type. */
  static BatchSelector<?> decode(Decoder decoder) throws DecodeException {
    return decodeBody(decoder, QueryType.decode(decoder));
  }

  /** Reads a selector and fails unless its query type is {@code queryType}. */
  static <Q extends QueryType> BatchSelector<Q> decode(Decoder decoder, Q queryType)
      throws DecodeException {
    QueryType.decodeExpecting(decoder, queryType);
    @SuppressWarnings("unchecked") // the body decoded for queryType is a BatchSelector<Q>
    BatchSelector<Q> selector = (BatchSelector<Q>) decodeBody(decoder, queryType);
    return selector;
  }

  static BatchSelector<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, BatchSelector::decode);
  }

  static <Q extends QueryType> BatchSelector<Q> decode(byte[] encoded, Q queryType)
      throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static BatchSelector<?> decodeBody(Decoder decoder, QueryType queryType)
      throws DecodeException {
    if (queryType instanceof QueryType.TimeInterval) {
      return new TimeInterval(Interval.decode(decoder));
    }
    return new FixedSize(BatchId.decode(decoder));
  }

  /** A time-interval batch: the batch interval. */
  record TimeInterval(Interval batchInterval) implements BatchSelector<QueryType.TimeInterval> {
    public TimeInterval {
      Objects.requireNonNull(batchInterval, "batchInterval");
    }

    @Override
    public QueryType.TimeInterval queryType() {
      return QueryType.TIME_INTERVAL;
    }

    @Override
    public void encode(Encoder encoder) {
      QueryType.TIME_INTERVAL.encode(encoder);
      batchInterval.encode(encoder);
    }
  }

  /** A fixed-size batch: its batch ID. */
  record FixedSize(BatchId batchId) implements BatchSelector<QueryType.FixedSize> {
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
