package io.pando.dap.messages.taskprov;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;

/**
 * draft-wang-ppm-dap-taskprov-06 §3 {@code VdafType} with its parameters: a 4-byte codepoint
 * (the VDAF's codepoint of draft-irtf-cfrg-vdaf, plus Janus's private {@code 0xFFFF1003}), then
 * the parameters of that type.
 *
 * <pre>
 * struct {
 *   VdafTypeCode vdaf_type;                       // uint32
 *   select (vdaf_type) {
 *     case prio3_count:     Empty;                // 0x00000000
 *     case prio3_sum:       uint8 bits;           // 0x00000001
 *     case prio3_sum_vec:   uint32 length; uint8 bits; uint32 chunk_length;  // 0x00000002
 *     case prio3_histogram: uint32 length; uint32 chunk_length;             // 0x00000003
 *     case poplar1:         uint16 bits;          // 0x00001000
 *   }
 * } VdafType;
 * </pre>
 *
 * Unknown codepoints do not decode: their parameters' layout is not known.
 */
public sealed interface VdafType extends Encodable {
  long PRIO3_COUNT = 0x00000000L;
  long PRIO3_SUM = 0x00000001L;
  long PRIO3_SUM_VEC = 0x00000002L;
  long PRIO3_HISTOGRAM = 0x00000003L;
  long POPLAR1 = 0x00001000L;
  long PRIO3_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128 = 0xFFFF1003L;

  /** The codepoint. */
  long code();

  record Prio3Count() implements VdafType {
    public long code() {
      return PRIO3_COUNT;
    }

    public void encode(Encoder e) {
      e.u32(code());
    }
  }

  record Prio3Sum(int bits) implements VdafType {
    public Prio3Sum {
      Codec.range(bits, 0, 0xff, "bits");
    }

    public long code() {
      return PRIO3_SUM;
    }

    public void encode(Encoder e) {
      e.u32(code()).u8(bits);
    }
  }

  record Prio3SumVec(long length, int bits, long chunkLength) implements VdafType {
    public Prio3SumVec {
      Codec.range(length, 0, 0xffff_ffffL, "length");
      Codec.range(bits, 0, 0xff, "bits");
      Codec.range(chunkLength, 0, 0xffff_ffffL, "chunk_length");
    }

    public long code() {
      return PRIO3_SUM_VEC;
    }

    public void encode(Encoder e) {
      e.u32(code()).u32(length).u8(bits).u32(chunkLength);
    }
  }

  record Prio3Histogram(long length, long chunkLength) implements VdafType {
    public Prio3Histogram {
      Codec.range(length, 0, 0xffff_ffffL, "length");
      Codec.range(chunkLength, 0, 0xffff_ffffL, "chunk_length");
    }

    public long code() {
      return PRIO3_HISTOGRAM;
    }

    public void encode(Encoder e) {
      e.u32(code()).u32(length).u32(chunkLength);
    }
  }

  /** Janus's private codepoint: the SumVec parameters, then {@code uint8 proofs}. */
  record Prio3SumVecField64MultiproofHmacSha256Aes128(long length, int bits, long chunkLength,
      int proofs) implements VdafType {
    public Prio3SumVecField64MultiproofHmacSha256Aes128 {
      Codec.range(length, 0, 0xffff_ffffL, "length");
      Codec.range(bits, 0, 0xff, "bits");
      Codec.range(chunkLength, 0, 0xffff_ffffL, "chunk_length");
      Codec.range(proofs, 0, 0xff, "proofs");
    }

    public long code() {
      return PRIO3_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128;
    }

    public void encode(Encoder e) {
      e.u32(code()).u32(length).u8(bits).u32(chunkLength).u8(proofs);
    }
  }

  record Poplar1(int bits) implements VdafType {
    public Poplar1 {
      Codec.range(bits, 0, 0xffff, "bits");
    }

    public long code() {
      return POPLAR1;
    }

    public void encode(Encoder e) {
      e.u32(code()).u16(bits);
    }
  }

  static VdafType decode(Decoder d) throws DecodeException {
    long code = d.u32();
    if (code == PRIO3_COUNT) {
      return new Prio3Count();
    } else if (code == PRIO3_SUM) {
      return new Prio3Sum(d.u8());
    } else if (code == PRIO3_SUM_VEC) {
      return new Prio3SumVec(d.u32(), d.u8(), d.u32());
    } else if (code == PRIO3_HISTOGRAM) {
      return new Prio3Histogram(d.u32(), d.u32());
    } else if (code == PRIO3_SUM_VEC_FIELD64_MULTIPROOF_HMAC_SHA256_AES128) {
      return new Prio3SumVecField64MultiproofHmacSha256Aes128(d.u32(), d.u8(), d.u32(), d.u8());
    } else if (code == POPLAR1) {
      return new Poplar1(d.u16());
    }
    throw new DecodeException(String.format("unknown VDAF type code 0x%08x", code));
  }

  static VdafType decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, VdafType::decode);
  }
}
