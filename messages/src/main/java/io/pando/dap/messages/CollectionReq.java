package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4.6.1 {@code CollectionReq} ({@link MediaTypes#COLLECT_REQ}).
 *
 * <pre>
 * struct {
 *   Query query;
 *   opaque agg_param&lt;0..2^32-1&gt;;
 * } CollectionReq;
 * </pre>
 *
 * @param <Q> the task's query type
 */
public record CollectionReq<Q extends QueryType>(Query<Q> query, byte[] aggregationParameter)
    implements Encodable {
  public CollectionReq {
    Objects.requireNonNull(query, "query");
    aggregationParameter = Wire.copy(aggregationParameter, "agg_param");
  }

  /** The encoded VDAF aggregation parameter (a copy). */
  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  public Q queryType() {
    return query.queryType();
  }

  @Override
  public void encode(Encoder encoder) {
    query.encode(encoder);
    encoder.opaque32(aggregationParameter);
  }

  /** Reads a request of either query type. */
  public static CollectionReq<?> decode(Decoder decoder) throws DecodeException {
    return decodeRest(decoder, Query.decode(decoder));
  }

  /** Reads a request and fails unless its query type is {@code queryType}. */
  public static <Q extends QueryType> CollectionReq<Q> decode(Decoder decoder, Q queryType)
      throws DecodeException {
    return decodeRest(decoder, Query.decode(decoder, queryType));
  }

  public static CollectionReq<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, CollectionReq::decode);
  }

  public static <Q extends QueryType> CollectionReq<Q> decode(byte[] encoded, Q queryType)
      throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static <Q extends QueryType> CollectionReq<Q> decodeRest(Decoder decoder, Query<Q> query)
      throws DecodeException {
    return new CollectionReq<>(query, decoder.opaque32());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionReq<?> r
        && query.equals(r.query)
        && Arrays.equals(aggregationParameter, r.aggregationParameter);
  }

  @Override
  public int hashCode() {
    return 31 * query.hashCode() + Arrays.hashCode(aggregationParameter);
  }

  @Override
  public String toString() {
    return "CollectionReq[query=" + query + ", aggregationParameter="
        + Wire.summary(aggregationParameter) + "]";
  }
}
