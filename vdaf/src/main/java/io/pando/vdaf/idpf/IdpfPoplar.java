package io.pando.vdaf.idpf;

import io.pando.codec.DecodeException;
import io.pando.vdaf.Dst;
import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field255;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.xof.Xof;
import io.pando.vdaf.xof.XofFixedKeyAes128;
import io.pando.vdaf.xof.XofFixedKeyAes128.FixedKey;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * IdpfPoplar (draft-irtf-cfrg-vdaf-08 §8.3): the incremental distributed point function of
 * [BBCGGI21, Section 6], with values that are vectors of VALUE_LEN field elements. Inner levels use
 * {@link Field64}, the leaf level {@link Field255}; seeds are expanded with {@link
 * XofFixedKeyAes128} keyed by the binder (the report nonce in Poplar1).
 *
 * <p>Indices are integers of BITS bits whose most significant bit is the first level of the tree;
 * a prefix at level {@code L} has {@code L + 1} bits. Field vectors are in the representation of
 * {@link Field}: a value for one prefix is VALUE_LEN consecutive elements.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class IdpfPoplar {
  /** SHARES: the number of keys. */
  public static final int SHARES = 2;

  /** KEY_SIZE: XofFixedKeyAes128.SEED_SIZE. */
  public static final int KEY_SIZE = XofFixedKeyAes128.SEED_SIZE;

  /** RAND_SIZE: two seeds. */
  public static final int RAND_SIZE = 2 * XofFixedKeyAes128.SEED_SIZE;

  /** The largest BITS: a level must fit the 16-bit level of Poplar1's aggregation parameter. */
  public static final int MAX_BITS = 1 << 16;

  // Usages of format_dst(1, 0, usage) (§8.3.3).
  static final int USAGE_EXTEND = 0;
  static final int USAGE_CONVERT = 1;

  private static final int SEED_SIZE = XofFixedKeyAes128.SEED_SIZE;
  private static final XofFixedKeyAes128 XOF = XofFixedKeyAes128.INSTANCE;
  private static final byte[] DST_EXTEND = Dst.format(Dst.CLASS_IDPF, 0, USAGE_EXTEND);
  private static final byte[] DST_CONVERT = Dst.format(Dst.CLASS_IDPF, 0, USAGE_CONVERT);

  private final int bits;
  private final int valueLen;

  /**
   * IdpfPoplar with the given BITS and VALUE_LEN.
   *
   * @param bits BITS, in [1, 2^16]
   * @param valueLen VALUE_LEN, positive (Poplar1 uses 2)
   */
  public IdpfPoplar(int bits, int valueLen) {
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

  /** FieldInner: Field64. */
  public Field fieldInner() {
    return Field64.INSTANCE;
  }

  /** FieldLeaf: Field255. */
  public Field fieldLeaf() {
    return Field255.INSTANCE;
  }

  /** current_field(level) (§8.1): FieldInner above the last level, FieldLeaf at it. */
  public Field currentField(int level) {
    return level < bits - 1 ? Field64.INSTANCE : Field255.INSTANCE;
  }

  // ---- Key generation (§8.3.1) -------------------------------------------------------------

  /**
   * Idpf.gen(alpha, beta_inner, beta_leaf, binder, rand): the public share (correction words) and
   * the two keys (the two halves of rand).
   *
   * @param alpha the point, in [0, 2^BITS)
   * @param betaInner BITS - 1 Field64 vectors of VALUE_LEN elements, one per inner level
   * @param betaLeaf a Field255 vector of VALUE_LEN elements
   * @param binder binds the keys to a context (the report nonce in Poplar1)
   * @param rand RAND_SIZE random bytes
   */
  public Keys gen(BigInteger alpha, long[][] betaInner, long[] betaLeaf, byte[] binder,
      byte[] rand) {
    Objects.requireNonNull(binder, "binder");
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
    FixedKey extendKey = XOF.fixedKey(DST_EXTEND, binder);
    FixedKey convertKey = XOF.fixedKey(DST_CONVERT, binder);

    byte[][] initSeed = {Arrays.copyOfRange(rand, 0, SEED_SIZE),
        Arrays.copyOfRange(rand, SEED_SIZE, 2 * SEED_SIZE)};
    byte[][] seed = {initSeed[0].clone(), initSeed[1].clone()};
    int[] ctrl = {0, 1};
    byte[][] seedCw = new byte[bits][];
    int[][] ctrlCw = new int[bits][];
    long[] wCwInner = Field64.INSTANCE.alloc((bits - 1) * valueLen);
    long[] wCwLeaf = Field255.INSTANCE.alloc(valueLen);

    byte[][] s0 = new byte[2][SEED_SIZE];
    byte[][] s1 = new byte[2][SEED_SIZE];
    int[] t0 = new int[2];
    int[] t1 = new int[2];
    for (int level = 0; level < bits; level++) {
      Field field = currentField(level);
      int keep = alpha.testBit(bits - level - 1) ? 1 : 0;
      int lose = 1 - keep;

      extend(extendKey, seed[0], s0, t0);
      extend(extendKey, seed[1], s1, t1);
      seedCw[level] = xor(s0[lose], s1[lose]);
      ctrlCw[level] = new int[] {t0[0] ^ t1[0] ^ keep ^ 1, t0[1] ^ t1[1] ^ keep};

      byte[] x0 = xor(s0[keep], conditionalSelect(ctrl[0], seedCw[level]));
      byte[] x1 = xor(s1[keep], conditionalSelect(ctrl[1], seedCw[level]));
      long[] w0 = convert(convertKey, level, x0, seed[0]);
      long[] w1 = convert(convertKey, level, x1, seed[1]);
      ctrl[0] = t0[keep] ^ (ctrl[0] & ctrlCw[level][keep]);
      ctrl[1] = t1[keep] ^ (ctrl[1] & ctrlCw[level][keep]);

      long[] b = level < bits - 1 ? betaInner[level] : betaLeaf;
      if (b == null || b.length != valueLen * field.limbs()) {
        throw new IllegalArgumentException("beta at level " + level + " must have " + valueLen
            + " " + field.name() + " elements");
      }
      long[] wCw = field.alloc(valueLen);
      field.subVec(b, w0, wCw, valueLen);
      field.addVec(wCw, w1, wCw, valueLen);
      // Negate the correction word when ctrl[1] is set, without branching: multiply by
      // 1 - 2 * ctrl[1].
      long[] mask = field.alloc(1);
      long[] twice = field.alloc(1);
      field.set(mask, 0, 1);
      field.set(twice, 0, 2L * ctrl[1]);
      field.sub(mask, 0, twice, 0, mask, 0);
      for (int i = 0; i < valueLen; i++) {
        field.mul(wCw, i, mask, 0, wCw, i);
      }
      if (level < bits - 1) {
        System.arraycopy(wCw, 0, wCwInner, level * valueLen * field.limbs(), wCw.length);
      } else {
        System.arraycopy(wCw, 0, wCwLeaf, 0, wCw.length);
      }
    }
    return new Keys(new PublicShare(bits, valueLen, seedCw, ctrlCw, wCwInner, wCwLeaf),
        initSeed[0], initSeed[1]);
  }

  // ---- Key evaluation (§8.3.2) -------------------------------------------------------------

  /**
   * Idpf.eval(agg_id, public_share, key, level, prefixes, binder): this aggregator's share of the
   * value at each prefix, {@code prefixes.size() * VALUE_LEN} elements of {@link
   * #currentField(int) current_field(level)}; component {@code k} of the value at prefix {@code i}
   * is element {@code i * VALUE_LEN + k}.
   *
   * @param prefixes distinct prefixes, each in [0, 2^(level + 1))
   */
  public long[] eval(int aggId, PublicShare publicShare, byte[] key, int level,
      List<BigInteger> prefixes, byte[] binder) {
    if (aggId < 0 || aggId >= SHARES) {
      throw new IllegalArgumentException("aggregator id " + aggId + " not in [0, 2)");
    }
    if (level < 0 || level >= bits) {
      throw new IllegalArgumentException("level " + level + " not in [0, " + bits + ")");
    }
    if (publicShare.bits != bits || publicShare.valueLen != valueLen) {
      throw new IllegalArgumentException("public share is for another IdpfPoplar");
    }
    if (key == null || key.length != KEY_SIZE) {
      throw new IllegalArgumentException("key must be " + KEY_SIZE + " bytes");
    }
    Objects.requireNonNull(binder, "binder");
    Set<BigInteger> unique = new HashSet<>(prefixes);
    if (unique.size() != prefixes.size()) {
      throw new IllegalArgumentException("candidate prefixes are not unique");
    }
    for (BigInteger prefix : prefixes) {
      if (prefix.signum() < 0 || prefix.bitLength() > level + 1) {
        throw new IllegalArgumentException("prefix " + prefix + " is not in [0, 2^" + (level + 1)
            + ")");
      }
    }
    FixedKey extendKey = XOF.fixedKey(DST_EXTEND, binder);
    FixedKey convertKey = XOF.fixedKey(DST_CONVERT, binder);
    Field field = currentField(level);
    int n = prefixes.size();
    long[] out = field.alloc(n * valueLen);

    // Implementation note of §8.3.2: nodes on the path of the previous prefix are cached, so a
    // run of prefixes sharing their first levels (as sorted candidate prefixes do) walks those
    // levels once. pathSeed[d] and pathCtrl[d] are the node reached at level d.
    byte[][] pathSeed = new byte[level + 1][SEED_SIZE];
    int[] pathCtrl = new int[level + 1];
    BigInteger previous = null;
    byte[][] s = new byte[2][SEED_SIZE];
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
        y = evalNext(extendKey, convertKey, seed, ctrl, publicShare, current, bit, s, t,
            pathSeed[current]);
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
   * eval_next (§8.3.2): the child of node (prevSeed, prevCtrl) at {@code level} in direction
   * {@code bit}. Writes the child's seed into nextSeed and its control bit into t[bit]; returns
   * the (uncorrected-sign) value share y.
   */
  private long[] evalNext(FixedKey extendKey, FixedKey convertKey, byte[] prevSeed, int prevCtrl,
      PublicShare cw, int level, int bit, byte[][] s, int[] t, byte[] nextSeed) {
    Field field = currentField(level);
    extend(extendKey, prevSeed, s, t);
    byte[] seedCw = conditionalSelect(prevCtrl, cw.seedCw[level]);
    xorInto(s[0], seedCw);
    xorInto(s[1], seedCw);
    t[0] ^= cw.ctrlCw[level][0] & prevCtrl;
    t[1] ^= cw.ctrlCw[level][1] & prevCtrl;

    int nextCtrl = t[bit];
    long[] y = convert(convertKey, level, s[bit], nextSeed);
    // Add the correction word when next_ctrl is set, without branching: multiply it by next_ctrl.
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

  // ---- Auxiliary functions (§8.3.3) --------------------------------------------------------

  /**
   * extend(seed, binder): two seeds and two control bits. The control bits are the low bits of the
   * first byte of each seed, which are then cleared.
   */
  private static void extend(FixedKey extendKey, byte[] seed, byte[][] s, int[] t) {
    Xof.Stream xof = extendKey.stream(seed);
    for (int j = 0; j < 2; j++) {
      xof.next(s[j], 0, SEED_SIZE);
      t[j] = s[j][0] & 1;
      s[j][0] &= (byte) 0xfe;
    }
  }

  /** convert(level, seed, binder): writes the next seed into nextSeed and returns the value. */
  private long[] convert(FixedKey convertKey, int level, byte[] seed, byte[] nextSeed) {
    Xof.Stream xof = convertKey.stream(seed);
    xof.next(nextSeed, 0, SEED_SIZE);
    return xof.nextVec(currentField(level), valueLen);
  }

  /** Field2.conditional_select: {@code inp} if {@code bit} is 1, else zeros. */
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

  // ---- Public share encoding (§8.3.3) ------------------------------------------------------

  /** The encoded length of a public share. */
  public int publicShareLength() {
    long len = (2L * bits + 7) / 8 + (long) bits * SEED_SIZE
        + (long) (bits - 1) * valueLen * Field64.INSTANCE.encodedSize()
        + (long) valueLen * Field255.INSTANCE.encodedSize();
    return Math.toIntExact(len);
  }

  /**
   * encode_public_share: the packed control bits (two per level, least significant bit first,
   * zero-padded), then each level's seed correction word and value correction word.
   */
  public byte[] encodePublicShare(PublicShare p) {
    if (p.bits != bits || p.valueLen != valueLen) {
      throw new IllegalArgumentException("public share is for another IdpfPoplar");
    }
    byte[] out = new byte[publicShareLength()];
    for (int level = 0; level < bits; level++) {
      for (int j = 0; j < 2; j++) {
        int i = 2 * level + j;
        out[i >>> 3] |= (byte) (p.ctrlCw[level][j] << (i & 7));
      }
    }
    int off = (2 * bits + 7) / 8;
    for (int level = 0; level < bits; level++) {
      Field field = currentField(level);
      System.arraycopy(p.seedCw[level], 0, out, off, SEED_SIZE);
      off += SEED_SIZE;
      field.encode(p.wCw(level), valueLen, out, off);
      off += valueLen * field.encodedSize();
    }
    return out;
  }

  /**
   * decode_public_share, strictly: the length must be exact, the padding bits after the control
   * bits zero, and every field element below its modulus.
   */
  public PublicShare decodePublicShare(byte[] encoded) throws DecodeException {
    if (encoded == null) {
      throw new DecodeException("IdpfPoplar public share: missing");
    }
    int want = publicShareLength();
    if (encoded.length != want) {
      throw new DecodeException(
          "IdpfPoplar public share: got " + encoded.length + " bytes; want " + want);
    }
    int ctrlLen = (2 * bits + 7) / 8;
    int usedBits = 2 * bits - 8 * (ctrlLen - 1);
    if ((encoded[ctrlLen - 1] & 0xff) >>> usedBits != 0) {
      throw new DecodeException("IdpfPoplar public share: nonzero padding after control bits");
    }
    int[][] ctrlCw = new int[bits][2];
    for (int level = 0; level < bits; level++) {
      for (int j = 0; j < 2; j++) {
        int i = 2 * level + j;
        ctrlCw[level][j] = (encoded[i >>> 3] >>> (i & 7)) & 1;
      }
    }
    byte[][] seedCw = new byte[bits][];
    long[] wCwInner = Field64.INSTANCE.alloc((bits - 1) * valueLen);
    long[] wCwLeaf = null;
    int off = ctrlLen;
    for (int level = 0; level < bits; level++) {
      Field field = currentField(level);
      seedCw[level] = Arrays.copyOfRange(encoded, off, off + SEED_SIZE);
      off += SEED_SIZE;
      long[] w = field.decode(encoded, off, valueLen);
      off += valueLen * field.encodedSize();
      if (level < bits - 1) {
        System.arraycopy(w, 0, wCwInner, level * valueLen, valueLen);
      } else {
        wCwLeaf = w;
      }
    }
    return new PublicShare(bits, valueLen, seedCw, ctrlCw, wCwInner, wCwLeaf);
  }

  @Override
  public String toString() {
    return "IdpfPoplar(bits=" + bits + ", valueLen=" + valueLen + ")";
  }

  // ---- Types -------------------------------------------------------------------------------

  /**
   * The IdpfPoplar public share: one correction word per level, each a seed, two control bits and
   * a value of VALUE_LEN elements of current_field(level). Not secret.
   */
  public static final class PublicShare {
    final int bits;
    final int valueLen;
    final byte[][] seedCw;
    final int[][] ctrlCw;
    final long[] wCwInner; // (BITS - 1) * VALUE_LEN Field64 elements
    final long[] wCwLeaf; // VALUE_LEN Field255 elements

    PublicShare(int bits, int valueLen, byte[][] seedCw, int[][] ctrlCw, long[] wCwInner,
        long[] wCwLeaf) {
      this.bits = bits;
      this.valueLen = valueLen;
      this.seedCw = seedCw;
      this.ctrlCw = ctrlCw;
      this.wCwInner = wCwInner;
      this.wCwLeaf = wCwLeaf;
    }

    /** BITS of the IDPF this share is for. */
    public int bits() {
      return bits;
    }

    /** The value correction word of {@code level} (a fresh array). */
    long[] wCw(int level) {
      if (level < bits - 1) {
        return Arrays.copyOfRange(wCwInner, level * valueLen, (level + 1) * valueLen);
      }
      return wCwLeaf.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PublicShare p
          && bits == p.bits
          && valueLen == p.valueLen
          && Arrays.deepEquals(seedCw, p.seedCw)
          && Arrays.deepEquals(ctrlCw, p.ctrlCw)
          && Arrays.equals(wCwInner, p.wCwInner)
          && Arrays.equals(wCwLeaf, p.wCwLeaf);
    }

    @Override
    public int hashCode() {
      return Objects.hash(bits, valueLen, Arrays.deepHashCode(seedCw), Arrays.hashCode(wCwLeaf));
    }

    @Override
    public String toString() {
      return "IdpfPoplar.PublicShare[bits=" + bits + ", valueLen=" + valueLen + "]";
    }
  }

  /** The output of {@link #gen}: the public share and the two keys. The keys are secret. */
  public static final class Keys {
    private final PublicShare publicShare;
    private final byte[][] keys;

    Keys(PublicShare publicShare, byte[] key0, byte[] key1) {
      this.publicShare = publicShare;
      this.keys = new byte[][] {key0, key1};
    }

    public PublicShare publicShare() {
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
      return "IdpfPoplar.Keys[" + publicShare + ", <redacted>]";
    }
  }
}
