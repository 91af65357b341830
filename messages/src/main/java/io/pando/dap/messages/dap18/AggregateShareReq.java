package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.Wire;
import java.util.Objects;

/**
 * DAP-18 §4.6.4 {@code AggregateShareReq} ({@link MediaTypes#AGGREGATE_SHARE_REQ}): the body of
 * {@code POST {helper}/tasks/{task-id}/aggregate_shares}.
 *
 * <pre>
 * struct {
 *   CollectionJobReq collection_job_req;
 *   BatchSelector batch_selector;
 *   uint64 report_count;
 *   opaque checksum[32];
 * } AggregateShareReq;
 * </pre>
 *
 * DAP-09 sent the aggregation parameter alone; DAP-18 forwards the Collector's whole request, so
 * the Helper can bind it into {@link AggregateShareAad}. The checksum reuses DAP-09's {@link
 * ReportIdChecksum} (same 32 bytes, same XOR of SHA-256 digests).
 */
public record AggregateShareReq(
    CollectionJobReq collectionJobReq,
    BatchSelector batchSelector,
    long reportCount,
    ReportIdChecksum checksum)
    implements Encodable {
  public AggregateShareReq {
    Objects.requireNonNull(collectionJobReq, "collectionJobReq");
    Objects.requireNonNull(batchSelector, "batchSelector");
    Wire.requireNonNegative(reportCount, "report_count");
    Objects.requireNonNull(checksum, "checksum");
  }

  @Override
  public void encode(Encoder encoder) {
    collectionJobReq.encode(encoder);
    batchSelector.encode(encoder);
    encoder.u64(reportCount);
    checksum.encode(encoder);
  }

  public static AggregateShareReq decode(Decoder decoder) throws DecodeException {
    CollectionJobReq req = CollectionJobReq.decode(decoder);
    BatchSelector selector = BatchSelector.decode(decoder);
    long count = Wire.u63(decoder, "report_count");
    ReportIdChecksum checksum = ReportIdChecksum.decode(decoder);
    return new AggregateShareReq(req, selector, count, checksum);
  }

  public static AggregateShareReq decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregateShareReq::decode);
  }
}
