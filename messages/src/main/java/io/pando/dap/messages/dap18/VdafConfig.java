package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Wire;
import java.util.Arrays;

/**
 * A VDAF and its parameters as a DAP-18 {@link TaskConfiguration} carries them: the {@code
 * VdafType} codepoint of draft-irtf-cfrg-vdaf-20 §10 (a {@code uint32}) and the {@code
 * vdaf_configuration} of DAP-18 Appendix B.
 *
 * <pre>
 * Prio3Count:            Empty
 * Prio3Sum:              uint64 max_measurement;
 * Prio3SumVec:           uint32 length; uint64 max_measurement; uint32 chunk_length;
 * Prio3Histogram:        uint32 length; uint32 chunk_length;
 * Prio3MultihotCountVec: uint32 length; uint32 chunk_length; uint64 max_weight;
 * Poplar1:               uint16 bits;
 * </pre>
 *
 * A codepoint without a known encoding stays {@link Other}: its bytes are kept verbatim.
 */
public sealed interface VdafConfig
    permits VdafConfig.Prio3Count, VdafConfig.Prio3Sum, VdafConfig.Prio3SumVec,
        VdafConfig.Prio3Histogram, VdafConfig.Prio3MultihotCountVec, VdafConfig.Poplar1,
        VdafConfig.Other {
  /** VDAF-20 §10 codepoints ({@code 0} is reserved). */
  long PRIO3_COUNT = 0x00000001L;
  long PRIO3_SUM = 0x00000002L;
  long PRIO3_SUM_VEC = 0x00000003L;
  long PRIO3_HISTOGRAM = 0x00000004L;
  long PRIO3_MULTIHOT_COUNT_VEC = 0x00000005L;
  long POPLAR1 = 0x00000006L;

  /** The {@code vdaf_type} codepoint. */
  long vdafType();

  /** Appends the {@code vdaf_configuration} bytes (without length prefix). */
  void encodeConfiguration(Encoder encoder);

  /** The {@code vdaf_configuration} bytes. */
  default byte[] configuration() {
    Encoder e = new Encoder();
    encodeConfiguration(e);
    return e.toByteArray();
  }

  /** Reads the configuration of {@code vdafType}; an unknown type becomes {@link Other}. */
  static VdafConfig decode(long vdafType, byte[] configuration) throws DecodeException {
    if (vdafType == PRIO3_COUNT) {
      return Decoder.decodeAll(configuration, d -> new Prio3Count());
    } else if (vdafType == PRIO3_SUM) {
      return Decoder.decodeAll(configuration, d -> {
        long max = Wire.u63(d, "max_measurement");
        return Wire.build(() -> new Prio3Sum(max));
      });
    } else if (vdafType == PRIO3_SUM_VEC) {
      return Decoder.decodeAll(configuration, d -> {
        long length = d.u32();
        long max = Wire.u63(d, "max_measurement");
        long chunk = d.u32();
        return Wire.build(() -> new Prio3SumVec(length, max, chunk));
      });
    } else if (vdafType == PRIO3_HISTOGRAM) {
      return Decoder.decodeAll(configuration, d -> {
        long length = d.u32();
        long chunk = d.u32();
        return Wire.build(() -> new Prio3Histogram(length, chunk));
      });
    } else if (vdafType == PRIO3_MULTIHOT_COUNT_VEC) {
      return Decoder.decodeAll(configuration, d -> {
        long length = d.u32();
        long chunk = d.u32();
        long weight = Wire.u63(d, "max_weight");
        return Wire.build(() -> new Prio3MultihotCountVec(length, chunk, weight));
      });
    } else if (vdafType == POPLAR1) {
      return Decoder.decodeAll(configuration, d -> {
        int bits = d.u16();
        return Wire.build(() -> new Poplar1(bits));
      });
    }
    return Wire.build(() -> new Other(vdafType, configuration));
  }

  /** Prio3Count: no parameters. */
  record Prio3Count() implements VdafConfig {
    public long vdafType() {
      return PRIO3_COUNT;
    }

    public void encodeConfiguration(Encoder e) {}
  }

  /** Prio3Sum: the largest summand. */
  record Prio3Sum(long maxMeasurement) implements VdafConfig {
    public Prio3Sum {
      Wire.requireRange(maxMeasurement, 1, Long.MAX_VALUE, "max_measurement");
    }

    public long vdafType() {
      return PRIO3_SUM;
    }

    public void encodeConfiguration(Encoder e) {
      e.u64(maxMeasurement);
    }
  }

  /** Prio3SumVec: vector length, largest summand, proof chunk length. */
  record Prio3SumVec(long length, long maxMeasurement, long chunkLength) implements VdafConfig {
    public Prio3SumVec {
      Wire.requireRange(length, 1, 0xffffffffL, "length");
      Wire.requireRange(maxMeasurement, 1, Long.MAX_VALUE, "max_measurement");
      Wire.requireRange(chunkLength, 1, 0xffffffffL, "chunk_length");
    }

    public long vdafType() {
      return PRIO3_SUM_VEC;
    }

    public void encodeConfiguration(Encoder e) {
      e.u32(length).u64(maxMeasurement).u32(chunkLength);
    }
  }

  /** Prio3Histogram: number of buckets, proof chunk length. */
  record Prio3Histogram(long length, long chunkLength) implements VdafConfig {
    public Prio3Histogram {
      Wire.requireRange(length, 1, 0xffffffffL, "length");
      Wire.requireRange(chunkLength, 1, 0xffffffffL, "chunk_length");
    }

    public long vdafType() {
      return PRIO3_HISTOGRAM;
    }

    public void encodeConfiguration(Encoder e) {
      e.u32(length).u32(chunkLength);
    }
  }

  /** Prio3MultihotCountVec: vector length, proof chunk length, largest weight. */
  record Prio3MultihotCountVec(long length, long chunkLength, long maxWeight)
      implements VdafConfig {
    public Prio3MultihotCountVec {
      Wire.requireRange(length, 1, 0xffffffffL, "length");
      Wire.requireRange(chunkLength, 1, 0xffffffffL, "chunk_length");
      Wire.requireRange(maxWeight, 1, Long.MAX_VALUE, "max_weight");
    }

    public long vdafType() {
      return PRIO3_MULTIHOT_COUNT_VEC;
    }

    public void encodeConfiguration(Encoder e) {
      e.u32(length).u32(chunkLength).u64(maxWeight);
    }
  }

  /** Poplar1: the bit length of the input strings. */
  record Poplar1(int bits) implements VdafConfig {
    public Poplar1 {
      Wire.requireRange(bits, 1, Wire.U16_MAX, "bits");
    }

    public long vdafType() {
      return POPLAR1;
    }

    public void encodeConfiguration(Encoder e) {
      e.u16(bits);
    }
  }

  /** A VDAF this module has no configuration encoding for; its bytes are kept as they came. */
  record Other(long vdafType, byte[] configuration) implements VdafConfig {
    public Other {
      Wire.requireRange(vdafType, 0, 0xffffffffL, "vdaf_type");
      if (vdafType >= PRIO3_COUNT && vdafType <= POPLAR1) {
        throw new IllegalArgumentException("vdaf_type " + vdafType + " has a known encoding");
      }
      configuration = Wire.copy(configuration, "vdaf_configuration", 0, Wire.U16_MAX);
    }

    @Override
    public byte[] configuration() {
      return configuration.clone();
    }

    public void encodeConfiguration(Encoder e) {
      e.bytes(configuration);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Other x && vdafType == x.vdafType
          && Arrays.equals(configuration, x.configuration);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(vdafType) * 31 + Arrays.hashCode(configuration);
    }

    @Override
    public String toString() {
      return "Other[vdafType=" + vdafType + ", configuration=" + Wire.summary(configuration)
          + "]";
    }
  }
}
