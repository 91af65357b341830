package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.List;

/**
 * DAP-18 §4.5.1 {@code AggregationJobExtension}: a type-length-value aggregation job extension of
 * an {@link AggregationJobInitReq}.
 *
 * <pre>
 * struct {
 *   AggregationJobExtensionType extension_type;    // uint16
 *   opaque extension_data&lt;0..2^16-1&gt;;
 * } AggregationJobExtension;
 * </pre>
 *
 * Any type decodes, so that an unknown one can be answered with {@code unsupportedExtension};
 * {@link
 * #strictlyIncreasing} checks the order the draft requires (a Helper answers a disorder with {@code
 * invalidMessage}).
 */
public record AggregationJobExtension(int extensionType, byte[] extensionData)
    implements Encodable {
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
    if (extensionType != LEADER_SELECTED_BATCH_ID) {
      throw new DecodeException("not a leader_selected_batch_id extension");
    }
    return BatchId.decode(extensionData);
  }

  public AggregationJobExtension {
    Wire.requireRange(extensionType, 0, Wire.U16_MAX, "extension_type");
    extensionData = Wire.copy(extensionData, "extension_data", 0, Wire.U16_MAX);
  }

  /** The extension data (a copy). */
  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  /** Whether the list's types are strictly increasing (sorted, each type at most once). */
  public static boolean strictlyIncreasing(List<AggregationJobExtension> extensions) {
    return Wire.strictlyIncreasing(extensions, AggregationJobExtension::extensionType);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(extensionType);
    encoder.opaque16(extensionData);
  }

  public static AggregationJobExtension decode(Decoder decoder) throws DecodeException {
    int type = decoder.u16();
    byte[] data = decoder.opaque16();
    return new AggregationJobExtension(type, data);
  }

  public static AggregationJobExtension decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregationJobExtension::decode);
  }

  /** Reads {@code AggregationJobExtension extensions<0..2^16-1>}. */
  static List<AggregationJobExtension> decodeList(Decoder decoder) throws DecodeException {
    return decoder.list16(AggregationJobExtension::decode);
  }

  static void encodeList(Encoder encoder, List<AggregationJobExtension> extensions) {
    encoder.list16(extensions, (e, x) -> x.encode(e));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregationJobExtension x
        && extensionType == x.extensionType
        && Arrays.equals(extensionData, x.extensionData);
  }

  @Override
  public int hashCode() {
    return 31 * extensionType + Arrays.hashCode(extensionData);
  }

  @Override
  public String toString() {
    return "AggregationJobExtension[type=" + String.format("0x%04x", extensionType) + ", data="
        + Wire.summary(extensionData) + "]";
  }
}
