package io.pando.vdaf.poplar1;

import io.pando.codec.DecodeException;
import io.pando.vdaf.Dst;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field255;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.idpf.IdpfBBCGGI21;
import io.pando.vdaf.idpf.IdpfPoplar;
import io.pando.vdaf.xof.Xof;
import io.pando.vdaf.xof.XofTurboShake128;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Poplar1 (draft-irtf-cfrg-vdaf-08 §8, draft-20 §8): counts, for a set of candidate prefixes, how
 * many measurements (BITS-bit strings) start with each. Built from an IDPF with VALUE_LEN 2 and
 * the secure sketch of [BBCGGI21, Appendix C.4], which preparation checks in two rounds. Two
 * aggregators; the XOF is {@link XofTurboShake128}.
 *
 * <p>Method names follow the newest draft (draft-20), as Prio3's do: {@link #shard}, {@link
 * #isValid}, {@link #verifyInit}, {@link #verifierSharesToMessage}, {@link #verifyNext}, {@link
 * #aggregate}, {@link #unshard}, plus the message encodings of §8.2.6; a verifier share and a
 * verifier message ({@link Poplar1VerifierShare}, {@link Poplar1VerifierMessage}). Draft-08 calls
 * the same steps prep_init, prep_shares_to_prep and prep_next, a prep share and a prep message.
 * Measurements and prefixes are unsigned integers whose most significant bit is
 * the first level of the tree (draft-20's tuples of booleans, first element first; see {@link
 * IdpfBBCGGI21#index}).
 *
 * <p>One instance follows one draft ({@link #version()}):
 *
 * <ul>
 *   <li>draft-08 ({@code new Poplar1(bits)}): codepoint 0x00001000, IDPF {@link IdpfPoplar} bound
 *       to the nonce, 16-byte seeds and verification key, no application context;
 *   <li>draft-20 ({@code new Poplar1(VdafVersion.DRAFT_20, bits)}): codepoint 0x00000006, VERSION
 *       18, IDPF {@link IdpfBBCGGI21}, 32-byte seeds and verification key (RAND_SIZE 128), the
 *       application context string {@code ctx} in every domain separation tag (the overloads
 *       taking {@code ctx}), the aggregation parameter encoding and validity rules of §8.2.3 and
 *       §8.2.6.6, and a round-1 verifier message that must be present.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Poplar1 {
  /** The algorithm identifier of draft-08. */
  public static final int ID = 0x00001000;

  /** The algorithm identifier of draft-20 (§10). */
  public static final int ID_DRAFT_20 = 0x00000006;

  /** VERIFY_KEY_SIZE of draft-08: its XofTurboShake128.SEED_SIZE (see {@link #verifyKeySize}). */
  public static final int VERIFY_KEY_SIZE = 16;

  /** NONCE_SIZE. */
  public static final int NONCE_SIZE = 16;

  /** ROUNDS. */
  public static final int ROUNDS = 2;

  /** SHARES. */
  public static final int SHARES = 2;

  // Usages for domain separation (§8.2).
  static final int USAGE_SHARD_RAND = 1;
  static final int USAGE_CORR_INNER = 2;
  static final int USAGE_CORR_LEAF = 3;
  static final int USAGE_VERIFY_RAND = 4;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_CONTEXT = new byte[0];

  private final VdafVersion version;
  private final int bits;
  private final IdpfPoplar idpf; // draft-08
  private final IdpfBBCGGI21 idpf20; // draft-20
  private final Xof xof;
  private final int seedSize;
  private final int id;
  private final byte[][] dst = new byte[5][]; // format_dst(0, ID, usage), without ctx

  /** Poplar1 of draft-08 for BITS-bit measurements, BITS in [1, 2^16]. */
  public Poplar1(int bits) {
    this(VdafVersion.DRAFT_08, bits);
  }

  /** Poplar1 of the given draft for BITS-bit measurements, BITS in [1, 2^16]. */
  public Poplar1(VdafVersion version, int bits) {
    this.version = Objects.requireNonNull(version, "version");
    boolean d08 = version == VdafVersion.DRAFT_08;
    this.idpf = d08 ? new IdpfPoplar(bits, 2) : null;
    this.idpf20 = d08 ? null : new IdpfBBCGGI21(bits, 2);
    this.bits = bits;
    this.xof = XofTurboShake128.of(version);
    this.seedSize = xof.seedSize();
    this.id = d08 ? ID : ID_DRAFT_20;
    for (int usage = 1; usage <= 4; usage++) {
      dst[usage] = Dst.format(version, Dst.CLASS_VDAF, id, usage, NO_CONTEXT);
    }
  }

  // ---- Parameters ---------------------------------------------------------------------------

  /** The draft this instance follows. */
  public VdafVersion version() {
    return version;
  }

  /** The algorithm identifier (codepoint) of this instance's draft. */
  public int id() {
    return id;
  }

  /** BITS: the length of a measurement. */
  public int bits() {
    return bits;
  }

  /**
   * The IDPF of draft-08: IdpfPoplar with BITS and VALUE_LEN 2.
   *
   * @throws IllegalStateException for a draft-20 instance (see {@link #idpfBBCGGI21()})
   */
  public IdpfPoplar idpf() {
    if (idpf == null) {
      throw new IllegalStateException("draft-20 Poplar1 uses IdpfBBCGGI21");
    }
    return idpf;
  }

  /**
   * The IDPF of draft-20: IdpfBBCGGI21 with BITS and VALUE_LEN 2.
   *
   * @throws IllegalStateException for a draft-08 instance (see {@link #idpf()})
   */
  public IdpfBBCGGI21 idpfBBCGGI21() {
    if (idpf20 == null) {
      throw new IllegalStateException("draft-08 Poplar1 uses IdpfPoplar");
    }
    return idpf20;
  }

  /** VERIFY_KEY_SIZE: XofTurboShake128.SEED_SIZE, 16 bytes in draft-08 and 32 in draft-20. */
  public int verifyKeySize() {
    return seedSize;
  }

  /** RAND_SIZE: {@code Xof.SEED_SIZE * 3 + Idpf.RAND_SIZE} (80 bytes in draft-08, 128 in 20). */
  public int randSize() {
    return 3 * seedSize + IdpfPoplar.RAND_SIZE;
  }

  /** current_field(level): Field64 for inner levels, Field255 for the last. */
  public Field field(int level) {
    return level < bits - 1 ? Field64.INSTANCE : Field255.INSTANCE;
  }

  // ---- Sharding (§8.2.1) -------------------------------------------------------------------

  /** Vdaf.shard with fresh randomness from a SecureRandom. */
  public Poplar1Sharded shard(BigInteger measurement, byte[] nonce) {
    return shard(NO_CONTEXT, measurement, nonce);
  }

  /** Vdaf.shard(ctx, measurement, nonce, rand) with fresh randomness (draft-20). */
  public Poplar1Sharded shard(byte[] ctx, BigInteger measurement, byte[] nonce) {
    byte[] rand = new byte[randSize()];
    RANDOM.nextBytes(rand);
    return shard(ctx, measurement, nonce, rand);
  }

  /**
   * Vdaf.shard(measurement, nonce, rand) with caller-supplied randomness: deterministic, for
   * known-answer tests. Applications use {@link #shard(BigInteger, byte[])}.
   *
   * @param measurement in [0, 2^BITS)
   */
  public Poplar1Sharded shard(BigInteger measurement, byte[] nonce, byte[] rand) {
    return shard(NO_CONTEXT, measurement, nonce, rand);
  }

  /**
   * Vdaf.shard(ctx, measurement, nonce, rand), deterministic (draft-20 §8.2.1).
   *
   * @param measurement in [0, 2^BITS)
   */
  public Poplar1Sharded shard(byte[] ctx, BigInteger measurement, byte[] nonce, byte[] rand) {
    byte[][] dst = dsts(ctx);
    checkSize(nonce, NONCE_SIZE, "nonce");
    checkSize(rand, randSize(), "rand");
    if (measurement.signum() < 0 || measurement.bitLength() > bits) {
      throw new IllegalArgumentException("measurement is not in [0, 2^" + bits + ")");
    }
    Field64 inner = Field64.INSTANCE;
    Field255 leaf = Field255.INSTANCE;
    // Split rand into the IDPF's randomness, the two correlation seeds and the sharding seed.
    byte[] idpfRand = Arrays.copyOfRange(rand, 0, IdpfPoplar.RAND_SIZE);
    int off = IdpfPoplar.RAND_SIZE;
    byte[][] corrSeed = {Arrays.copyOfRange(rand, off, off + seedSize),
        Arrays.copyOfRange(rand, off + seedSize, off + 2 * seedSize)};
    byte[] kShard = Arrays.copyOfRange(rand, off + 2 * seedSize, off + 3 * seedSize);
    Xof.Stream xof = this.xof.init(kShard, dst[USAGE_SHARD_RAND], nonce);

    // The IDPF values: (1, k) at each level, k a random authenticator for the sketch.
    long[] kInner = xof.nextVec(inner, bits - 1);
    long[][] betaInner = new long[bits - 1][];
    for (int level = 0; level < bits - 1; level++) {
      betaInner[level] = inner.alloc(2);
      inner.set(betaInner[level], 0, 1);
      inner.copy(kInner, level, betaInner[level], 1);
    }
    long[] betaLeaf = leaf.alloc(2);
    leaf.set(betaLeaf, 0, 1);
    leaf.copy(xof.nextVec(leaf, 1), 0, betaLeaf, 1);

    IdpfPoplar.PublicShare publicShare;
    byte[][] idpfKeys;
    if (idpf != null) {
      IdpfPoplar.Keys keys = idpf.gen(measurement, betaInner, betaLeaf, nonce, idpfRand);
      publicShare = keys.publicShare();
      idpfKeys = new byte[][] {keys.key(0), keys.key(1)};
    } else {
      IdpfBBCGGI21.Keys keys = idpf20.gen(measurement, betaInner, betaLeaf, ctx, nonce, idpfRand);
      publicShare = keys.publicShare();
      idpfKeys = new byte[][] {keys.key(0), keys.key(1)};
    }

    // The correlated randomness (a, b, c) per level, the sum of what both seeds expand to.
    long[] offsetsInner = inner.alloc(3 * (bits - 1));
    long[] offsetsLeaf = leaf.alloc(3);
    for (int j = 0; j < SHARES; j++) {
      byte[] binder = {(byte) j};
      long[] in = this.xof.expandIntoVec(inner, corrSeed[j], dst[USAGE_CORR_INNER],
          3 * (bits - 1), binder, nonce);
      inner.addVec(offsetsInner, in, offsetsInner, 3 * (bits - 1));
      long[] lf = this.xof.expandIntoVec(leaf, corrSeed[j], dst[USAGE_CORR_LEAF], 3, binder,
          nonce);
      leaf.addVec(offsetsLeaf, lf, offsetsLeaf, 3);
    }

    // Shares of A = -2a + k and B = a^2 + b - a*k + c per level [BBCGGI21, Appendix C.4].
    long[][] corrInner = {inner.alloc(2 * (bits - 1)), inner.alloc(2 * (bits - 1))};
    long[][] corrLeaf = new long[2][];
    for (int level = 0; level < bits; level++) {
      boolean isLeaf = level == bits - 1;
      Field field = field(level);
      long[] abc = isLeaf ? offsetsLeaf : slice(inner, offsetsInner, 3 * level, 3);
      long[] k = isLeaf ? slice(leaf, betaLeaf, 1, 1) : slice(inner, betaInner[level], 1, 1);
      long[] ab = corrAB(field, abc, k);
      long[] corr1 = xof.nextVec(field, 2);
      long[] corr0 = field.alloc(2);
      field.subVec(ab, corr1, corr0, 2);
      if (isLeaf) {
        corrLeaf[0] = corr0;
        corrLeaf[1] = corr1;
      } else {
        System.arraycopy(corr0, 0, corrInner[0], 2 * level, 2);
        System.arraycopy(corr1, 0, corrInner[1], 2 * level, 2);
      }
    }

    List<Poplar1InputShare> inputShares = new ArrayList<>(SHARES);
    for (int j = 0; j < SHARES; j++) {
      inputShares.add(new Poplar1InputShare(idpfKeys[j], corrSeed[j], corrInner[j], corrLeaf[j]));
    }
    return new Poplar1Sharded(publicShare, inputShares);
  }

  /** (A, B) = (-2a + k, a^2 + b - a*k + c) for abc = (a, b, c). */
  private static long[] corrAB(Field f, long[] abc, long[] k) {
    long[] r = f.alloc(2);
    long[] t = f.alloc(1);
    // A = k - 2a
    f.add(abc, 0, abc, 0, t, 0);
    f.sub(k, 0, t, 0, r, 0);
    // B = a^2 + b - a*k + c
    f.mul(abc, 0, abc, 0, t, 0);
    f.add(t, 0, abc, 1, t, 0);
    long[] ak = f.alloc(1);
    f.mul(abc, 0, k, 0, ak, 0);
    f.sub(t, 0, ak, 0, t, 0);
    f.add(t, 0, abc, 2, t, 0);
    f.copy(t, 0, r, 1);
    return r;
  }

  // ---- Validity of aggregation parameters (§8.2.3) -------------------------------------------

  /**
   * is_valid(agg_param, previous_agg_params).
   *
   * <p>Draft-08: a report may be prepared at a level only once, so the parameter is valid unless a
   * previous one has the same level.
   *
   * <p>Draft-20 (§8.2.3): the prefixes must be unique and in lexicographic order; and if there are
   * previous parameters (in the order they were used), the level must be above the last one's and
   * every prefix must extend one of the last one's prefixes.
   */
  public boolean isValid(Poplar1AggParam aggParam, Collection<Poplar1AggParam> previousAggParams) {
    if (version == VdafVersion.DRAFT_08) {
      for (Poplar1AggParam other : previousAggParams) {
        if (other.level() == aggParam.level()) {
          return false;
        }
      }
      return true;
    }
    if (!aggParam.prefixesSortedAndUnique()) {
      return false;
    }
    if (previousAggParams.isEmpty()) {
      return true;
    }
    Poplar1AggParam last = null;
    for (Poplar1AggParam p : previousAggParams) {
      last = p;
    }
    if (aggParam.level() <= last.level()) {
      return false;
    }
    Set<BigInteger> lastPrefixes = new HashSet<>(last.prefixes());
    int drop = aggParam.level() - last.level();
    for (BigInteger prefix : aggParam.prefixes()) {
      // get_ancestor(prefix, last_level): its first last_level + 1 bits.
      if (!lastPrefixes.contains(prefix.shiftRight(drop))) {
        return false;
      }
    }
    return true;
  }

  // ---- Preparation (§8.2.2) ----------------------------------------------------------------

  /**
   * Vdaf.prep_init(verify_key, agg_id, agg_param, nonce, public_share, input_share): evaluates the
   * IDPF key at the candidate prefixes and computes the round-1 sketch share (the masked input
   * values of [BBCGGI21, Appendix C.4]).
   *
   * <p>Draft-08 wants the prefixes unique and increasing (§8.2.2), which {@link Poplar1AggParam}
   * ensures unless made with {@link Poplar1AggParam#ofAnyOrder}.
   *
   * @throws IllegalArgumentException if the level is not below BITS, the prefixes break the rule
   *     above, or a size is wrong
   */
  public Poplar1VerifyInit verifyInit(byte[] verifyKey, int aggId, Poplar1AggParam aggParam,
      byte[] nonce, IdpfPoplar.PublicShare publicShare, Poplar1InputShare inputShare) {
    return verifyInit(verifyKey, NO_CONTEXT, aggId, aggParam, nonce, publicShare, inputShare);
  }

  /**
   * Vdaf.prep_init with the application context (draft-20 §8.2.2 verify_init(verify_key, ctx,
   * agg_id, agg_param, nonce, public_share, input_share)). In draft-20 the prefixes must be unique
   * and may come in any order here (is_valid checks their order).
   *
   * @throws IllegalArgumentException if the level is not below BITS, the prefixes repeat, or a
   *     size is wrong
   */
  public Poplar1VerifyInit verifyInit(byte[] verifyKey, byte[] ctx, int aggId,
      Poplar1AggParam aggParam, byte[] nonce, IdpfPoplar.PublicShare publicShare,
      Poplar1InputShare inputShare) {
    byte[][] dst = dsts(ctx);
    checkSize(verifyKey, seedSize, "verify key");
    checkSize(nonce, NONCE_SIZE, "nonce");
    checkAggId(aggId);
    int level = checkLevel(aggParam);
    if (inputShare.corrInner.length != 2 * (bits - 1)) {
      throw new IllegalArgumentException("input share is for another BITS");
    }
    if (inputShare.corrSeed.length != seedSize) {
      throw new IllegalArgumentException("input share is for another draft");
    }
    List<BigInteger> prefixes = aggParam.prefixes();
    if (version == VdafVersion.DRAFT_08 && !aggParam.prefixesSortedAndUnique()) {
      throw new IllegalArgumentException("candidate prefixes are not unique and in order");
    }
    int n = prefixes.size();
    Field field = field(level);
    boolean isLeaf = level == bits - 1;

    // Evaluate the IDPF key at the candidate prefixes: (data_share, auth_share) per prefix.
    long[] value = idpf != null
        ? idpf.eval(aggId, publicShare, inputShare.key, level, prefixes, nonce)
        : idpf20.eval(aggId, publicShare, inputShare.key, level, prefixes, ctx, nonce);

    // This aggregator's shares of (a, b, c) for the level; the inner stream is fast-forwarded
    // past the earlier levels.
    byte[] binder = {(byte) aggId};
    Xof.Stream corrXof = xof.init(inputShare.corrSeed,
        dst[isLeaf ? USAGE_CORR_LEAF : USAGE_CORR_INNER], binder, nonce);
    if (!isLeaf) {
      corrXof.nextVec(field, 3 * level);
    }
    long[] sketchShare = corrXof.nextVec(field, 3);
    long[] corrA;
    long[] corrB;
    if (isLeaf) {
      corrA = slice(field, inputShare.corrLeaf, 0, 1);
      corrB = slice(field, inputShare.corrLeaf, 1, 1);
    } else {
      corrA = slice(field, inputShare.corrInner, 2 * level, 1);
      corrB = slice(field, inputShare.corrInner, 2 * level + 1, 1);
    }

    // The round-1 sketch share: (a + sum data*r, b + sum data*r^2, c + sum auth*r).
    long[] verifyRand = xof.init(verifyKey, dst[USAGE_VERIFY_RAND], nonce,
        new byte[] {(byte) (level >>> 8), (byte) level}).nextVec(field, n);
    long[] outShare = field.alloc(n);
    long[] t = field.alloc(1);
    long[] r2 = field.alloc(1);
    for (int i = 0; i < n; i++) {
      int data = 2 * i;
      int auth = 2 * i + 1;
      field.mul(value, data, verifyRand, i, t, 0);
      field.add(sketchShare, 0, t, 0, sketchShare, 0);
      field.mul(verifyRand, i, verifyRand, i, r2, 0);
      field.mul(value, data, r2, 0, t, 0);
      field.add(sketchShare, 1, t, 0, sketchShare, 1);
      field.mul(value, auth, verifyRand, i, t, 0);
      field.add(sketchShare, 2, t, 0, sketchShare, 2);
      field.copy(value, data, outShare, i);
    }
    return new Poplar1VerifyInit(
        new Poplar1VerifyState(1, level, aggId, field, corrA, corrB, outShare),
        new Poplar1VerifierShare(field, sketchShare));
  }

  /**
   * Vdaf.prep_shares_to_prep(agg_param, prep_shares): the sum of the two sketch shares. In round 1
   * that is the prep message; in round 2 the sum must be zero, and the message is then empty.
   *
   * @param prepShares the two aggregators' shares of one round, in aggregator order
   * @throws VdafException if the round-2 sketch does not verify, or the shares are of different
   *     rounds
   */
  public Poplar1VerifierMessage verifierSharesToMessage(Poplar1AggParam aggParam,
      List<Poplar1VerifierShare> prepShares) throws VdafException {
    return verifierSharesToMessage(NO_CONTEXT, aggParam, prepShares);
  }

  /**
   * Vdaf.prep_shares_to_prep with the application context (draft-20 §8.2.2
   * verifier_shares_to_message(ctx, agg_param, verifier_shares); Poplar1 does not use ctx here).
   *
   * @throws VdafException if the round-2 sketch does not verify, or the shares are of different
   *     rounds
   */
  public Poplar1VerifierMessage verifierSharesToMessage(byte[] ctx, Poplar1AggParam aggParam,
      List<Poplar1VerifierShare> prepShares) throws VdafException {
    version.checkContext(ctx);
    if (prepShares.size() != SHARES) {
      throw new IllegalArgumentException("want 2 prep shares, got " + prepShares.size());
    }
    Field field = field(checkLevel(aggParam));
    Poplar1VerifierShare s0 = prepShares.get(0);
    Poplar1VerifierShare s1 = prepShares.get(1);
    if (s0.field != field || s1.field != field) {
      throw new IllegalArgumentException("prep shares are not of the level's field");
    }
    int len = field.length(s0.sketchShare);
    if (field.length(s1.sketchShare) != len) {
      throw new VdafException("prep shares are of different rounds");
    }
    long[] sketch = field.alloc(len);
    field.addVec(s0.sketchShare, s1.sketchShare, sketch, len);
    if (len == 3) {
      return new Poplar1VerifierMessage(field, sketch);
    }
    if (len == 1) {
      if (!field.isZero(sketch, 0)) {
        throw new VdafException("sketch verification failed");
      }
      // The empty message stands for a sketch that verified.
      return new Poplar1VerifierMessage(field, null);
    }
    throw new IllegalArgumentException("unexpected prep share length " + len);
  }

  /**
   * Vdaf.prep_next(prep_state, prep_msg). After round 1 it returns the round-2 state and sketch
   * share {@code agg_id * (z^2 - z* - z**) + A_share * z + B_share} for the round-1 sketch {@code
   * (z, z*, z**)}; after round 2 (whose message must be empty) the output share.
   *
   * @throws VdafException if the message does not belong to the state's round and level
   */
  public Poplar1VerifyStep verifyNext(Poplar1VerifyState state, Poplar1VerifierMessage message)
      throws VdafException {
    Field field = state.field;
    if (message.field != field) {
      throw new VdafException("prep message is for another level's field");
    }
    if (state.round == 1) {
      // Draft-08 counts a missing round-1 sketch as zeros; draft-20 refuses it (§8.2.2).
      if (message.sketch == null && version != VdafVersion.DRAFT_08) {
        throw new VdafException("round-1 verifier message is missing");
      }
      long[] z = message.sketch == null ? field.alloc(3) : message.sketch;
      if (field.length(z) != 3) {
        throw new VdafException("round-1 prep message malformed");
      }
      long[] v = field.alloc(1);
      field.mul(z, 0, z, 0, v, 0);
      field.sub(v, 0, z, 1, v, 0);
      field.sub(v, 0, z, 2, v, 0);
      long[] id = field.alloc(1);
      field.set(id, 0, state.aggId);
      field.mul(v, 0, id, 0, v, 0);
      long[] t = field.alloc(1);
      field.mul(state.corrA, 0, z, 0, t, 0);
      field.add(v, 0, t, 0, v, 0);
      field.add(v, 0, state.corrB, 0, v, 0);
      return new Poplar1VerifyStep.Continue(
          new Poplar1VerifyState(2, state.level, state.aggId, field, null, null, state.outShare),
          new Poplar1VerifierShare(field, v));
    }
    if (message.sketch != null) {
      throw new VdafException("round-2 prep message malformed: it must be empty");
    }
    return new Poplar1VerifyStep.Finish(new Poplar1OutputShare(field, state.outShare.clone()));
  }

  /**
   * Vdaf.prep_next with the application context (draft-20 §8.2.2 verify_next(ctx, verify_state,
   * verifier_message); Poplar1 does not use ctx here).
   */
  public Poplar1VerifyStep verifyNext(byte[] ctx, Poplar1VerifyState state, Poplar1VerifierMessage message)
      throws VdafException {
    version.checkContext(ctx);
    return verifyNext(state, message);
  }

  // ---- Aggregation (§8.2.4) and unsharding (§8.2.5) ------------------------------------------

  /** An all-zero aggregate share for the parameter, the identity for {@link #merge}. */
  public Poplar1AggregateShare emptyAggregateShare(Poplar1AggParam aggParam) {
    Field field = field(checkLevel(aggParam));
    return new Poplar1AggregateShare(field, field.alloc(aggParam.prefixCount()));
  }

  /** Vdaf.aggregate(agg_param, out_shares): the sum of the output shares. */
  public Poplar1AggregateShare aggregate(Poplar1AggParam aggParam,
      Iterable<Poplar1OutputShare> outShares) {
    Field field = field(checkLevel(aggParam));
    int n = aggParam.prefixCount();
    long[] agg = field.alloc(n);
    for (Poplar1OutputShare s : outShares) {
      if (s.field != field || field.length(s.vector) != n) {
        throw new IllegalArgumentException("output share does not match the aggregation parameter");
      }
      field.addVec(agg, s.vector, agg, n);
    }
    return new Poplar1AggregateShare(field, agg);
  }

  /** The sum of two aggregate shares of the same aggregator and aggregation parameter. */
  public Poplar1AggregateShare merge(Poplar1AggregateShare a, Poplar1AggregateShare b) {
    if (a.field != b.field || a.vector.length != b.vector.length) {
      throw new IllegalArgumentException("aggregate shares of different aggregation parameters");
    }
    long[] sum = a.field.alloc(a.length());
    a.field.addVec(a.vector, b.vector, sum, a.length());
    return new Poplar1AggregateShare(a.field, sum);
  }

  /**
   * Vdaf.unshard(agg_param, agg_shares, num_measurements): the count of each candidate prefix.
   *
   * @throws ArithmeticException if a sum does not fit a long (it cannot for aggregate shares of
   *     fewer than 2^63 honestly prepared reports)
   */
  public List<Long> unshard(Poplar1AggParam aggParam, List<Poplar1AggregateShare> aggShares,
      long numMeasurements) {
    Field field = field(checkLevel(aggParam));
    int n = aggParam.prefixCount();
    long[] agg = field.alloc(n);
    for (Poplar1AggregateShare s : aggShares) {
      if (s.field != field || field.length(s.vector) != n) {
        throw new IllegalArgumentException(
            "aggregate share does not match the aggregation parameter");
      }
      field.addVec(agg, s.vector, agg, n);
    }
    List<Long> counts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      counts.add(field.toLongExact(agg, i));
    }
    return List.copyOf(counts);
  }

  // ---- Helpers -----------------------------------------------------------------------------

  /** The domain separation tags of every usage, completed with ctx (draft-20 §6.2.3). */
  private byte[][] dsts(byte[] ctx) {
    version.checkContext(ctx);
    if (ctx.length == 0) {
      return dst;
    }
    byte[][] d = new byte[dst.length][];
    for (int usage = 1; usage < dst.length; usage++) {
      d[usage] = Dst.withContext(dst[usage], ctx);
    }
    return d;
  }

  private int checkLevel(Poplar1AggParam aggParam) {
    if (aggParam.level() >= bits) {
      throw new IllegalArgumentException(
          "level " + aggParam.level() + " is not below BITS = " + bits);
    }
    return aggParam.level();
  }

  private static long[] slice(Field f, long[] v, int from, int n) {
    return Arrays.copyOfRange(v, from * f.limbs(), (from + n) * f.limbs());
  }

  private static void checkSize(byte[] b, int size, String what) {
    if (b == null || b.length != size) {
      throw new IllegalArgumentException(
          what + " must be " + size + " bytes, got " + (b == null ? "null" : b.length));
    }
  }

  private static void checkAggId(int aggId) {
    if (aggId < 0 || aggId >= SHARES) {
      throw new IllegalArgumentException("aggregator id " + aggId + " not in [0, 2)");
    }
  }

  private static void expectLength(byte[] b, long want, String what) throws DecodeException {
    if (b == null) {
      throw new DecodeException(what + ": missing");
    }
    if (b.length != want) {
      throw new DecodeException(what + ": got " + b.length + " bytes; want " + want);
    }
  }

  /** current_field(level) for a decoder: a level not below BITS is a decoding failure. */
  private Field decodeField(Poplar1AggParam aggParam, String what) throws DecodeException {
    if (aggParam.level() >= bits) {
      throw new DecodeException(what + ": level " + aggParam.level() + " is not below BITS = "
          + bits);
    }
    return field(aggParam.level());
  }

  private static int round(int round) {
    if (round != 1 && round != 2) {
      throw new IllegalArgumentException("round must be 1 or 2, got " + round);
    }
    return round;
  }

  // ---- Message encodings (§8.2.6) ------------------------------------------------------------

  /**
   * decode_agg_param of this instance's draft: also refuses a level that is not below BITS. In
   * draft-20 the prefixes keep their encoded order (see {@link #isValid}).
   */
  public Poplar1AggParam decodeAggParam(byte[] encoded) throws DecodeException {
    Poplar1AggParam p = Poplar1AggParam.decode(version, encoded);
    if (p.level() >= bits) {
      throw new DecodeException("Poplar1 aggregation parameter: level " + p.level()
          + " is not below BITS = " + bits);
    }
    return p;
  }

  /** encode_agg_param of this instance's draft. */
  public byte[] encodeAggParam(Poplar1AggParam aggParam) {
    return aggParam.encode(version);
  }

  /** The public share (§8.2.6.1) is the IDPF public share. */
  public byte[] encodePublicShare(IdpfPoplar.PublicShare publicShare) {
    return idpf != null ? idpf.encodePublicShare(publicShare)
        : idpf20.encodePublicShare(publicShare);
  }

  public IdpfPoplar.PublicShare decodePublicShare(byte[] encoded) throws DecodeException {
    return idpf != null ? idpf.decodePublicShare(encoded) : idpf20.decodePublicShare(encoded);
  }

  /** The encoded length of an input share (the same for both aggregators). */
  public int inputShareLength() {
    return IdpfPoplar.KEY_SIZE + seedSize + 2 * (bits - 1) * Field64.INSTANCE.encodedSize()
        + 2 * Field255.INSTANCE.encodedSize();
  }

  /** Poplar1InputShare (§8.2.6.2): idpf_key || corr_seed || corr_inner || corr_leaf. */
  public byte[] encodeInputShare(Poplar1InputShare s) {
    byte[] out = new byte[inputShareLength()];
    System.arraycopy(s.key, 0, out, 0, IdpfPoplar.KEY_SIZE);
    if (s.corrSeed.length != seedSize || s.corrInner.length != 2 * (bits - 1)) {
      throw new IllegalArgumentException("input share is for another BITS or draft");
    }
    System.arraycopy(s.corrSeed, 0, out, IdpfPoplar.KEY_SIZE, seedSize);
    int off = IdpfPoplar.KEY_SIZE + seedSize;
    Field64.INSTANCE.encode(s.corrInner, 2 * (bits - 1), out, off);
    off += 2 * (bits - 1) * Field64.INSTANCE.encodedSize();
    Field255.INSTANCE.encode(s.corrLeaf, 2, out, off);
    return out;
  }

  public Poplar1InputShare decodeInputShare(byte[] encoded) throws DecodeException {
    expectLength(encoded, inputShareLength(), "Poplar1 input share");
    byte[] key = Arrays.copyOfRange(encoded, 0, IdpfPoplar.KEY_SIZE);
    int off = IdpfPoplar.KEY_SIZE;
    byte[] corrSeed = Arrays.copyOfRange(encoded, off, off + seedSize);
    off += seedSize;
    long[] corrInner = Field64.INSTANCE.decode(encoded, off, 2 * (bits - 1));
    off += 2 * (bits - 1) * Field64.INSTANCE.encodedSize();
    long[] corrLeaf = Field255.INSTANCE.decode(encoded, off, 2);
    return new Poplar1InputShare(key, corrSeed, corrInner, corrLeaf);
  }

  /** A prep share (§8.2.6.3): its sketch share elements. */
  public byte[] encodeVerifierShare(Poplar1VerifierShare s) {
    return s.field.encode(s.sketchShare);
  }

  /**
   * Decodes a prep share of {@code round} (1: three elements, 2: one) at the parameter's level.
   */
  public Poplar1VerifierShare decodeVerifierShare(Poplar1AggParam aggParam, int round, byte[] encoded)
      throws DecodeException {
    Field field = decodeField(aggParam, "Poplar1 prep share");
    int n = round(round) == 1 ? 3 : 1;
    expectLength(encoded, (long) n * field.encodedSize(), "Poplar1 round-" + round + " prep share");
    return new Poplar1VerifierShare(field, field.decode(encoded));
  }

  /** Decodes the peer's prep share for the round this state is in. */
  public Poplar1VerifierShare decodeVerifierShare(Poplar1VerifyState state, byte[] encoded)
      throws DecodeException {
    int n = state.round == 1 ? 3 : 1;
    expectLength(encoded, (long) n * state.field.encodedSize(),
        "Poplar1 round-" + state.round + " prep share");
    return new Poplar1VerifierShare(state.field, state.field.decode(encoded));
  }

  /** A prep message (§8.2.6.4): the round-1 sketch, or the empty string after round 2. */
  public byte[] encodeVerifierMessage(Poplar1VerifierMessage m) {
    return m.sketch == null ? new byte[0] : m.field.encode(m.sketch);
  }

  /** Decodes the prep message of {@code round} (1: three elements, 2: empty). */
  public Poplar1VerifierMessage decodeVerifierMessage(Poplar1AggParam aggParam, int round,
      byte[] encoded) throws DecodeException {
    return decodeVerifierMessage(decodeField(aggParam, "Poplar1 prep message"), round(round),
        encoded);
  }

  /** Decodes the prep message this state waits for. */
  public Poplar1VerifierMessage decodeVerifierMessage(Poplar1VerifyState state, byte[] encoded)
      throws DecodeException {
    return decodeVerifierMessage(state.field, state.round, encoded);
  }

  private static Poplar1VerifierMessage decodeVerifierMessage(Field field, int round, byte[] encoded)
      throws DecodeException {
    if (round == 2) {
      expectLength(encoded, 0, "Poplar1 round-2 prep message");
      return new Poplar1VerifierMessage(field, null);
    }
    expectLength(encoded, 3L * field.encodedSize(), "Poplar1 round-1 prep message");
    return new Poplar1VerifierMessage(field, field.decode(encoded));
  }

  /**
   * Encodes a prep state (not a wire message: for storing it between requests): {@code
   * byte(round) || byte(agg_id) || be16(level) || be32(prefix count)}, then in round 1 the {@code
   * (A, B)} shares, then the output share.
   */
  public byte[] encodeVerifyState(Poplar1VerifyState s) {
    Field field = s.field;
    int n = field.length(s.outShare);
    int corr = s.round == 1 ? 2 : 0;
    byte[] out = new byte[8 + (corr + n) * field.encodedSize()];
    out[0] = (byte) s.round;
    out[1] = (byte) s.aggId;
    out[2] = (byte) (s.level >>> 8);
    out[3] = (byte) s.level;
    out[4] = (byte) (n >>> 24);
    out[5] = (byte) (n >>> 16);
    out[6] = (byte) (n >>> 8);
    out[7] = (byte) n;
    int off = 8;
    if (corr != 0) {
      field.encode(s.corrA, 1, out, off);
      field.encode(s.corrB, 1, out, off + field.encodedSize());
      off += 2 * field.encodedSize();
    }
    field.encode(s.outShare, n, out, off);
    return out;
  }

  public Poplar1VerifyState decodeVerifyState(byte[] encoded) throws DecodeException {
    if (encoded == null || encoded.length < 8) {
      throw new DecodeException("Poplar1 prep state: truncated");
    }
    int round = encoded[0] & 0xff;
    int aggId = encoded[1] & 0xff;
    int level = ((encoded[2] & 0xff) << 8) | (encoded[3] & 0xff);
    long n = ((long) (encoded[4] & 0xff) << 24) | ((encoded[5] & 0xff) << 16)
        | ((encoded[6] & 0xff) << 8) | (encoded[7] & 0xff);
    if (round != 1 && round != 2) {
      throw new DecodeException("Poplar1 prep state: round " + round);
    }
    if (aggId >= SHARES) {
      throw new DecodeException("Poplar1 prep state: aggregator id " + aggId);
    }
    if (level >= bits) {
      throw new DecodeException("Poplar1 prep state: level " + level + " is not below " + bits);
    }
    Field field = field(level);
    int corr = round == 1 ? 2 : 0;
    expectLength(encoded, 8 + (corr + n) * field.encodedSize(), "Poplar1 prep state");
    long[] corrA = null;
    long[] corrB = null;
    int off = 8;
    if (corr != 0) {
      corrA = field.decode(encoded, off, 1);
      corrB = field.decode(encoded, off + field.encodedSize(), 1);
      off += 2 * field.encodedSize();
    }
    long[] outShare = field.decode(encoded, off, (int) n);
    return new Poplar1VerifyState(round, level, aggId, field, corrA, corrB, outShare);
  }

  /** An output share: one element of the level's field per prefix. */
  public byte[] encodeOutputShare(Poplar1OutputShare s) {
    return s.field.encode(s.vector);
  }

  public Poplar1OutputShare decodeOutputShare(Poplar1AggParam aggParam, byte[] encoded)
      throws DecodeException {
    Field field = decodeField(aggParam, "Poplar1 output share");
    expectLength(encoded, (long) aggParam.prefixCount() * field.encodedSize(),
        "Poplar1 output share");
    return new Poplar1OutputShare(field, field.decode(encoded));
  }

  /** An aggregate share (§8.2.6.5): one element of the level's field per prefix. */
  public byte[] encodeAggregateShare(Poplar1AggregateShare s) {
    return s.field.encode(s.vector);
  }

  public Poplar1AggregateShare decodeAggregateShare(Poplar1AggParam aggParam, byte[] encoded)
      throws DecodeException {
    Field field = decodeField(aggParam, "Poplar1 aggregate share");
    expectLength(encoded, (long) aggParam.prefixCount() * field.encodedSize(),
        "Poplar1 aggregate share");
    return new Poplar1AggregateShare(field, field.decode(encoded));
  }

  @Override
  public String toString() {
    return version == VdafVersion.DRAFT_08 ? "Poplar1(bits=" + bits + ")"
        : "Poplar1(" + version + ", bits=" + bits + ")";
  }
}
