package io.pando.vdaf.poplar1;

import io.pando.codec.DecodeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Poplar1 aggregation parameter (draft-irtf-cfrg-vdaf-08 §8.2): a level of the IDPF tree and
 * the candidate prefixes, each an integer of {@code level + 1} bits.
 *
 * <p>Prefixes must be unique and in increasing (lexicographic) order, the rule prep_init enforces
 * (§8.2.2); this record refuses any other list, so every instance is one preparation accepts.
 *
 * @param level the level, in [0, 2^16)
 * @param prefixes the candidate prefixes, strictly increasing, each in [0, 2^(level + 1))
 */
public record Poplar1AggParam(int level, List<BigInteger> prefixes) {
  /** The largest level the 16-bit encoding can carry. */
  public static final int MAX_LEVEL = 0xffff;

  public Poplar1AggParam {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("level " + level + " not in [0, 2^16)");
    }
    prefixes = List.copyOf(prefixes);
    String problem = check(level, prefixes);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The aggregation parameter with the given level and prefixes. */
  public static Poplar1AggParam of(int level, long... prefixes) {
    List<BigInteger> list = new ArrayList<>(prefixes.length);
    for (long p : prefixes) {
      list.add(BigInteger.valueOf(p));
    }
    return new Poplar1AggParam(level, list);
  }

  /** Why the prefixes are not valid at this level, or null if they are. */
  private static String check(int level, List<BigInteger> prefixes) {
    BigInteger previous = null;
    for (BigInteger p : prefixes) {
      Objects.requireNonNull(p, "prefix");
      if (p.signum() < 0 || p.bitLength() > level + 1) {
        return "prefix " + p + " is not in [0, 2^" + (level + 1) + ")";
      }
      if (previous != null && previous.compareTo(p) >= 0) {
        return "candidate prefixes are not unique and in increasing order";
      }
      previous = p;
    }
    return null;
  }

  /** The number of candidate prefixes. */
  public int prefixCount() {
    return prefixes.size();
  }

  // ---- Encoding (§8.2.6.6) -----------------------------------------------------------------

  /**
   * encode_agg_param: {@code be16(level) || be32(len(prefixes)) || packed}, where {@code packed}
   * is the big-endian encoding, on {@code ceil((level + 1) * len(prefixes) / 8)} bytes, of the
   * integer with prefix {@code i} in its bits {@code [(level + 1) * i, (level + 1) * (i + 1))}.
   */
  public byte[] encode() {
    int width = level + 1;
    int packedLen = Math.toIntExact(packedLength(width, prefixes.size()));
    byte[] out = new byte[6 + packedLen];
    out[0] = (byte) (level >>> 8);
    out[1] = (byte) level;
    int n = prefixes.size();
    out[2] = (byte) (n >>> 24);
    out[3] = (byte) (n >>> 16);
    out[4] = (byte) (n >>> 8);
    out[5] = (byte) n;
    for (int i = 0; i < n; i++) {
      BigInteger p = prefixes.get(i);
      long at = (long) width * i;
      for (int b = 0; b < width; b++) {
        if (p.testBit(b)) {
          long q = at + b; // bit q of the big-endian integer
          out[6 + packedLen - 1 - (int) (q >>> 3)] |= (byte) (1 << (q & 7));
        }
      }
    }
    return out;
  }

  /**
   * decode_agg_param, strictly: besides truncated or trailing bytes, it refuses nonzero padding
   * bits above the last prefix and prefixes that are not unique and increasing.
   */
  public static Poplar1AggParam decode(byte[] encoded) throws DecodeException {
    if (encoded == null || encoded.length < 6) {
      throw new DecodeException("Poplar1 aggregation parameter: truncated");
    }
    int level = ((encoded[0] & 0xff) << 8) | (encoded[1] & 0xff);
    long count = ((long) (encoded[2] & 0xff) << 24) | ((encoded[3] & 0xff) << 16)
        | ((encoded[4] & 0xff) << 8) | (encoded[5] & 0xff);
    int width = level + 1;
    long packedLen = packedLength(width, count);
    if (packedLen != encoded.length - 6) {
      throw new DecodeException("Poplar1 aggregation parameter: " + count + " prefixes of "
          + width + " bits need " + packedLen + " bytes, got " + (encoded.length - 6));
    }
    int len = (int) packedLen;
    long usedBits = width * count;
    for (long q = usedBits; q < 8L * len; q++) {
      if (bit(encoded, len, q) != 0) {
        throw new DecodeException("Poplar1 aggregation parameter: nonzero padding bits");
      }
    }
    List<BigInteger> prefixes = new ArrayList<>((int) Math.min(count, len * 8L));
    byte[] be = new byte[(width + 7) / 8];
    for (long i = 0; i < count; i++) {
      Arrays.fill(be, (byte) 0);
      long at = width * i;
      for (int b = 0; b < width; b++) {
        if (bit(encoded, len, at + b) != 0) {
          be[be.length - 1 - (b >>> 3)] |= (byte) (1 << (b & 7));
        }
      }
      prefixes.add(new BigInteger(1, be));
    }
    String problem = check(level, prefixes);
    if (problem != null) {
      throw new DecodeException("Poplar1 aggregation parameter: " + problem);
    }
    return new Poplar1AggParam(level, prefixes);
  }

  private static long packedLength(int width, long count) {
    return (width * count + 7) / 8;
  }

  /** Bit q (0 = least significant) of the big-endian integer in encoded[6..6 + len). */
  private static int bit(byte[] encoded, int len, long q) {
    return (encoded[6 + len - 1 - (int) (q >>> 3)] >>> (q & 7)) & 1;
  }
}
