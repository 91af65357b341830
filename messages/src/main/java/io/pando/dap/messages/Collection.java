package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.6.1 {@code Collection} ({@link MediaTypes#COLLECTION}): the result of a finished
 * collection job.
 *
 * <pre>
 * struct {
 *   PartialBatchSelector part_batch_selector;
 *   uint64 report_count;
 *   Interval interval;
 *   HpkeCiphertext leader_encrypted_agg_share;
 *   HpkeCiphertext helper_encrypted_agg_share;
 * } Collection;
 * </pre>
 *
 * {@code report_count} is limited to {@code [0, 2^63-1]}.
 *
 * @param <Q> the task's query type
 */
public record Collection<Q extends QueryType>(
    PartialBatchSelector<Q> partialBatchSelector,
    long reportCount,
    Interval interval,
    HpkeCiphertext leaderEncryptedAggregateShare,
    HpkeCiphertext helperEncryptedAggregateShare)
    implements Encodable {
  public Collection {
    Objects.requireNonNull(partialBatchSelector, "partialBatchSelector");
    Wire.requireNonNegative(reportCount, "report_count");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(leaderEncryptedAggregateShare, "leaderEncryptedAggregateShare");
    Objects.requireNonNull(helperEncryptedAggregateShare, "helperEncryptedAggregateShare");
  }

  public Q queryType() {
    return partialBatchSelector.queryType();
  }

  @Override
  public void encode(Encoder encoder) {
    partialBatchSelector.encode(encoder);
    encoder.u64(reportCount);
    interval.encode(encoder);
    leaderEncryptedAggregateShare.encode(encoder);
    helperEncryptedAggregateShare.encode(encoder);
  }

  /** Reads a collection of either query type. */
  public static Collection<?> decode(Decoder decoder) throws DecodeException {
    return decodeRest(decoder, PartialBatchSelector.decode(decoder));
  }

  /** Reads a collection and fails unless its query type is {@code queryType}. */
  public static <Q extends QueryType> Collection<Q> decode(Decoder decoder, Q queryType)
      throws DecodeException {
    return decodeRest(decoder, PartialBatchSelector.decode(decoder, queryType));
  }

  public static Collection<?> decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Collection::decode);
  }

  public static <Q extends QueryType> Collection<Q> decode(byte[] encoded, Q queryType)
      throws DecodeException {
    return Decoder.decodeAll(encoded, d -> decode(d, queryType));
  }

  private static <Q extends QueryType> Collection<Q> decodeRest(
      Decoder decoder, PartialBatchSelector<Q> selector) throws DecodeException {
    long reportCount = Wire.u63(decoder, "report_count");
    Interval interval = Interval.decode(decoder);
    HpkeCiphertext leader = HpkeCiphertext.decode(decoder);
    HpkeCiphertext helper = HpkeCiphertext.decode(decoder);
    return new Collection<>(selector, reportCount, interval, leader, helper);
  }
}
