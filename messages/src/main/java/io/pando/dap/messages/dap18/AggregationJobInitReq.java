package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * DAP-18 §4.5.3.1 {@code AggregationJobInitReq} ({@link MediaTypes#AGGREGATION_JOB_INIT_REQ}).
 *
 * <pre>
 * struct {
 *   uint8 verification_key_id;
 *   opaque agg_param&lt;0..2^32-1&gt;;
 *   AggregationJobExtension extensions&lt;0..2^16-1&gt;;
 *   VerifyInit verify_inits[verify_inits_length];
 * } AggregationJobInitReq;
 * </pre>
 *
 * {@code verify_inits} has no length prefix: it is the rest of the HTTP content (draft-16 and
 * later), so {@link #decode(byte[])} must be given exactly the body. DAP-09's partial batch
 * selector is gone; a leader-selected job names its batch in the {@code
 * leader_selected_batch_id} extension (§5.2.2). Extensions decode in any order and of any type;
 * the Helper checks both ({@link AggregationJobExtension#strictlyIncreasing}).
 */
public record AggregationJobInitReq(
    int verificationKeyId,
    byte[] aggregationParameter,
    List<AggregationJobExtension> extensions,
    List<VerifyInit> verifyInits)
    implements Encodable {
  public AggregationJobInitReq {
    Wire.requireRange(verificationKeyId, 0, Wire.U8_MAX, "verification_key_id");
    aggregationParameter = Wire.copy(aggregationParameter, "agg_param");
    extensions = Wire.copy(extensions, "extensions");
    verifyInits = Wire.copy(verifyInits, "verifyInits");
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  /**
   * The batch ID of the {@code leader_selected_batch_id} extension, if present.
   *
   * @throws DecodeException if that extension's data is not a batch ID
   */
  public Optional<BatchId> leaderSelectedBatchId() throws DecodeException {
    for (AggregationJobExtension x : extensions) {
      if (x.extensionType() == AggregationJobExtension.LEADER_SELECTED_BATCH_ID) {
        return Optional.of(x.leaderSelectedBatchId());
      }
    }
    return Optional.empty();
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u8(verificationKeyId);
    encoder.opaque32(aggregationParameter);
    ExtensionTlv.encodeList(encoder, extensions);
    for (VerifyInit v : verifyInits) {
      v.encode(encoder);
    }
  }

  /** Reads a request whose verify inits run to the end of {@code decoder}. */
  public static AggregationJobInitReq decode(Decoder decoder) throws DecodeException {
    int keyId = decoder.u8();
    byte[] aggParam = decoder.opaque32();
    List<AggregationJobExtension> extensions = decoder.list16(AggregationJobExtension::decode);
    List<VerifyInit> inits = Wire.toEnd(decoder, VerifyInit::decode);
    return new AggregationJobInitReq(keyId, aggParam, extensions, inits);
  }

  public static AggregationJobInitReq decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobInitReq::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJobInitReq r
        && verificationKeyId == r.verificationKeyId
        && Arrays.equals(aggregationParameter, r.aggregationParameter)
        && extensions.equals(r.extensions)
        && verifyInits.equals(r.verifyInits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(verificationKeyId, Arrays.hashCode(aggregationParameter), extensions,
        verifyInits);
  }

  @Override
  public String toString() {
    return "AggregationJobInitReq[verificationKeyId=" + verificationKeyId
        + ", aggregationParameter=" + Wire.summary(aggregationParameter) + ", extensions="
        + extensions + ", verifyInits=" + verifyInits.size() + " items]";
  }
}
