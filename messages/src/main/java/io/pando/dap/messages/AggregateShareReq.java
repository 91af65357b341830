package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4.6.2 {@code AggregateShareReq} ({@link MediaTypes#AGGREGATE_SHARE_REQ}).
 *
 * <pre>
 * struct {
 *   BatchSelector batch_selector;
 *   opaque agg_param&lt;0..2^32-1&gt;;
 *   uint64 report_count;
 *   opaque checksum[32];
 * } AggregateShareReq;
 * </pre>
 *
 * {@code report_count} is limited to {@code [0, 2^63-1]}.
 *
 * @param <Q> the task's query type
 */
public record AggregateShareReq<Q extends QueryType>(
    BatchSelector<Q> batchSelector,
    byte[] aggregationParameter,
    long reportCount,
    ReportIdChecksum checksum)
    implements Encodable {
  public AggregateShareReq {
    Objects.requireNonNull(batchSelector, "batchSelector");
    aggregationParameter = Wire.copy(aggregationParameter, "agg_param");
    Wire.requireNonNegative(reportCount, "report_count");
    Objects.requireNonNull(checksum, "checksum");
  }

  /** The encoded VDAF aggregation parameter (a copy). */
  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  public Q queryType() {
    return batchSelector.queryType();
  }

  @Override
  public void encode(Encoder encoder) {
    batchSelector.encode(encoder);
    encoder.opaque32(aggregationParameter);
    encoder.u64(reportCount);
    checksum.encode(encoder);
  }

  /** Reads a request of either query type. */
  public static AggregateShareReq<?> decode(Decoder decoder) throws DecodeException {
    return decodeRest(decoder, BatchSelector.decode(decoder));
  }

  /** Reads a request and fails unless its query type is {@code queryType}. */
  public static <Q extends QueryType> AggregateShareReq<Q> decode(Decoder decoder, Q queryType)
      throws DecodeException {
    return decodeRest(decoder, BatchSelector.decode(decoder, queryType));
  }

  public static AggregateShareReq<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregateShareReq::decode);
  }

  public static <Q extends QueryType> AggregateShareReq<Q> decode(byte[] encoded, Q queryType)
      throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static <Q extends QueryType> AggregateShareReq<Q> decodeRest(
      Decoder decoder, BatchSelector<Q> selector) throws DecodeException {
    byte[] aggParam = decoder.opaque32();
    long reportCount = Wire.u63(decoder, "report_count");
    ReportIdChecksum checksum = ReportIdChecksum.decode(decoder);
    return new AggregateShareReq<>(selector, aggParam, reportCount, checksum);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateShareReq<?> r
        && batchSelector.equals(r.batchSelector)
        && Arrays.equals(aggregationParameter, r.aggregationParameter)
        && reportCount == r.reportCount
        && checksum.equals(r.checksum);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        batchSelector, Arrays.hashCode(aggregationParameter), reportCount, checksum);
  }

  @Override
  public String toString() {
    return "AggregateShareReq[batchSelector=" + batchSelector + ", aggregationParameter="
        + Wire.summary(aggregationParameter) + ", reportCount=" + reportCount + ", checksum="
        + checksum + "]";
  }
}
