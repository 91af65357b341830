package io.pando.vdaf.prio3;

import io.pando.codec.DecodeException;
import io.pando.vdaf.Dst;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field128;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.flp.Count;
import io.pando.vdaf.flp.FlpGeneric;
import io.pando.vdaf.flp.HigherDegree;
import io.pando.vdaf.flp.Histogram;
import io.pando.vdaf.flp.MultihotCountVec;
import io.pando.vdaf.flp.Sum;
import io.pando.vdaf.flp.SumVec;
import io.pando.vdaf.flp.Valid;
import io.pando.vdaf.xof.Xof;
import io.pando.vdaf.xof.XofHmacSha256Aes128;
import io.pando.vdaf.xof.XofTurboShake128;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Prio3 (draft-irtf-cfrg-vdaf-08 §7, draft-20 §7): a VDAF built from a validity circuit's FLP and
 * an XOF. One round of preparation (draft-20: verification); any number of aggregators in [2,
 * 256), two in DAP.
 *
 * <p>Method names follow the newest draft (draft-20 §5.2): {@link #shard}, {@link #verifyInit},
 * {@link #verifierSharesToMessage}, {@link #verifyNext}, {@link #aggregate}, {@link #unshard},
 * plus the message encodings of §7.2.6. Draft-08 (and DAP-09) calls the same steps prep_init,
 * prep_shares_to_prep and prep_next, the {@link VerifierShare} a prep share, the {@link
 * VerifierMessage} a prep message and the {@link VerifyState} a prep state.
 *
 * <p>One instance follows one draft ({@link #version()}): the draft-20 one takes the application
 * context string {@code ctx} in shard, verifyInit and verifierSharesToMessage (the overloads without
 * {@code ctx} pass an empty one), uses 32-byte seeds and a helper share of one seed. Instances are
 * immutable and thread-safe.
 *
 * @param <M> measurement type
 * @param <R> aggregate result type
 */
public final class Prio3<M, R> {
  // Usages for domain separation (VDAF-08 §7.2).
  static final int USAGE_MEAS_SHARE = 1;
  static final int USAGE_PROOF_SHARE = 2;
  static final int USAGE_JOINT_RANDOMNESS = 3;
  static final int USAGE_PROVE_RANDOMNESS = 4;
  static final int USAGE_QUERY_RANDOMNESS = 5;
  static final int USAGE_JOINT_RAND_SEED = 6;
  static final int USAGE_JOINT_RAND_PART = 7;

  /** NONCE_SIZE. */
  public static final int NONCE_SIZE = 16;

  /** ROUNDS. */
  public static final int ROUNDS = 1;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] NO_CONTEXT = new byte[0];

  private final VdafVersion version;
  private final int id;
  private final String name;
  private final FlpGeneric<M, R> flp;
  private final Field field;
  private final Xof xof;
  private final int proofs;
  private final int shares;
  private final int seedSize;
  private final boolean jointRand;
  private final int helperSeeds;
  private final byte[][] dst = new byte[8][];

  /**
   * A Prio3 instance.
   *
   * @param id the algorithm identifier (codepoint) that goes into every domain separation tag
   * @param name a display name such as "Prio3Count"
   * @param valid the validity circuit
   * @param xof the XOF; its SEED_SIZE is also VERIFY_KEY_SIZE
   * @param proofs PROOFS, in [1, 256)
   * @param shares SHARES, in [2, 256)
   */
  public Prio3(int id, String name, Valid<M, R> valid, Xof xof, int proofs, int shares) {
    this(VdafVersion.DRAFT_08, id, name, valid, xof, proofs, shares);
  }

  /**
   * A Prio3 instance of the given draft.
   *
   * @param version the draft: domain separation, helper share layout, gadget polynomial form
   */
  public Prio3(VdafVersion version, int id, String name, Valid<M, R> valid, Xof xof, int proofs,
      int shares) {
    if (proofs < 1 || proofs > 255) {
      throw new IllegalArgumentException("PROOFS must be in [1, 256), got " + proofs);
    }
    if (shares < 2 || shares > 255) {
      throw new IllegalArgumentException("SHARES must be in [2, 256), got " + shares);
    }
    this.version = Objects.requireNonNull(version);
    this.id = id;
    this.name = Objects.requireNonNull(name);
    this.flp = new FlpGeneric<>(valid, version);
    this.field = valid.field();
    this.xof = Objects.requireNonNull(xof);
    this.proofs = proofs;
    this.shares = shares;
    this.seedSize = xof.seedSize();
    this.jointRand = valid.jointRandLen() > 0;
    this.helperSeeds = version.helperShareSeeds();
    for (int usage = 1; usage <= 7; usage++) {
      dst[usage] = Dst.format(version, Dst.CLASS_VDAF, id, usage, NO_CONTEXT);
    }
  }

  // ---- The standard VDAF-08 instantiations (§7.4), two aggregators -----------------------------

  /** Prio3Count (ID 0x00000000, Field64). */
  public static Prio3<Boolean, Long> count() {
    return new Prio3<>(0x00000000, "Prio3Count", new Count(Field64.INSTANCE),
        XofTurboShake128.INSTANCE, 1, 2);
  }

  /** Prio3Sum (ID 0x00000001, Field128) for integers in [0, 2^bits). */
  public static Prio3<Long, BigInteger> sum(int bits) {
    return new Prio3<>(0x00000001, "Prio3Sum", new Sum(Field128.INSTANCE, bits),
        XofTurboShake128.INSTANCE, 1, 2);
  }

  /** Prio3SumVec (ID 0x00000002, Field128). */
  public static Prio3<List<Long>, List<BigInteger>> sumVec(int length, int bits,
      int chunkLength) {
    return new Prio3<>(0x00000002, "Prio3SumVec",
        new SumVec(Field128.INSTANCE, length, bits, chunkLength), XofTurboShake128.INSTANCE, 1, 2);
  }

  /** Prio3Histogram (ID 0x00000003, Field128). */
  public static Prio3<Integer, List<Long>> histogram(int length, int chunkLength) {
    return new Prio3<>(0x00000003, "Prio3Histogram",
        new Histogram(Field128.INSTANCE, length, chunkLength), XofTurboShake128.INSTANCE, 1, 2);
  }

  /** Prio3MultihotCountVec (ID 0x00000004, Field128; drafts 10-11, VERSION 8). */
  public static Prio3<List<Boolean>, List<Long>> multihotCountVec(int length, int maxWeight,
      int chunkLength) {
    return new Prio3<>(0x00000004, "Prio3MultihotCountVec",
        new MultihotCountVec(Field128.INSTANCE, length, maxWeight, chunkLength),
        XofTurboShake128.INSTANCE, 1, 2);
  }

  /**
   * SumVec over Field64 with several proofs (draft-08's experimental Prio3SumVecWithMultiproof
   * and its deployed relatives), with the given codepoint and XOF.
   */
  public static Prio3<List<Long>, List<BigInteger>> sumVecField64Multiproof(int id, Xof xof,
      int proofs, int length, int bits, int chunkLength) {
    return new Prio3<>(id, "Prio3SumVecField64Multiproof",
        new SumVec(Field64.INSTANCE, length, bits, chunkLength), xof, proofs, 2);
  }

  /**
   * Prio3SumVecField64MultiproofHmacSha256Aes128: the Field64, three-proof SumVec with the
   * HMAC-SHA256/AES-128 XOF, under the private codepoint 0xFFFF1003 as Janus deploys it.
   */
  public static Prio3<List<Long>, List<BigInteger>> sumVecField64MultiproofHmacSha256Aes128(
      int length, int bits, int chunkLength) {
    return sumVecField64Multiproof(0xFFFF1003, XofHmacSha256Aes128.INSTANCE, 3, length, bits,
        chunkLength);
  }

  /** The same VDAF for another number of aggregators (SHARES in [2, 256)). */
  public Prio3<M, R> withShares(int shares) {
    return new Prio3<>(version, id, name, flp.valid(), xof, proofs, shares);
  }

  /**
   * The draft-20 instantiations (§7.4; VERSION 18, XofTurboShake128 with 32-byte seeds), two
   * aggregators ({@link #withShares} for more). Codepoints: Count 1, Sum 2, SumVec 3, Histogram
   * 4, MultihotCountVec 5; the experimental multiproof SumVec and the degree-three test circuit
   * use 0xFFFFFFFF.
   */
  public static final class Draft20 {
    private static final VdafVersion V = VdafVersion.DRAFT_20;
    private static final Xof XOF = XofTurboShake128.DRAFT_20;

    private Draft20() {}

    /** Prio3Count (ID 0x00000001, Field64). */
    public static Prio3<Boolean, Long> count() {
      return new Prio3<>(V, 0x00000001, "Prio3Count", new Count(Field64.INSTANCE), XOF, 1, 2);
    }

    /** Prio3Sum (ID 0x00000002, Field64) for integers in [0, max_measurement]. */
    public static Prio3<Long, BigInteger> sum(long maxMeasurement) {
      return new Prio3<>(V, 0x00000002, "Prio3Sum",
          Sum.withMaxMeasurement(Field64.INSTANCE, maxMeasurement), XOF, 1, 2);
    }

    /** Prio3SumVec (ID 0x00000003, Field128). */
    public static Prio3<List<Long>, List<BigInteger>> sumVec(int length, long maxMeasurement,
        int chunkLength) {
      return new Prio3<>(V, 0x00000003, "Prio3SumVec",
          SumVec.withMaxMeasurement(Field128.INSTANCE, length, maxMeasurement, chunkLength), XOF,
          1, 2);
    }

    /** Prio3Histogram (ID 0x00000004, Field128). */
    public static Prio3<Integer, List<Long>> histogram(int length, int chunkLength) {
      return new Prio3<>(V, 0x00000004, "Prio3Histogram",
          new Histogram(Field128.INSTANCE, length, chunkLength, V), XOF, 1, 2);
    }

    /** Prio3MultihotCountVec (ID 0x00000005, Field128). */
    public static Prio3<List<Boolean>, List<Long>> multihotCountVec(int length, int maxWeight,
        int chunkLength) {
      return new Prio3<>(V, 0x00000005, "Prio3MultihotCountVec",
          new MultihotCountVec(Field128.INSTANCE, length, maxWeight, chunkLength, V), XOF, 1, 2);
    }

    /** Prio3SumVecWithMultiproof (experimental, ID 0xFFFFFFFF): SumVec over a field, PROOFS. */
    public static Prio3<List<Long>, List<BigInteger>> sumVecWithMultiproof(Field field,
        int proofs, int length, long maxMeasurement, int chunkLength) {
      return new Prio3<>(V, 0xFFFFFFFF, "Prio3SumVecWithMultiproof",
          SumVec.withMaxMeasurement(field, length, maxMeasurement, chunkLength), XOF, proofs, 2);
    }

    /** Prio3HigherDegree (the draft's test circuit of degree three, ID 0xFFFFFFFF, Field64). */
    public static Prio3<Long, BigInteger> higherDegree() {
      return new Prio3<>(V, 0xFFFFFFFF, "Prio3HigherDegree", new HigherDegree(Field64.INSTANCE),
          XOF, 1, 2);
    }
  }

  // ---- Parameters ---------------------------------------------------------------------------

  /** The draft this instance follows. */
  public VdafVersion version() {
    return version;
  }

  /** The algorithm identifier. */
  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public FlpGeneric<M, R> flp() {
    return flp;
  }

  public Field field() {
    return field;
  }

  public Xof xof() {
    return xof;
  }

  /** PROOFS. */
  public int proofs() {
    return proofs;
  }

  /** SHARES. */
  public int shares() {
    return shares;
  }

  /** VERIFY_KEY_SIZE: the XOF's seed size. */
  public int verifyKeySize() {
    return seedSize;
  }

  /**
   * RAND_SIZE (§7.2.1): per helper its share seeds (draft-08: measurement and proof, draft-20: one)
   * and blind, then the leader's blind and the prove seed.
   */
  public int randSize() {
    int seeds = 1 + helperSeeds * (shares - 1) + (jointRand ? shares : 0);
    return seeds * seedSize;
  }

  /** The encoded length of aggregator {@code aggId}'s input share. */
  public int inputShareLength(int aggId) {
    checkAggId(aggId);
    int blind = jointRand ? seedSize : 0;
    if (aggId == 0) {
      return (flp.measLen() + flp.proofLen() * proofs) * field.encodedSize() + blind;
    }
    return helperSeeds * seedSize + blind;
  }

  /** The encoded length of the public share: the joint randomness parts, if any. */
  public int publicShareLength() {
    return jointRand ? shares * seedSize : 0;
  }

  /** The encoded length of a prep share: the verifier shares and the joint randomness part. */
  public int verifierShareLength() {
    return flp.verifierLen() * proofs * field.encodedSize() + (jointRand ? seedSize : 0);
  }

  /** The encoded length of the prep message: the joint randomness seed, if any. */
  public int verifierMessageLength() {
    return jointRand ? seedSize : 0;
  }

  /** Whether the circuit uses joint randomness. */
  public boolean usesJointRand() {
    return jointRand;
  }

  // ---- Sharding (§7.2.1) -----------------------------------------------------------------

  /** Vdaf.shard with fresh randomness from a SecureRandom. */
  public Sharded shard(M measurement, byte[] nonce) {
    return shard(NO_CONTEXT, measurement, nonce);
  }

  /** Vdaf.shard(ctx, measurement, nonce, rand) with fresh randomness (draft-20). */
  public Sharded shard(byte[] ctx, M measurement, byte[] nonce) {
    byte[] rand = new byte[randSize()];
    RANDOM.nextBytes(rand);
    return shard(ctx, measurement, nonce, rand);
  }

  /**
   * Vdaf.shard(measurement, nonce, rand) with caller-supplied randomness: deterministic, for
   * known-answer tests. Applications use {@link #shard(Object, byte[])}.
   */
  public Sharded shard(M measurement, byte[] nonce, byte[] rand) {
    return shard(NO_CONTEXT, measurement, nonce, rand);
  }

  /** Vdaf.shard(ctx, measurement, nonce, rand), deterministic (draft-20 §7.2.1). */
  public Sharded shard(byte[] ctx, M measurement, byte[] nonce, byte[] rand) {
    byte[][] dst = dsts(ctx);
    checkSize(nonce, NONCE_SIZE, "nonce");
    checkSize(rand, randSize(), "rand");
    long[] meas = flp.valid().encode(measurement);
    int seed = 0;
    int helpers = shares - 1;
    byte[][] helperMeasSeeds = new byte[helpers][];
    byte[][] helperProofsSeeds = new byte[helpers][];
    byte[][] helperBlinds = new byte[helpers][];
    for (int j = 0; j < helpers; j++) {
      helperMeasSeeds[j] = slice(rand, seed++);
      // draft-20: one seed expands into both the measurement and the proofs share.
      helperProofsSeeds[j] = helperSeeds == 2 ? slice(rand, seed++) : helperMeasSeeds[j];
      if (jointRand) {
        helperBlinds[j] = slice(rand, seed++);
      }
    }
    byte[] leaderBlind = jointRand ? slice(rand, seed++) : null;
    byte[] proveSeed = slice(rand, seed);

    // Shard the encoded measurement; compute the joint randomness parts.
    long[] leaderMeasShare = meas.clone();
    byte[][] parts = jointRand ? new byte[shares][] : null;
    for (int j = 0; j < helpers; j++) {
      long[] helperMeasShare = helperMeasShare(dst, j + 1, helperMeasSeeds[j]);
      field.subVec(leaderMeasShare, helperMeasShare, leaderMeasShare, flp.measLen());
      if (jointRand) {
        parts[j + 1] = jointRandPart(dst, j + 1, helperBlinds[j], helperMeasShare, nonce);
      }
    }
    long[] jointRands = field.alloc(0);
    if (jointRand) {
      parts[0] = jointRandPart(dst, 0, leaderBlind, leaderMeasShare, nonce);
      jointRands = jointRands(dst, jointRandSeed(dst, parts));
    }

    // Generate the proofs and shard them.
    long[] proveRands = xof.expandIntoVec(field, proveSeed, dst[USAGE_PROVE_RANDOMNESS],
        flp.proveRandLen() * proofs, new byte[] {(byte) proofs});
    int proofLen = flp.proofLen();
    long[] leaderProofsShare = field.alloc(proofLen * proofs);
    for (int p = 0; p < proofs; p++) {
      long[] proof = flp.prove(meas,
          part(proveRands, p, flp.proveRandLen()),
          part(jointRands, p, flp.jointRandLen()));
      System.arraycopy(proof, 0, leaderProofsShare, p * proofLen * field.limbs(), proof.length);
    }
    for (int j = 0; j < helpers; j++) {
      long[] helperProofsShare = helperProofsShare(dst, j + 1, helperProofsSeeds[j]);
      field.subVec(leaderProofsShare, helperProofsShare, leaderProofsShare, proofLen * proofs);
    }

    List<InputShare> inputShares = new ArrayList<>(shares);
    inputShares.add(new InputShare(0, leaderMeasShare, leaderProofsShare, null, null,
        leaderBlind));
    for (int j = 0; j < helpers; j++) {
      inputShares.add(new InputShare(j + 1, null, null, helperMeasSeeds[j], helperProofsSeeds[j],
          helperBlinds[j]));
    }
    return new Sharded(new PublicShare(parts), inputShares);
  }

  // ---- Preparation (§7.2.2) ----------------------------------------------------------------

  /**
   * verify_init (draft-08: Vdaf.prep_init(verify_key, agg_id, agg_param, nonce, public_share,
   * input_share)). Prio3 has no
   * aggregation parameter.
   *
   * @throws VdafException if the query randomness is degenerate (negligible probability)
   */
  public VerifyInit verifyInit(byte[] verifyKey, int aggId, byte[] nonce, PublicShare publicShare,
      InputShare inputShare) throws VdafException {
    return verifyInit(verifyKey, NO_CONTEXT, aggId, nonce, publicShare, inputShare);
  }

  /**
   * verify_init with the application context (draft-20 §7.2.2 verify_init(verify_key, ctx,
   * agg_id, agg_param, nonce, public_share, input_share)).
   *
   * @throws VdafException if the query randomness is degenerate (negligible probability)
   */
  public VerifyInit verifyInit(byte[] verifyKey, byte[] ctx, int aggId, byte[] nonce,
      PublicShare publicShare, InputShare inputShare) throws VdafException {
    byte[][] dst = dsts(ctx);
    checkSize(verifyKey, seedSize, "verify key");
    checkSize(nonce, NONCE_SIZE, "nonce");
    checkAggId(aggId);
    if (inputShare.aggregatorId != aggId) {
      throw new IllegalArgumentException(
          "input share is for aggregator " + inputShare.aggregatorId + ", not " + aggId);
    }
    long[] measShare;
    long[] proofsShare;
    if (aggId == 0) {
      measShare = inputShare.measShare;
      proofsShare = inputShare.proofsShare;
    } else {
      measShare = helperMeasShare(dst, aggId, inputShare.measSeed);
      proofsShare = helperProofsShare(dst, aggId, inputShare.proofsSeed);
    }
    long[] outShare = flp.valid().truncate(measShare);

    byte[] correctedSeed = null;
    byte[] ownPart = null;
    long[] jointRands = field.alloc(0);
    if (jointRand) {
      ownPart = jointRandPart(dst, aggId, inputShare.blind, measShare, nonce);
      byte[][] parts = publicShare.parts().clone();
      parts[aggId] = ownPart;
      correctedSeed = jointRandSeed(dst, parts);
      jointRands = jointRands(dst, correctedSeed);
    }

    long[] queryRands = xof.expandIntoVec(field, verifyKey, dst[USAGE_QUERY_RANDOMNESS],
        flp.queryRandLen() * proofs, new byte[] {(byte) proofs}, nonce);
    int verifierLen = flp.verifierLen();
    long[] verifiersShare = field.alloc(verifierLen * proofs);
    for (int p = 0; p < proofs; p++) {
      long[] verifier;
      try {
        verifier = flp.query(measShare,
            part(proofsShare, p, flp.proofLen()),
            part(queryRands, p, flp.queryRandLen()),
            part(jointRands, p, flp.jointRandLen()),
            shares);
      } catch (FlpGeneric.DegeneratePointException e) {
        throw new VdafException("prep_init: " + e.getMessage(), e);
      }
      System.arraycopy(verifier, 0, verifiersShare, p * verifierLen * field.limbs(),
          verifier.length);
    }
    return new VerifyInit(new VerifyState(outShare, correctedSeed),
        new VerifierShare(verifiersShare, ownPart));
  }

  /**
   * verifier_shares_to_message (draft-08: Vdaf.prep_shares_to_prep(agg_param, prep_shares)): combines the verifier shares, decides every
   * proof, and recomputes the joint randomness seed from the aggregators' parts.
   *
   * @param prepShares one per aggregator, in aggregator order
   * @throws VdafException if a proof does not verify
   */
  public VerifierMessage verifierSharesToMessage(List<VerifierShare> prepShares) throws VdafException {
    return verifierSharesToMessage(NO_CONTEXT, prepShares);
  }

  /**
   * verifier_shares_to_message with the application context (draft-20 §7.2.2
   * verifier_shares_to_message(ctx, agg_param, verifier_shares)).
   *
   * @throws VdafException if a proof does not verify
   */
  public VerifierMessage verifierSharesToMessage(byte[] ctx, List<VerifierShare> prepShares)
      throws VdafException {
    byte[][] dst = dsts(ctx);
    if (prepShares.size() != shares) {
      throw new IllegalArgumentException(
          "want " + shares + " prep shares, got " + prepShares.size());
    }
    int verifierLen = flp.verifierLen();
    long[] verifiers = field.alloc(verifierLen * proofs);
    byte[][] parts = jointRand ? new byte[shares][] : null;
    for (int i = 0; i < shares; i++) {
      VerifierShare s = prepShares.get(i);
      field.addVec(verifiers, s.verifiersShare, verifiers, verifierLen * proofs);
      if (jointRand) {
        parts[i] = s.jointRandPart;
      }
    }
    for (int p = 0; p < proofs; p++) {
      if (!flp.decide(part(verifiers, p, verifierLen))) {
        throw new VdafException("proof verifier check failed");
      }
    }
    return new VerifierMessage(jointRand ? jointRandSeed(dst, parts) : null);
  }

  /**
   * verify_next (draft-08: Vdaf.prep_next(prep_state, prep_msg)): checks the joint randomness seed the client used and
   * returns the output share.
   *
   * @throws VdafException if the joint randomness check fails
   */
  public OutputShare verifyNext(VerifyState state, VerifierMessage message) throws VdafException {
    if (jointRand) {
      if (message.jointRandSeed == null
          || !MessageDigest.isEqual(message.jointRandSeed, state.correctedJointRandSeed)) {
        throw new VdafException("joint randomness check failed");
      }
    } else if (message.jointRandSeed != null) {
      throw new VdafException("unexpected joint randomness seed in prep message");
    }
    return new OutputShare(state.outShare.clone());
  }

  // ---- Aggregation (§7.2.4) and unsharding (§7.2.5) ------------------------------------------

  /** An all-zero aggregate share, the identity for {@link #merge}. */
  public AggregateShare emptyAggregateShare() {
    return new AggregateShare(field.alloc(flp.outputLen()));
  }

  /** Vdaf.aggregate(agg_param, out_shares). */
  public AggregateShare aggregate(Iterable<OutputShare> outputShares) {
    int n = flp.outputLen();
    long[] acc = field.allocWide(n);
    for (OutputShare s : outputShares) {
      field.addWide(acc, s.vector, n);
    }
    long[] agg = field.alloc(n);
    field.reduceWide(acc, n, agg);
    return new AggregateShare(agg);
  }

  /** Adds one output share to an aggregate share (returns a new aggregate share). */
  public AggregateShare accumulate(AggregateShare aggregate, OutputShare outputShare) {
    long[] agg = aggregate.vector.clone();
    field.addVec(agg, outputShare.vector, agg, flp.outputLen());
    return new AggregateShare(agg);
  }

  /** The sum of two aggregate shares of the same aggregator. */
  public AggregateShare merge(AggregateShare a, AggregateShare b) {
    long[] agg = field.alloc(flp.outputLen());
    field.addVec(a.vector, b.vector, agg, flp.outputLen());
    return new AggregateShare(agg);
  }

  /**
   * The share plus an integer vector, coordinate by coordinate, in field arithmetic: {@code
   * noise.apply(i)} is reduced into the field (a negative {@code x} becomes {@code p - |x|}) and
   * added to coordinate {@code i}. For aggregator-added differential privacy noise.
   */
  public AggregateShare addToAggregateShare(AggregateShare share,
      java.util.function.IntFunction<BigInteger> noise) {
    int n = flp.outputLen();
    long[] out = share.vector.clone();
    long[] x = field.alloc(1);
    for (int i = 0; i < n; i++) {
      field.set(x, 0, noise.apply(i));
      field.add(out, i, x, 0, out, i);
    }
    return new AggregateShare(out);
  }

  /** Vdaf.unshard(agg_param, agg_shares, num_measurements). */
  public R unshard(List<AggregateShare> aggregateShares, long numMeasurements) {
    long[] agg = field.alloc(flp.outputLen());
    for (AggregateShare s : aggregateShares) {
      field.addVec(agg, s.vector, agg, flp.outputLen());
    }
    return flp.valid().decode(agg, numMeasurements);
  }

  /**
   * The aggregate of the shares as signed integers: each coordinate's canonical value {@code v}
   * in [0, p), read as {@code v - p} when {@code v > p/2}. For results with aggregator-added
   * noise, which can take the true aggregate below zero (where {@link #unshard} would read a
   * huge count). Every draft-08 Prio3 variant's aggregate result is its aggregate vector, so the
   * coordinates are the result's entries (one for Count and Sum).
   */
  public List<BigInteger> unshardSigned(List<AggregateShare> aggregateShares) {
    int n = flp.outputLen();
    long[] agg = field.alloc(n);
    for (AggregateShare s : aggregateShares) {
      field.addVec(agg, s.vector, agg, n);
    }
    BigInteger p = field.modulus();
    BigInteger half = p.shiftRight(1);
    List<BigInteger> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      BigInteger v = field.toBigInteger(agg, i);
      out.add(v.compareTo(half) > 0 ? v.subtract(p) : v);
    }
    return out;
  }

  /**
   * Vdaf.unshard for a task whose aggregators add noise: the aggregate result read from {@link
   * #unshardSigned}, so that entries the noise took below zero come out negative.
   *
   * @throws ArithmeticException if a count entry does not fit in a long
   */
  public R unshardNoised(List<AggregateShare> aggregateShares) {
    return flp.valid().decodeSigned(unshardSigned(aggregateShares));
  }

  // ---- Auxiliary functions (§7.2.6) ----------------------------------------------------------

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

  private long[] helperMeasShare(byte[][] dst, int aggId, byte[] seed) {
    return xof.expandIntoVec(field, seed, dst[USAGE_MEAS_SHARE], flp.measLen(),
        new byte[] {(byte) aggId});
  }

  private long[] helperProofsShare(byte[][] dst, int aggId, byte[] seed) {
    return xof.expandIntoVec(field, seed, dst[USAGE_PROOF_SHARE], flp.proofLen() * proofs,
        new byte[] {(byte) proofs, (byte) aggId});
  }

  private byte[] jointRandPart(byte[][] dst, int aggId, byte[] blind, long[] measShare,
      byte[] nonce) {
    return xof.deriveSeed(blind, dst[USAGE_JOINT_RAND_PART], new byte[] {(byte) aggId}, nonce,
        field.encode(measShare));
  }

  private byte[] jointRandSeed(byte[][] dst, byte[][] parts) {
    return xof.deriveSeed(new byte[seedSize], dst[USAGE_JOINT_RAND_SEED], parts);
  }

  private long[] jointRands(byte[][] dst, byte[] seed) {
    return xof.expandIntoVec(field, seed, dst[USAGE_JOINT_RANDOMNESS],
        flp.jointRandLen() * proofs, new byte[] {(byte) proofs});
  }

  private long[] part(long[] v, int index, int len) {
    long[] r = field.alloc(len);
    System.arraycopy(v, index * len * field.limbs(), r, 0, len * field.limbs());
    return r;
  }

  private byte[] slice(byte[] rand, int index) {
    byte[] r = new byte[seedSize];
    System.arraycopy(rand, index * seedSize, r, 0, seedSize);
    return r;
  }

  private static void checkSize(byte[] b, int size, String what) {
    if (b == null || b.length != size) {
      throw new IllegalArgumentException(
          what + " must be " + size + " bytes, got " + (b == null ? "null" : b.length));
    }
  }

  private void checkAggId(int aggId) {
    if (aggId < 0 || aggId >= shares) {
      throw new IllegalArgumentException("aggregator id " + aggId + " not in [0, " + shares + ")");
    }
  }

  // ---- Message encodings (§7.2.6) ------------------------------------------------------------

  public byte[] encodePublicShare(PublicShare s) {
    if (!jointRand) {
      return new byte[0];
    }
    byte[] out = new byte[shares * seedSize];
    for (int i = 0; i < shares; i++) {
      System.arraycopy(s.parts()[i], 0, out, i * seedSize, seedSize);
    }
    return out;
  }

  public PublicShare decodePublicShare(byte[] b) throws DecodeException {
    if (!jointRand) {
      expectLength(b, 0, "public share");
      return new PublicShare(null);
    }
    expectLength(b, shares * seedSize, "public share");
    byte[][] parts = new byte[shares][];
    for (int i = 0; i < shares; i++) {
      parts[i] = slice(b, i);
    }
    return new PublicShare(parts);
  }

  public byte[] encodeInputShare(InputShare s) {
    int size = field.encodedSize();
    int blindLen = jointRand ? seedSize : 0;
    if (s.aggregatorId == 0) {
      int m = flp.measLen();
      int p = flp.proofLen() * proofs;
      byte[] out = new byte[(m + p) * size + blindLen];
      field.encode(s.measShare, m, out, 0);
      field.encode(s.proofsShare, p, out, m * size);
      if (jointRand) {
        System.arraycopy(s.blind, 0, out, (m + p) * size, seedSize);
      }
      return out;
    }
    byte[] out = new byte[helperSeeds * seedSize + blindLen];
    System.arraycopy(s.measSeed, 0, out, 0, seedSize);
    if (helperSeeds == 2) {
      System.arraycopy(s.proofsSeed, 0, out, seedSize, seedSize);
    }
    if (jointRand) {
      System.arraycopy(s.blind, 0, out, helperSeeds * seedSize, seedSize);
    }
    return out;
  }

  public InputShare decodeInputShare(int aggId, byte[] b) throws DecodeException {
    checkAggId(aggId);
    int size = field.encodedSize();
    int blindLen = jointRand ? seedSize : 0;
    if (aggId == 0) {
      int m = flp.measLen();
      int p = flp.proofLen() * proofs;
      expectLength(b, (m + p) * size + blindLen, "leader input share");
      long[] meas = field.decode(b, 0, m);
      long[] proofsShare = field.decode(b, m * size, p);
      byte[] blind = jointRand ? java.util.Arrays.copyOfRange(b, (m + p) * size, b.length) : null;
      return new InputShare(0, meas, proofsShare, null, null, blind);
    }
    expectLength(b, helperSeeds * seedSize + blindLen, "helper input share");
    byte[] share = slice(b, 0);
    return new InputShare(aggId, null, null, share, helperSeeds == 2 ? slice(b, 1) : share,
        jointRand ? slice(b, helperSeeds) : null);
  }

  public byte[] encodeVerifierShare(VerifierShare s) {
    int n = flp.verifierLen() * proofs;
    byte[] out = new byte[n * field.encodedSize() + (jointRand ? seedSize : 0)];
    field.encode(s.verifiersShare, n, out, 0);
    if (jointRand) {
      System.arraycopy(s.jointRandPart, 0, out, n * field.encodedSize(), seedSize);
    }
    return out;
  }

  public VerifierShare decodeVerifierShare(byte[] b) throws DecodeException {
    int n = flp.verifierLen() * proofs;
    int size = field.encodedSize();
    expectLength(b, n * size + (jointRand ? seedSize : 0), "prep share");
    long[] v = field.decode(b, 0, n);
    return new VerifierShare(v, jointRand ? java.util.Arrays.copyOfRange(b, n * size, b.length) : null);
  }

  public byte[] encodeVerifierMessage(VerifierMessage m) {
    return m.jointRandSeed == null ? new byte[0] : m.jointRandSeed.clone();
  }

  public VerifierMessage decodeVerifierMessage(byte[] b) throws DecodeException {
    expectLength(b, jointRand ? seedSize : 0, "prep message");
    return new VerifierMessage(jointRand ? b.clone() : null);
  }

  /** Encodes a prep state (not a wire message: for storing it between requests). */
  public byte[] encodeVerifyState(VerifyState s) {
    int n = flp.outputLen();
    byte[] out = new byte[n * field.encodedSize() + (jointRand ? seedSize : 0)];
    field.encode(s.outShare, n, out, 0);
    if (jointRand) {
      System.arraycopy(s.correctedJointRandSeed, 0, out, n * field.encodedSize(), seedSize);
    }
    return out;
  }

  public VerifyState decodeVerifyState(byte[] b) throws DecodeException {
    int n = flp.outputLen();
    int size = field.encodedSize();
    expectLength(b, n * size + (jointRand ? seedSize : 0), "prep state");
    return new VerifyState(field.decode(b, 0, n),
        jointRand ? java.util.Arrays.copyOfRange(b, n * size, b.length) : null);
  }

  public byte[] encodeOutputShare(OutputShare s) {
    return field.encode(s.vector);
  }

  public OutputShare decodeOutputShare(byte[] b) throws DecodeException {
    expectLength(b, flp.outputLen() * field.encodedSize(), "output share");
    return new OutputShare(field.decode(b));
  }

  public byte[] encodeAggregateShare(AggregateShare s) {
    return field.encode(s.vector);
  }

  public AggregateShare decodeAggregateShare(byte[] b) throws DecodeException {
    expectLength(b, flp.outputLen() * field.encodedSize(), "aggregate share");
    return new AggregateShare(field.decode(b));
  }

  private static void expectLength(byte[] b, int want, String what) throws DecodeException {
    if (b == null) {
      throw new DecodeException(what + ": missing");
    }
    if (b.length != want) {
      throw new DecodeException(what + ": got " + b.length + " bytes; want " + want);
    }
  }

  @Override
  public String toString() {
    return name + "(" + flp.valid() + ", id=0x" + Integer.toHexString(id) + ", proofs=" + proofs
        + ", xof=" + xof.getClass().getSimpleName() + ")";
  }
}
