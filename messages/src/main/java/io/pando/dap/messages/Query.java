package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.1 {@code Query}: the Collector's choice of batch.
 *
 * <pre>
 * struct {
 *   QueryType query_type;
 *   select (Query.query_type) {
 *     case time_interval: Interval batch_interval;
 *     case fixed_size: FixedSizeQuery fixed_size_query;
 *   }
 * } Query;
 * </pre>
 *
 * @param <Q> the query type, {@link QueryType.TimeInterval} or {@link QueryType.FixedSize}
 */
public sealed interface Query<Q extends QueryType> extends Encodable
    permits Query.TimeInterval, Query.FixedSize {

  Q queryType();

  static TimeInterval timeInterval(Interval batchInterval) {
    return new TimeInterval(batchInterval);
  }

  static FixedSize byBatchId(BatchId batchId) {
    return new FixedSize(FixedSizeQuery.byBatchId(batchId));
  }

  static FixedSize currentBatch() {
    return new FixedSize(FixedSizeQuery.currentBatch());
  }

  /** Reads a query of either query type. */
  static Query<?> decode(Decoder decoder) throws DecodeException {
    return decodeBody(decoder, QueryType.decode(decoder));
  }

  /** Reads a query and fails unless its query type is {@code queryType}. */
  static <Q extends QueryType> Query<Q> decode(Decoder decoder, Q queryType)
      throws DecodeException {
    QueryType.decodeExpecting(decoder, queryType);
    @SuppressWarnings("unchecked") // the body decoded for queryType is a Query<Q>
    Query<Q> query = (Query<Q>) decodeBody(decoder, queryType);
    return query;
  }

  static Query<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Query::decode);
  }

  static <Q extends QueryType> Query<Q> decode(byte[] encoded, Q queryType)
      throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static Query<?> decodeBody(Decoder decoder, QueryType queryType)
      throws DecodeException {
    if (queryType instanceof QueryType.TimeInterval) {
      return new TimeInterval(Interval.decode(decoder));
    }
    return new FixedSize(FixedSizeQuery.decode(decoder));
  }

  /** A time-interval query: the batch interval. */
  record TimeInterval(Interval batchInterval) implements Query<QueryType.TimeInterval> {
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

  /** A fixed-size query: by batch ID or for the current batch. */
  record FixedSize(FixedSizeQuery fixedSizeQuery) implements Query<QueryType.FixedSize> {
    public FixedSize {
      Objects.requireNonNull(fixedSizeQuery, "fixedSizeQuery");
    }

    @Override
    public QueryType.FixedSize queryType() {
      return QueryType.FIXED_SIZE;
    }

    @Override
    public void encode(Encoder encoder) {
      QueryType.FIXED_SIZE.encode(encoder);
      fixedSizeQuery.encode(encoder);
    }
  }
}
