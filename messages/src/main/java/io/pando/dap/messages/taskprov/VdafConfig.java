package io.pando.dap.messages.taskprov;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import java.util.Objects;

/**
 * draft-wang-ppm-dap-taskprov-06 §3 {@code VdafConfig}.
 *
 * <pre>
 * struct {
 *   DpConfig dp_config&lt;1..2^16-1&gt;;   // length-prefixed, as Janus 0.7 encodes it
 *   VdafType vdaf_type;
 * } VdafConfig;
 * </pre>
 */
public record VdafConfig(DpConfig dpConfig, VdafType vdafType) implements Encodable {
  public VdafConfig {
    Objects.requireNonNull(dpConfig, "dpConfig");
    Objects.requireNonNull(vdafType, "vdafType");
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.opaque16(dpConfig.encode());
    vdafType.encode(encoder);
  }

  public static VdafConfig decode(Decoder d) throws DecodeException {
    DpConfig dp = d.sub(d.u16(), DpConfig::decode);
    return new VdafConfig(dp, VdafType.decode(d));
  }

  public static VdafConfig decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, VdafConfig::decode);
  }
}
