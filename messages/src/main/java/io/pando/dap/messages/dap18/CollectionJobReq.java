package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * DAP-18 §4.6.1 {@code CollectionJobReq} ({@link MediaTypes#COLLECTION_JOB_REQ}): the body of
 * {@code POST {leader}/tasks/{task-id}/collection_jobs}. It is also carried inside {@link
 * AggregateShareReq} and bound into {@link AggregateShareAad}.
 *
 * <pre>
 * struct {
 *   Query query;
 *   opaque agg_param&lt;0..2^32-1&gt;;
 *   CollectionJobExtension extensions&lt;0..2^16-1&gt;;
 * } CollectionJobReq;
 * </pre>
 *
 * Extensions decode in any order and of any type: the Leader answers an unknown one with {@code
 * unsupportedExtension} and a disorder with {@code invalidExtension}.
 */
public record CollectionJobReq(
    Query query, byte[] aggregationParameter, List<CollectionJobExtension> extensions)
    implements Encodable {
  public CollectionJobReq {
    Objects.requireNonNull(query, "query");
    aggregationParameter = Wire.copy(aggregationParameter, "agg_param");
    extensions = Wire.copy(extensions, "extensions");
  }

  /** A request without extensions. */
  public CollectionJobReq(Query query, byte[] aggregationParameter) {
    this(query, aggregationParameter, List.of());
  }

  @Override
  public byte[] aggregationParameter() {
    return aggregationParameter.clone();
  }

  @Override
  public void encode(Encoder encoder) {
    query.encode(encoder);
    encoder.opaque32(aggregationParameter);
    ExtensionTlv.encodeList(encoder, extensions);
  }

  public static CollectionJobReq decode(Decoder decoder) throws DecodeException {
    Query query = Query.decode(decoder);
    byte[] aggParam = decoder.opaque32();
    List<CollectionJobExtension> extensions = decoder.list16(CollectionJobExtension::decode);
    return new CollectionJobReq(query, aggParam, extensions);
  }

  public static CollectionJobReq decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, CollectionJobReq::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CollectionJobReq r
        && query.equals(r.query)
        && Arrays.equals(aggregationParameter, r.aggregationParameter)
        && extensions.equals(r.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(query, Arrays.hashCode(aggregationParameter), extensions);
  }

  @Override
  public String toString() {
    return "CollectionJobReq[query=" + query + ", aggregationParameter="
        + Wire.summary(aggregationParameter) + ", extensions=" + extensions + "]";
  }
}
