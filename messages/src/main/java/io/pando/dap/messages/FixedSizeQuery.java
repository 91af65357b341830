package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.1 {@code FixedSizeQuery}: the body of a fixed-size {@link Query}.
 *
 * <pre>
 * enum { by_batch_id(0), current_batch(1), (255) } FixedSizeQueryType;
 *
 * struct {
 *   FixedSizeQueryType query_type;
 *   select (FixedSizeQuery.query_type) {
 *     case by_batch_id: BatchID batch_id;
 *     case current_batch: Empty;
 *   }
 * } FixedSizeQuery;
 * </pre>
 *
 * Any other {@code FixedSizeQueryType} is rejected.
 */
public sealed interface FixedSizeQuery extends Encodable
    permits FixedSizeQuery.ByBatchId, FixedSizeQuery.CurrentBatch {

  static ByBatchId byBatchId(BatchId batchId) {
    return new ByBatchId(batchId);
  }

  static CurrentBatch currentBatch() {
    return CurrentBatch.INSTANCE;
  }

  static FixedSizeQuery decode(Decoder decoder) throws DecodeException {
    int type = decoder.u8();
    switch (type) {
      case ByBatchId.TYPE:
        return new ByBatchId(BatchId.decode(decoder));
      case CurrentBatch.TYPE:
        return CurrentBatch.INSTANCE;
      default:
        throw new DecodeException("unknown FixedSizeQueryType " + type);
    }
  }

  static FixedSizeQuery decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, FixedSizeQuery::decode);
  }

  /** {@code by_batch_id(0)}: a batch the Leader named in an earlier collection. */
  record ByBatchId(BatchId batchId) implements FixedSizeQuery {
    static final int TYPE = 0;

    public ByBatchId {
      Objects.requireNonNull(batchId, "batchId");
    }

    @Override
    public void encode(Encoder encoder) {
      encoder.u8(TYPE);
      batchId.encode(encoder);
    }
  }

  /** {@code current_batch(1)}: let the Leader pick a batch not yet collected. */
  record CurrentBatch() implements FixedSizeQuery {
    static final int TYPE = 1;
    static final CurrentBatch INSTANCE = new CurrentBatch();

    @Override
    public void encode(Encoder encoder) {
      encoder.u8(TYPE);
    }
  }
}
