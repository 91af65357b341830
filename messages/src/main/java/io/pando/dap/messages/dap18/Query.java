package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.Objects;

/**
 * DAP-18 §4.6.1 and §5 {@code Query}: the Collector's choice of batch, in a {@link
 * CollectionJobReq}.
 *
 * <pre>
 * struct {
 *   BatchMode batch_mode;
 *   opaque config&lt;0..2^16-1&gt;;
 * } Query;
 * </pre>
 *
 * The config must be what its batch mode defines (§5.1, §5.2): {@code TimeIntervalQueryConfig} (one
 * {@link Interval}) for time-interval, empty for leader-selected. The constructor and
 * the decoder refuse any other bytes, so a well-typed value always has a readable config.
 */
public record Query(BatchMode batchMode, byte[] config) implements Encodable {
  public Query {
    Objects.requireNonNull(batchMode, "batchMode");
    config = Wire.copy(config, "config", 0, Wire.U16_MAX);
    int expected = batchMode == BatchMode.TIME_INTERVAL ? 16 : 0;
    if (config.length != expected) {
      throw new IllegalArgumentException(batchMode.draftName() + " Query config must be "
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

  /** A time-interval Query: the batch interval the Collector asks for. */
  public static Query timeInterval(Interval batchInterval) {
    return new Query(BatchMode.TIME_INTERVAL, batchInterval.encode());
  }

  /** A leader-selected query: the next batch the Leader chooses (empty config). */
  public static Query leaderSelected() {
    return new Query(BatchMode.LEADER_SELECTED, new byte[0]);
  }

  @Override
  public byte[] config() {
    return config.clone();
  }

  /**
   * The batch interval of a time-interval Query.
   *
   * @throws IllegalStateException for another batch mode
   */
  public Interval batchInterval() {
    if (batchMode != BatchMode.TIME_INTERVAL) {
      throw new IllegalStateException("not a time_interval Query");
    }
    try {
      return Interval.decode(config);
    } catch (DecodeException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void encode(Encoder encoder) {
    batchMode.encode(encoder);
    encoder.opaque16(config);
  }

  public static Query decode(Decoder decoder) throws DecodeException {
    BatchMode mode = BatchMode.decode(decoder);
    byte[] config = decoder.opaque16();
    return Wire.build(() -> new Query(mode, config));
  }

  public static Query decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, Query::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query q && batchMode == q.batchMode && Arrays.equals(config, q.config);
  }

  @Override
  public int hashCode() {
    return 31 * batchMode.hashCode() + Arrays.hashCode(config);
  }

  @Override
  public String toString() {
    return batchMode == BatchMode.TIME_INTERVAL
        ? "Query[time_interval " + batchInterval() + "]"
        : "Query[leader_selected]";
  }
}
