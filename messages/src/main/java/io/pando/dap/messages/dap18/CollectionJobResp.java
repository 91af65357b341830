package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.Wire;
import java.util.Objects;

/**
 * DAP-18 §4.6.1 {@code CollectionJobResp} ({@link MediaTypes#COLLECTION_JOB_RESP}): a finished
 * collection job. DAP-09's {@code Collection} without the partial batch selector.
 *
 * <pre>
 * struct {
 *   uint64 report_count;
 *   Interval interval;
 *   HpkeCiphertext leader_encrypted_agg_share;
 *   HpkeCiphertext helper_encrypted_agg_share;
 * } CollectionJobResp;
 * </pre>
 *
 * {@code interval} is in time-precision units; {@code report_count} is limited to {@code [0,
 * 2^63-1]}.
 */
public record CollectionJobResp(
    long reportCount,
    Interval interval,
    HpkeCiphertext leaderEncryptedAggregateShare,
    HpkeCiphertext helperEncryptedAggregateShare)
    implements Encodable {
  public CollectionJobResp {
    Wire.requireNonNegative(reportCount, "report_count");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(leaderEncryptedAggregateShare, "leaderEncryptedAggregateShare");
    Objects.requireNonNull(helperEncryptedAggregateShare, "helperEncryptedAggregateShare");
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u64(reportCount);
    interval.encode(encoder);
    leaderEncryptedAggregateShare.encode(encoder);
    helperEncryptedAggregateShare.encode(encoder);
  }

  public static CollectionJobResp decode(Decoder decoder) throws DecodeException {
    long count = Wire.u63(decoder, "report_count");
    Interval interval = Interval.decode(decoder);
    HpkeCiphertext leader = HpkeCiphertext.decode(decoder);
    HpkeCiphertext helper = HpkeCiphertext.decode(decoder);
    return new CollectionJobResp(count, interval, leader, helper);
  }

  public static CollectionJobResp decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, CollectionJobResp::decode);
  }
}
