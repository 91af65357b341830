package io.pando.dap.messages;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.List;

/**
 * DAP-09 §4.4.1 {@code HpkeConfig HpkeConfigList<1..2^16-1>}: the body of a {@code GET
 * /hpke_config} response ({@link MediaTypes#HPKE_CONFIG_LIST}), in decreasing order of preference.
 *
 * <p>The list must not be empty. Entries with unknown algorithms are kept (see {@link
 * HpkeKemId}); distinct config ids are the aggregator's duty (§4.4.1) and are not checked here.
 */
public record HpkeConfigList(List<HpkeConfig> configs) implements Encodable {
  public HpkeConfigList {
    configs = Wire.copy(configs, "configs");
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("HpkeConfigList must not be empty");
    }
    long length = 0;
    for (HpkeConfig c : configs) {
      length += c.encodedLength();
    }
    if (length > Wire.U16_MAX) {
      throw new IllegalArgumentException("HpkeConfigList encodes to " + length + " > 65535 bytes");
    }
  }

  public static HpkeConfigList of(HpkeConfig... configs) {
    return new HpkeConfigList(List.of(configs));
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.list16(configs, (e, c) -> c.encode(e));
  }

  public static HpkeConfigList decode(Decoder decoder) throws DecodeException {
    List<HpkeConfig> configs = decoder.list16(HpkeConfig::decode);
    return Wire.build(() -> new HpkeConfigList(configs));
  }

  public static HpkeConfigList decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, HpkeConfigList::decode);
  }
}
