package io.pando.vdaf.poplar1;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafVersion;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Poplar1 aggregation parameter (draft-irtf-cfrg-vdaf-08 §8.2, draft-20 §8.2): a level of the
 * IDPF tree and the candidate prefixes, each an integer of {@code level + 1} bits (the draft-20
 * tuple of booleans, first element as the most significant bit).
 *
 * <p>Draft-08 wants the prefixes unique and in increasing (lexicographic) order, a rule its
 * prep_init enforces (§8.2.2): {@link #Poplar1AggParam(int, List)}, {@link #of} and {@link
 * #decode(byte[])} refuse any other list. Draft-20 moved that rule to is_valid (§8.2.3), so its
 * decoder and {@link #ofAnyOrder} keep the prefixes in the order given; {@link
 * #prefixesSortedAndUnique()} tells whether the rule holds.
 */
public final class Poplar1AggParam {
  /** The largest level the 16-bit encoding can carry. */
  public static final int MAX_LEVEL = 0xffff;

  private final int level;
  private final List<BigInteger> prefixes;

  /**
   * The aggregation parameter of draft-08's rules.
   *
   * @param level the level, in [0, 2^16)
   * @param prefixes the candidate prefixes, strictly increasing, each in [0, 2^(level + 1))
   */
  public Poplar1AggParam(int level, List<BigInteger> prefixes) {
    this(level, prefixes, true);
  }

  private Poplar1AggParam(int level, List<BigInteger> prefixes, boolean ordered) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("level " + level + " not in [0, 2^16)");
    }
    this.level = level;
    this.prefixes = List.copyOf(prefixes);
    String problem = check(level, this.prefixes, ordered);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The aggregation parameter with the given level and prefixes (draft-08's rules). */
  public static Poplar1AggParam of(int level, long... prefixes) {
    List<BigInteger> list = new ArrayList<>(prefixes.length);
    for (long p : prefixes) {
      list.add(BigInteger.valueOf(p));
    }
    return new Poplar1AggParam(level, list);
  }

  /**
   * An aggregation parameter whose prefixes may repeat or come in any order, as draft-20 can
   * encode them (§8.2.6.6); draft-20's is_valid refuses it unless {@link
   * #prefixesSortedAndUnique()}.
   */
  public static Poplar1AggParam ofAnyOrder(int level, List<BigInteger> prefixes) {
    return new Poplar1AggParam(level, prefixes, false);
  }

  /** The level. */
  public int level() {
    return level;
  }

  /** The candidate prefixes, in order. */
  public List<BigInteger> prefixes() {
    return prefixes;
  }

  /** Whether the prefixes are unique and in lexicographic order. */
  public boolean prefixesSortedAndUnique() {
    for (int i = 1; i < prefixes.size(); i++) {
      if (prefixes.get(i - 1).compareTo(prefixes.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Why the prefixes are not valid at this level, or null if they are. */
  private static String check(int level, List<BigInteger> prefixes, boolean ordered) {
    BigInteger previous = null;
    for (BigInteger p : prefixes) {
      Objects.requireNonNull(p, "prefix");
      if (p.signum() < 0 || p.bitLength() > level + 1) {
        return "prefix " + p + " is not in [0, 2^" + (level + 1) + ")";
      }
      if (ordered && previous != null && previous.compareTo(p) >= 0) {
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

  // ---- Encoding (draft-08 §8.2.6.6, draft-20 §8.2.6.6) ----------------------------------------

  /** encode_agg_param of the given draft. */
  public byte[] encode(VdafVersion version) {
    return version == VdafVersion.DRAFT_08 ? encode() : encodeDraft20();
  }

  /** decode_agg_param of the given draft, strictly. */
  public static Poplar1AggParam decode(VdafVersion version, byte[] encoded)
      throws DecodeException {
    return version == VdafVersion.DRAFT_08 ? decode(encoded) : decodeDraft20(encoded);
  }

  /**
   * encode_agg_param of draft-20: {@code be16(level) || be32(len(prefixes))}, then each prefix on
   * {@code ceil((level + 1) / 8)} bytes, its bits from the first (most significant bit of the
   * first byte) on, the unused low bits of its last byte zero.
   */
  private byte[] encodeDraft20() {
    int per = bytesPerPrefix(level);
    int pad = 8 * per - (level + 1);
    int n = prefixes.size();
    byte[] out = new byte[Math.toIntExact(6 + (long) per * n)];
    writeHeader(out, n);
    for (int i = 0; i < n; i++) {
      byte[] be = prefixes.get(i).shiftLeft(pad).toByteArray();
      // toByteArray may carry a leading sign byte; keep the last `per` bytes.
      int take = Math.min(be.length, per);
      System.arraycopy(be, be.length - take, out, 6 + i * per + per - take, take);
    }
    return out;
  }

  /**
   * decode_agg_param of draft-20: the length must be exact and the padding bits of every prefix
   * zero; the prefixes are kept in the order they come.
   */
  private static Poplar1AggParam decodeDraft20(byte[] encoded) throws DecodeException {
    if (encoded == null || encoded.length < 6) {
      throw new DecodeException("Poplar1 aggregation parameter: truncated");
    }
    int level = ((encoded[0] & 0xff) << 8) | (encoded[1] & 0xff);
    long count = ((long) (encoded[2] & 0xff) << 24) | ((encoded[3] & 0xff) << 16)
        | ((encoded[4] & 0xff) << 8) | (encoded[5] & 0xff);
    int per = bytesPerPrefix(level);
    long want = (long) per * count;
    if (want != encoded.length - 6) {
      throw new DecodeException("Poplar1 aggregation parameter: " + count + " prefixes of "
          + (level + 1) + " bits need " + want + " bytes, got " + (encoded.length - 6));
    }
    int pad = 8 * per - (level + 1);
    int padMask = (1 << pad) - 1;
    List<BigInteger> prefixes = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      int at = 6 + i * per;
      if ((encoded[at + per - 1] & padMask) != 0) {
        throw new DecodeException("Poplar1 aggregation parameter: trailing bits in prefix");
      }
      prefixes.add(new BigInteger(1, Arrays.copyOfRange(encoded, at, at + per)).shiftRight(pad));
    }
    return new Poplar1AggParam(level, prefixes, false);
  }

  private static int bytesPerPrefix(int level) {
    return (level + 1 + 7) / 8;
  }

  private void writeHeader(byte[] out, int n) {
    out[0] = (byte) (level >>> 8);
    out[1] = (byte) level;
    out[2] = (byte) (n >>> 24);
    out[3] = (byte) (n >>> 16);
    out[4] = (byte) (n >>> 8);
    out[5] = (byte) n;
  }

  /**
   * encode_agg_param of draft-08: {@code be16(level) || be32(len(prefixes)) || packed}, where
   * {@code packed} is the big-endian encoding, on {@code ceil((level + 1) * len(prefixes) / 8)}
   * bytes, of the integer with prefix {@code i} in its bits {@code [(level + 1) * i, (level + 1) *
   * (i + 1))}.
   */
  public byte[] encode() {
    int width = level + 1;
    int packedLen = Math.toIntExact(packedLength(width, prefixes.size()));
    byte[] out = new byte[6 + packedLen];
    int n = prefixes.size();
    writeHeader(out, n);
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
   * decode_agg_param of draft-08, strictly: besides truncated or trailing bytes, it refuses nonzero
   * padding bits above the last prefix and prefixes that are not unique and increasing.
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
    String problem = check(level, prefixes, true);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof Poplar1AggParam p && level == p.level && prefixes.equals(p.prefixes);
  }

  @Override
  public int hashCode() {
    return 31 * level + prefixes.hashCode();
  }

  @Override
  public String toString() {
    return "Poplar1AggParam[level=" + level + ", prefixes=" + prefixes + "]";
  }
}
