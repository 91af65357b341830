package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-09 §4.6.4 {@code AggregateShareAad}: the HPKE associated data of an encrypted aggregate
 * share.
 *
 * <pre>
 * struct {
 *   TaskID task_id;
 *   opaque agg_param&lt;0..2^32-1&gt;;
 *   BatchSelector batch_selector;
 * } AggregateShareAad;
 * </pre>
 *
 * @param <Q> the task's query type
 */
public record AggregateShareAad<Q extends QueryType>(
    TaskId taskId, byte[] aggregationParameter, BatchSelector<Q> batchSelector)
    implements Encodable {
  public AggregateShareAad {
    Objects.requireNonNull(taskId, "taskId");
    aggregationParameter = Wire.copy(aggregationParameter, "agg_param");
    Objects.requireNonNull(batchSelector, "batchSelector");
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
    taskId.encode(encoder);
    encoder.opaque32(aggregationParameter);
    batchSelector.encode(encoder);
  }

  /** Reads an AAD of either query type. */
  public static AggregateShareAad<?> decode(Decoder decoder) throws DecodeException {
    TaskId taskId = TaskId.decode(decoder);
    byte[] aggParam = decoder.opaque32();
    return of(taskId, aggParam, BatchSelector.decode(decoder));
  }

  /** Reads an AAD and fails unless its query type is {@code queryType}. */
  public static <Q extends QueryType> AggregateShareAad<Q> decode(Decoder decoder, Q queryType)
      throws DecodeException {
    TaskId taskId = TaskId.decode(decoder);
    byte[] aggParam = decoder.opaque32();
    return of(taskId, aggParam, BatchSelector.decode(decoder, queryType));
  }

  public static AggregateShareAad<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregateShareAad::decode);
  }

  public static <Q extends QueryType> AggregateShareAad<Q> decode(byte[] encoded, Q queryType)
      throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static <Q extends QueryType> AggregateShareAad<Q> of(
      TaskId taskId, byte[] aggParam, BatchSelector<Q> selector) {
    return new AggregateShareAad<>(taskId, aggParam, selector);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateShareAad<?> a
        && taskId.equals(a.taskId)
        && Arrays.equals(aggregationParameter, a.aggregationParameter)
        && batchSelector.equals(a.batchSelector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, Arrays.hashCode(aggregationParameter), batchSelector);
  }

  @Override
  public String toString() {
    return "AggregateShareAad[taskId=" + taskId + ", aggregationParameter="
        + Wire.summary(aggregationParameter) + ", batchSelector=" + batchSelector + "]";
  }
}
