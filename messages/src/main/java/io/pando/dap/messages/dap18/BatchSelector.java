package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-18 §4.6.4 and §5 {@code BatchSelector}: the batch an aggregate share covers, in an {@link
 * AggregateShareReq}.
 *
 * <pre>
 * struct {
 *   BatchMode batch_mode;
 *   opaque config&lt;0..2^16-1&gt;;
 * } BatchSelector;
 * </pre>
 *
 * The config must be what its batch mode defines (§5.1, §5.2): {@code
 * TimeIntervalBatchSelectorConfig} (one {@link Interval}) for time-interval, {@code
 * LeaderSelectedBatchSelectorConfig} (one {@link BatchId}) for leader-selected. The constructor and
 * the decoder refuse any other bytes, so a well-typed value always has a readable config.
 */
public record BatchSelector(BatchMode batchMode, byte[] config) implements Encodable {
  public BatchSelector {
    Objects.requireNonNull(batchMode, "batchMode");
    config = Wire.copy(config, "config", 0, Wire.U16_MAX);
    int expected = batchMode == BatchMode.TIME_INTERVAL ? 16 : BatchId.LENGTH;
    if (config.length != expected) {
      throw new IllegalArgumentException(batchMode.draftName() + " BatchSelector config must be "
          + expected + " bytes, not " + config.length);
    }
    if (batchMode == BatchMode.TIME_INTERVAL) {
      try {
        Interval.decode(config);
      } catch (DecodeException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
  }

  /** A time-interval BatchSelector selector. */
  public static BatchSelector timeInterval(Interval batchInterval) {
    return new BatchSelector(BatchMode.TIME_INTERVAL, batchInterval.encode());
  }

  /** A leader-selected selector: the batch ID the Leader chose. */
  public static BatchSelector leaderSelected(BatchId batchId) {
    return new BatchSelector(BatchMode.LEADER_SELECTED, batchId.bytes());
  }

  @Override
  public byte[] config() {
    return config.clone();
  }

  /**
   * The batch interval of a time-interval BatchSelector.
   *
   * @throws IllegalStateException for another batch mode
   */
  public Interval batchInterval() {
    if (batchMode != BatchMode.TIME_INTERVAL) {
      throw new IllegalStateException("not a time_interval BatchSelector");
    }
    try {
      return Interval.decode(config);
    } catch (DecodeException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The batch ID of a leader-selected BatchSelector.
   *
   * @throws IllegalStateException for another batch mode
   */
  public BatchId batchId() {
    if (batchMode != BatchMode.LEADER_SELECTED) {
      throw new IllegalStateException("not a leader_selected BatchSelector");
    }
    return BatchId.of(config);
  }

  @Override
  public void encode(Encoder encoder) {
    batchMode.encode(encoder);
    encoder.opaque16(config);
  }

  public static BatchSelector decode(Decoder decoder) throws DecodeException {
    BatchMode mode = BatchMode.decode(decoder);
    byte[] config = decoder.opaque16();
    return Wire.build(() -> new BatchSelector(mode, config));
  }

  public static BatchSelector decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, BatchSelector::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchSelector q && batchMode == q.batchMode
        && Arrays.equals(config, q.config);
  }

  @Override
  public int hashCode() {
    return 31 * batchMode.hashCode() + Arrays.hashCode(config);
  }

  @Override
  public String toString() {
    return batchMode == BatchMode.TIME_INTERVAL
        ? "BatchSelector[time_interval " + batchInterval() + "]"
        : "BatchSelector[leader_selected " + batchId() + "]";
  }
}
