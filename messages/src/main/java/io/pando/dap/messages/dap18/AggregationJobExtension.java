package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.dap.messages.BatchId;
import java.util.List;
import java.util.Objects;

/**
 * DAP-18 §4.5.1 {@code AggregationJobExtension}: an extension of {@link AggregationJobInitReq},
 * encoded as the shared type-length-value {@link ExtensionTlv} ({@code AggregationJobExtensionType
 * extension_type}, a uint16, and {@code opaque extension_data<0..2^16-1>}). A Helper answers a
 * disorder with {@code invalidMessage}.
 */
public record AggregationJobExtension(ExtensionTlv tlv) implements ExtensionTlv.Typed {
  /** {@code reserved(0)}. */
  public static final int RESERVED = 0x0000;

  /** {@code leader_selected_batch_id(1)} (§5.2.2): its data is a {@link BatchId}. */
  public static final int LEADER_SELECTED_BATCH_ID = 0x0001;

  /** The {@code leader_selected_batch_id} extension naming the job's batch (§5.2.2). */
  public static AggregationJobExtension leaderSelectedBatchId(BatchId batchId) {
    return new AggregationJobExtension(LEADER_SELECTED_BATCH_ID, batchId.bytes());
  }

  /**
   * The batch ID of a {@code leader_selected_batch_id} extension.
   *
   * @throws DecodeException if this is another extension or its data is not 32 bytes
   */
  public BatchId leaderSelectedBatchId() throws DecodeException {
    if (extensionType() != LEADER_SELECTED_BATCH_ID) {
      throw new DecodeException("not a leader_selected_batch_id extension");
    }
    return BatchId.decode(extensionData());
  }

  public AggregationJobExtension {
    Objects.requireNonNull(tlv, "tlv");
  }

  public AggregationJobExtension(int extensionType, byte[] extensionData) {
    this(new ExtensionTlv(extensionType, extensionData));
  }

  /** Whether the list's types are strictly increasing (sorted, each type at most once). */
  public static boolean strictlyIncreasing(List<AggregationJobExtension> extensions) {
    return ExtensionTlv.strictlyIncreasing(extensions);
  }

  public static AggregationJobExtension decode(Decoder decoder) throws DecodeException {
    return new AggregationJobExtension(ExtensionTlv.decode(decoder));
  }

  public static AggregationJobExtension decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobExtension::decode);
  }
}
