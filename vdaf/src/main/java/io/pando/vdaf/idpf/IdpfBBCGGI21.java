package io.pando.vdaf.idpf;

import io.pando.codec.DecodeException;
import io.pando.vdaf.Dst;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field255;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.xof.Xof;
import io.pando.vdaf.xof.XofFixedKeyAes128;
import io.pando.vdaf.xof.XofFixedKeyAes128.FixedKey;
import io.pando.vdaf.xof.XofTurboShake128;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * IdpfBBCGGI21 (draft-irtf-cfrg-vdaf-20 §8.3): the incremental distributed point function of
 * [BBCGGI21, Section 6] with values that are vectors of VALUE_LEN field elements, the IDPF of
 * draft-20's Poplar1. Inner levels use {@link Field64}, the leaf level {@link Field255}.
 *
 * <p>What changed from draft-08's {@link IdpfPoplar}: the application context string {@code ctx}
 * completes every domain separation tag (so it is bound into the fixed AES key), the nonce takes
 * the place of the binder, the leaf level expands seeds with {@link XofTurboShake128} instead of
 * {@link XofFixedKeyAes128} (§8.3.4, current_xof), and the public share encodes all seeds before
 * all payloads (§8.2.6.1).
 *
 * <p>Indices are integers of BITS bits whose most significant bit is the first level of the tree
 * (the draft's tuples of booleans, first element first; see {@link #index(List)}); a prefix at
 * level {@code L} has {@code L + 1} bits. The public share is the list of correction words {@code
 * (seed, ctrl, payload)}, the same structure as draft-08's, so it is an {@link
 * IdpfPoplar.PublicShare}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class IdpfBBCGGI21 {
  /** SHARES: the number of keys. */
  public static final int SHARES = 2;

  /** KEY_SIZE: XofFixedKeyAes128.SEED_SIZE. */
  public static final int KEY_SIZE = XofFixedKeyAes128.SEED_SIZE;

  /** RAND_SIZE: two keys. */
  public static final int RAND_SIZE = 2 * KEY_SIZE;

  /** NONCE_SIZE: XofFixedKeyAes128.SEED_SIZE. */
  public static final int NONCE_SIZE = XofFixedKeyAes128.SEED_SIZE;

  /** The largest BITS: a level must fit the 16-bit level of Poplar1's aggregation parameter. */
  public static final int MAX_BITS = 1 << 16;

  // Usages of format_dst(1, 0, usage) (§8.3.4).
  static final int USAGE_EXTEND = 0;
  static final int USAGE_CONVERT = 1;

  private static final VdafVersion VERSION = VdafVersion.DRAFT_20;
  private static final XofFixedKeyAes128 XOF_INNER = XofFixedKeyAes128.DRAFT_20;
  private static final XofTurboShake128 XOF_LEAF = XofTurboShake128.DRAFT_20;

  private final int bits;
  private final int valueLen;

  /**
   * IdpfBBCGGI21 with the given BITS and VALUE_LEN.
   *
   * @param bits BITS, in [1, 2^16]
   * @param valueLen VALUE_LEN, positive (Poplar1 uses 2)
   */
  public IdpfBBCGGI21(int bits, int valueLen) {
    if (bits < 1 || bits > MAX_BITS) {
      throw new IllegalArgumentException("BITS must be in [1, 2^16], got " + bits);
    }
    if (valueLen < 1 || valueLen > 0xffff) {
      throw new IllegalArgumentException("VALUE_LEN must be in [1, 2^16), got " + valueLen);
    }
    this.bits = bits;
    this.valueLen = valueLen;
  }

  /** BITS. */
  public int bits() {
    return bits;
  }

  /** VALUE_LEN. */
  public int valueLen() {
    return valueLen;
  }

  /** current_field(level) (§8.1): Field64 above the last level, Field255 at it. */
  public Field currentField(int level) {
    return level < bits - 1 ? Field64.INSTANCE : Field255.INSTANCE;
  }

  /**
   * The integer of a tuple of booleans (§8.1.1): the first element is the most significant bit.
   */
  public static BigInteger index(List<Boolean> bits) {
    BigInteger x = BigInteger.ZERO;
    for (int i = 0; i < bits.size(); i++) {
      if (bits.get(i)) {
        x = x.setBit(bits.size() - 1 - i);
      }
    }
    return x;
  }

  // ---- Key generation (§8.3.2) -------------------------------------------------------------

  /**
   * Idpf.gen(alpha, beta_inner, beta_leaf, ctx, nonce, rand): the public share (correction words)
   * and the two keys (the two halves of rand).
   *
   * @param alpha the point, in [0, 2^BITS)
   * @param betaInner BITS - 1 Field64 vectors of VALUE_LEN elements, one per inner level
   * @param betaLeaf a Field255 vector of VALUE_LEN elements
   * @param ctx the application context string
   * @param nonce NONCE_SIZE bytes (the report nonce in Poplar1)
   * @param rand RAND_SIZE random bytes
   */
  public Keys gen(BigInteger alpha, long[][] betaInner, long[] betaLeaf, byte[] ctx, byte[] nonce,
      byte[] rand) {
    if (alpha.signum() < 0 || alpha.bitLength() > bits) {
      throw new IllegalArgumentException("alpha is not in [0, 2^" + bits + ")");
    }
    if (betaInner.length != bits - 1) {
      throw new IllegalArgumentException(
          "beta_inner must have " + (bits - 1) + " levels, got " + betaInner.length);
    }
    if (rand == null || rand.length != RAND_SIZE) {
      throw new IllegalArgumentException("rand must be " + RAND_SIZE + " bytes");
    }
    Xofs xofs = new Xofs(ctx, nonce);

    byte[][] key = {Arrays.copyOfRange(rand, 0, KEY_SIZE),
        Arrays.copyOfRange(rand, KEY_SIZE, 2 * KEY_SIZE)};
    byte[][] seed = {key[0].clone(), key[1].clone()};
    int[] ctrl = {0, 1};
    byte[][] seedCw = new byte[bits][];
    int[][] ctrlCw = new int[bits][];
    long[] wCwInner = Field64.INSTANCE.alloc((bits - 1) * valueLen);
    long[] wCwLeaf = Field255.INSTANCE.alloc(valueLen);

    byte[][] s0 = new byte[2][KEY_SIZE];
    byte[][] s1 = new byte[2][KEY_SIZE];
    int[] t0 = new int[2];
    int[] t1 = new int[2];
    for (int level = 0; level < bits; level++) {
      Field field = currentField(level);
      int keep = alpha.testBit(bits - level - 1) ? 1 : 0;
      int lose = 1 - keep;

      extend(xofs, level, seed[0], s0, t0);
      extend(xofs, level, seed[1], s1, t1);
      seedCw[level] = xor(s0[lose], s1[lose]);
      ctrlCw[level] = new int[] {t0[0] ^ t1[0] ^ keep ^ 1, t0[1] ^ t1[1] ^ keep};

      // x = s[keep] ^ (ctrl ? seed_cw : 0), ctrl = t[keep] ^ (ctrl & ctrl_cw[keep]), by masks.
      byte[] x0 = xor(s0[keep], conditionalSelect(ctrl[0], seedCw[level]));
      byte[] x1 = xor(s1[keep], conditionalSelect(ctrl[1], seedCw[level]));
      ctrl[0] = t0[keep] ^ (ctrl[0] & ctrlCw[level][keep]);
      ctrl[1] = t1[keep] ^ (ctrl[1] & ctrlCw[level][keep]);
      long[] w0 = convert(xofs, level, x0, seed[0]);
      long[] w1 = convert(xofs, level, x1, seed[1]);

      long[] b = level < bits - 1 ? betaInner[level] : betaLeaf;
      if (b == null || b.length != valueLen * field.limbs()) {
        throw new IllegalArgumentException("beta at level " + level + " must have " + valueLen
            + " " + field.name() + " elements");
      }
      long[] wCw = field.alloc(valueLen);
      field.subVec(b, w0, wCw, valueLen);
      field.addVec(wCw, w1, wCw, valueLen);
      // Negated when ctrl[1] is set: multiplied by 1 - 2 * ctrl[1], without a branch.
      long[] sign = field.alloc(1);
      long[] twice = field.alloc(1);
      field.set(sign, 0, 1);
      field.set(twice, 0, 2L * ctrl[1]);
      field.sub(sign, 0, twice, 0, sign, 0);
      for (int i = 0; i < valueLen; i++) {
        field.mul(wCw, i, sign, 0, wCw, i);
      }
      if (level < bits - 1) {
        System.arraycopy(wCw, 0, wCwInner, level * valueLen, valueLen);
      } else {
        System.arraycopy(wCw, 0, wCwLeaf, 0, wCw.length);
      }
    }
    return new Keys(new IdpfPoplar.PublicShare(bits, valueLen, seedCw, ctrlCw, wCwInner, wCwLeaf),
        key[0], key[1]);
  }

  // ---- Key evaluation (§8.3.3) -------------------------------------------------------------

  /**
   * Idpf.eval(agg_id, public_share, key, level, prefixes, ctx, nonce): this aggregator's share of
   * the value at each prefix, {@code prefixes.size() * VALUE_LEN} elements of {@link
   * #currentField(int) current_field(level)}; component {@code k} of the value at prefix {@code i}
   * is element {@code i * VALUE_LEN + k}.
   *
   * @param prefixes distinct prefixes, each in [0, 2^(level + 1)), in any order
   */
  public long[] eval(int aggId, IdpfPoplar.PublicShare publicShare, byte[] key, int level,
      List<BigInteger> prefixes, byte[] ctx, byte[] nonce) {
    if (aggId < 0 || aggId >= SHARES) {
      throw new IllegalArgumentException("aggregator id " + aggId + " not in [0, 2)");
    }
    if (level < 0 || level >= bits) {
      throw new IllegalArgumentException("level " + level + " not in [0, " + bits + ")");
    }
    if (publicShare.bits != bits || publicShare.valueLen != valueLen) {
      throw new IllegalArgumentException("public share is for another IDPF");
    }
    if (key == null || key.length != KEY_SIZE) {
      throw new IllegalArgumentException("key must be " + KEY_SIZE + " bytes");
    }
    Set<BigInteger> unique = new HashSet<>(prefixes);
    if (unique.size() != prefixes.size()) {
      throw new IllegalArgumentException("prefixes must be unique");
    }
    for (BigInteger prefix : prefixes) {
      if (prefix.signum() < 0 || prefix.bitLength() > level + 1) {
        throw new IllegalArgumentException(
            "prefix " + prefix + " is not in [0, 2^" + (level + 1) + ")");
      }
    }
    Xofs xofs = new Xofs(ctx, nonce);
    Field field = currentField(level);
    int n = prefixes.size();
    long[] out = field.alloc(n * valueLen);

    // The implementation note of §8.3.3: nodes on the path of the previous prefix are kept, so
    // prefixes sharing their first levels walk those levels once. pathSeed[d] and pathCtrl[d]
    // are the node reached at level d.
    byte[][] pathSeed = new byte[level + 1][KEY_SIZE];
    int[] pathCtrl = new int[level + 1];
    BigInteger previous = null;
    byte[][] s = new byte[2][KEY_SIZE];
    int[] t = new int[2];
    for (int i = 0; i < n; i++) {
      BigInteger prefix = prefixes.get(i);
      int start = 0;
      if (previous != null) {
        while (start < level
            && previous.testBit(level - start) == prefix.testBit(level - start)) {
          start++;
        }
      }
      long[] y = null;
      for (int current = start; current <= level; current++) {
        byte[] seed = current == 0 ? key : pathSeed[current - 1];
        int ctrl = current == 0 ? aggId : pathCtrl[current - 1];
        int bit = prefix.testBit(level - current) ? 1 : 0;
        y = evalNext(xofs, seed, ctrl, publicShare, current, bit, s, t, pathSeed[current]);
        pathCtrl[current] = t[bit];
      }
      if (aggId == 1) {
        for (int k = 0; k < valueLen; k++) {
          field.neg(y, k, y, k);
        }
      }
      System.arraycopy(y, 0, out, i * valueLen * field.limbs(), y.length);
      previous = prefix;
    }
    return out;
  }

  /**
   * eval_next (§8.3.3): the child of node (prevSeed, prevCtrl) at {@code level} in direction
   * {@code bit}. Writes the child's seed into nextSeed and its control bit into t[bit]; returns
   * the value share y (before the sign of aggregator 1).
   */
  private long[] evalNext(Xofs xofs, byte[] prevSeed, int prevCtrl, IdpfPoplar.PublicShare cw,
      int level, int bit, byte[][] s, int[] t, byte[] nextSeed) {
    Field field = currentField(level);
    extend(xofs, level, prevSeed, s, t);
    byte[] seedCw = conditionalSelect(prevCtrl, cw.seedCw[level]);
    xorInto(s[0], seedCw);
    xorInto(s[1], seedCw);
    t[0] ^= cw.ctrlCw[level][0] & prevCtrl;
    t[1] ^= cw.ctrlCw[level][1] & prevCtrl;

    int nextCtrl = t[bit];
    long[] y = convert(xofs, level, s[bit], nextSeed);
    // y += next_ctrl * w_cw, without a branch.
    long[] wCw = cw.wCw(level);
    long[] mask = field.alloc(1);
    field.set(mask, 0, nextCtrl);
    long[] term = field.alloc(1);
    for (int k = 0; k < valueLen; k++) {
      field.mul(wCw, k, mask, 0, term, 0);
      field.add(y, k, term, 0, y, k);
    }
    return y;
  }

  // ---- Auxiliary functions (§8.3.4) --------------------------------------------------------

  /**
   * current_xof(level, seed, dst, nonce) for the two usages, with the fixed AES keys derived once
   * per call of gen or eval: XofFixedKeyAes128 for the inner levels, XofTurboShake128 for the
   * leaf. The tags are {@code format_dst(1, 0, usage) || ctx}.
   */
  private final class Xofs {
    private final byte[] nonce;
    private final byte[][] dst = new byte[2][];
    private final FixedKey[] fixedKey = new FixedKey[2];

    Xofs(byte[] ctx, byte[] nonce) {
      Objects.requireNonNull(ctx, "ctx");
      if (nonce == null || nonce.length != NONCE_SIZE) {
        throw new IllegalArgumentException("nonce must be " + NONCE_SIZE + " bytes");
      }
      this.nonce = nonce.clone();
      for (int usage : new int[] {USAGE_EXTEND, USAGE_CONVERT}) {
        dst[usage] = Dst.format(VERSION, Dst.CLASS_IDPF, 0, usage, ctx);
        if (bits > 1) {
          fixedKey[usage] = XOF_INNER.fixedKey(dst[usage], this.nonce);
        }
      }
    }

    Xof.Stream stream(int level, int usage, byte[] seed) {
      if (level < bits - 1) {
        return fixedKey[usage].stream(seed);
      }
      return XOF_LEAF.initAnySeedLength(seed, dst[usage], nonce);
    }
  }

  /**
   * extend(level, seed, ctx, nonce): two seeds and two control bits. The control bits are the low
   * bits of the first byte of each seed, which are then cleared.
   */
  private static void extend(Xofs xofs, int level, byte[] seed, byte[][] s, int[] t) {
    Xof.Stream xof = xofs.stream(level, USAGE_EXTEND, seed);
    for (int j = 0; j < 2; j++) {
      xof.next(s[j], 0, KEY_SIZE);
      t[j] = s[j][0] & 1;
      s[j][0] &= (byte) 0xfe;
    }
  }

  /** convert(level, seed, ctx, nonce): writes the next seed into nextSeed, returns the value. */
  private long[] convert(Xofs xofs, int level, byte[] seed, byte[] nextSeed) {
    Xof.Stream xof = xofs.stream(level, USAGE_CONVERT, seed);
    xof.next(nextSeed, 0, KEY_SIZE);
    return xof.nextVec(currentField(level), valueLen);
  }

  /** {@code inp} if {@code bit} is 1, else zeros. */
  private static byte[] conditionalSelect(int bit, byte[] inp) {
    byte m = (byte) -bit;
    byte[] out = new byte[inp.length];
    for (int i = 0; i < inp.length; i++) {
      out[i] = (byte) (inp[i] & m);
    }
    return out;
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = a.clone();
    xorInto(out, b);
    return out;
  }

  private static void xorInto(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] ^= b[i];
    }
  }

  // ---- Public share encoding (§8.2.6.1) ----------------------------------------------------

  private int packedLength() {
    return (2 * bits + 7) / 8;
  }

  /** The encoded length of a public share. */
  public int publicShareLength() {
    long len = packedLength() + (long) bits * KEY_SIZE
        + (long) (bits - 1) * valueLen * Field64.INSTANCE.encodedSize()
        + (long) valueLen * Field255.INSTANCE.encodedSize();
    return Math.toIntExact(len);
  }

  /**
   * encode_public_share: {@code packed_control_bits || seed[BITS] || payload_inner ||
   * payload_leaf}, the control bits two per level, least significant bit first, zero-padded.
   */
  public byte[] encodePublicShare(IdpfPoplar.PublicShare p) {
    if (p.bits != bits || p.valueLen != valueLen) {
      throw new IllegalArgumentException("public share is for another IDPF");
    }
    byte[] out = new byte[publicShareLength()];
    for (int level = 0; level < bits; level++) {
      for (int j = 0; j < 2; j++) {
        int i = 2 * level + j;
        out[i >>> 3] |= (byte) (p.ctrlCw[level][j] << (i & 7));
      }
    }
    int off = packedLength();
    for (int level = 0; level < bits; level++) {
      System.arraycopy(p.seedCw[level], 0, out, off, KEY_SIZE);
      off += KEY_SIZE;
    }
    Field64.INSTANCE.encode(p.wCwInner, (bits - 1) * valueLen, out, off);
    off += (bits - 1) * valueLen * Field64.INSTANCE.encodedSize();
    Field255.INSTANCE.encode(p.wCwLeaf, valueLen, out, off);
    return out;
  }

  /**
   * decode_public_share, strictly: the length must be exact, the padding bits after the control
   * bits zero, and every field element below its modulus.
   */
  public IdpfPoplar.PublicShare decodePublicShare(byte[] encoded) throws DecodeException {
    if (encoded == null) {
      throw new DecodeException("IdpfBBCGGI21 public share: missing");
    }
    int want = publicShareLength();
    if (encoded.length != want) {
      throw new DecodeException(
          "IdpfBBCGGI21 public share: got " + encoded.length + " bytes; want " + want);
    }
    int packed = packedLength();
    int usedBits = 2 * bits - 8 * (packed - 1);
    if ((encoded[packed - 1] & 0xff) >>> usedBits != 0) {
      throw new DecodeException("IdpfBBCGGI21 public share: trailing control bits");
    }
    int[][] ctrlCw = new int[bits][2];
    for (int level = 0; level < bits; level++) {
      for (int j = 0; j < 2; j++) {
        int i = 2 * level + j;
        ctrlCw[level][j] = (encoded[i >>> 3] >>> (i & 7)) & 1;
      }
    }
    byte[][] seedCw = new byte[bits][];
    int off = packed;
    for (int level = 0; level < bits; level++) {
      seedCw[level] = Arrays.copyOfRange(encoded, off, off + KEY_SIZE);
      off += KEY_SIZE;
    }
    long[] wCwInner = Field64.INSTANCE.decode(encoded, off, (bits - 1) * valueLen);
    off += (bits - 1) * valueLen * Field64.INSTANCE.encodedSize();
    long[] wCwLeaf = Field255.INSTANCE.decode(encoded, off, valueLen);
    return new IdpfPoplar.PublicShare(bits, valueLen, seedCw, ctrlCw, wCwInner, wCwLeaf);
  }

  @Override
  public String toString() {
    return "IdpfBBCGGI21(bits=" + bits + ", valueLen=" + valueLen + ")";
  }

  // ---- Types -------------------------------------------------------------------------------

  /** The output of {@link #gen}: the public share and the two keys. The keys are secret. */
  public static final class Keys {
    private final IdpfPoplar.PublicShare publicShare;
    private final byte[][] keys;

    Keys(IdpfPoplar.PublicShare publicShare, byte[] key0, byte[] key1) {
      this.publicShare = publicShare;
      this.keys = new byte[][] {key0, key1};
    }

    public IdpfPoplar.PublicShare publicShare() {
      return publicShare;
    }

    /** Aggregator {@code aggId}'s key, KEY_SIZE bytes (a copy). */
    public byte[] key(int aggId) {
      if (aggId < 0 || aggId >= SHARES) {
        throw new IllegalArgumentException("aggregator id " + aggId + " not in [0, 2)");
      }
      return keys[aggId].clone();
    }

    @Override
    public String toString() {
      return "IdpfBBCGGI21.Keys[" + publicShare + ", <redacted>]";
    }
  }
}
