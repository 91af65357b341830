package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Objects;

/**
 * DAP-09 §4.6.2 {@code AggregateShare} ({@link MediaTypes#AGGREGATE_SHARE}): the Helper's
 * aggregate share, sealed to the Collector.
 *
 * <pre>
 * struct {
 *   HpkeCiphertext encrypted_aggregate_share;
 * } AggregateShare;
 * </pre>
 */
public record AggregateShare(HpkeCiphertext encryptedAggregateShare) implements Encodable {
  public AggregateShare {
    Objects.requireNonNull(encryptedAggregateShare, "encryptedAggregateShare");
  }

  @Override
  public void encode(Encoder encoder) {
    encryptedAggregateShare.encode(encoder);
  }

  public static AggregateShare decode(Decoder decoder) throws DecodeException {
    return new AggregateShare(HpkeCiphertext.decode(decoder));
  }

  public static AggregateShare decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregateShare::decode);
  }
}
