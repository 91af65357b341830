package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * DAP-09 §4.5.1.1 {@code AggregationJobInitReq} ({@link MediaTypes#AGGREGATION_JOB_INIT_REQ}).
 *
 * <pre>
 * struct {
 *   opaque agg_param&lt;0..2^32-1&gt;;
 *   PartialBatchSelector part_batch_selector;
 *   PrepareInit prepare_inits&lt;1..2^32-1&gt;;
 * } AggregationJobInitReq;
 * </pre>
 *
 * An empty {@code prepare_inits} decodes, as in Janus 0.7; a Helper should answer it with {@code
 * invalidMessage} rather than a decode failure being the only guard.
 *
 * @param <Q> the task's query type
 */
public record AggregationJobInitReq<Q extends QueryType>(
    byte[] aggregationParameter,
    PartialBatchSelector<Q> partialBatchSelector,
    List<PrepareInit> prepareInits)
    implements Encodable {
  public AggregationJobInitReq {
    aggregationParameter = Wire.copy(aggregationParameter, "agg_param");
    Objects.requireNonNull(partialBatchSelector, "partialBatchSelector");
    prepareInits = Wire.copy(prepareInits, "prepareInits");
  }

  /** The encoded VDAF aggregation parameter (a copy). */
  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  public Q queryType() {
    return partialBatchSelector.queryType();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.opaque32(aggregationParameter);
    partialBatchSelector.encode(encoder);
    encoder.list32(prepareInits, (e, p) -> p.encode(e));
  }

  /** Reads a request of either query type. */
  public static AggregationJobInitReq<?> decode(Decoder decoder) throws DecodeException {
    byte[] aggParam = decoder.opaque32();
    return decodeRest(decoder, aggParam, PartialBatchSelector.decode(decoder));
  }

  /** Reads a request and fails unless its query type is {@code queryType}. */
  public static <Q extends QueryType> AggregationJobInitReq<Q> decode(
      Decoder decoder, Q queryType) throws DecodeException {
    byte[] aggParam = decoder.opaque32();
    return decodeRest(decoder, aggParam, PartialBatchSelector.decode(decoder, queryType));
  }

  public static AggregationJobInitReq<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobInitReq::decode);
  }

  public static <Q extends QueryType> AggregationJobInitReq<Q> decode(
      byte[] encoded, Q queryType) throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static <Q extends QueryType> AggregationJobInitReq<Q> decodeRest(
      Decoder decoder, byte[] aggParam, PartialBatchSelector<Q> selector) throws DecodeException {
    List<PrepareInit> inits = decoder.list32(PrepareInit::decode);
    return new AggregationJobInitReq<>(aggParam, selector, inits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJobInitReq<?> r
        && Arrays.equals(aggregationParameter, r.aggregationParameter)
        && partialBatchSelector.equals(r.partialBatchSelector)
        && prepareInits.equals(r.prepareInits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(aggregationParameter), partialBatchSelector, prepareInits);
  }

  @Override
  public String toString() {
    return "AggregationJobInitReq[aggregationParameter=" + Wire.summary(aggregationParameter)
        + ", partialBatchSelector=" + partialBatchSelector + ", prepareInits="
        + prepareInits.size() + " items]";
  }
}
