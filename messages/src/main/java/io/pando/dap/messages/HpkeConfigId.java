package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;

/** DAP-09 §4 {@code uint8 HpkeConfigId}: names one of an aggregator's HPKE configurations. */
public record HpkeConfigId(int value) implements Encodable, Comparable<HpkeConfigId> {
  public HpkeConfigId {
    Wire.requireRange(value, 0, 0xff, "HpkeConfigId");
  }

  public static HpkeConfigId of(int value) {
    return new HpkeConfigId(value);
  }

  @Override
  public int compareTo(HpkeConfigId other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u8(value);
  }

  public static HpkeConfigId decode(Decoder decoder) throws DecodeException {
    return new HpkeConfigId(decoder.u8());
  }

  public static HpkeConfigId decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkeConfigId::decode);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
