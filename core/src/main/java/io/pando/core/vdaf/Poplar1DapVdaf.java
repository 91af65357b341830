package io.pando.core.vdaf;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.Poplar1PingPong;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1AggregateShare;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1VerifyState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Poplar1 (draft-irtf-cfrg-vdaf-08 §8, draft-20 §8) as a {@link DapVdaf}: two rounds, and an
 * aggregation parameter (a level and candidate prefixes) that the collector chooses.
 */
public final class Poplar1DapVdaf implements DapVdaf {
  /** Largest field element (Field255, 32 bytes) times the sketch's three elements (§8.2.2). */
  private static final int MAX_VERIFIER_LENGTH = 3 * 32;

  private static final Map<String, Integer> PUBLIC_SHARE_LENGTHS = new ConcurrentHashMap<>();

  private final Poplar1 poplar;

  private Poplar1DapVdaf(Poplar1 poplar) {
    this.poplar = poplar;
  }

  public static Poplar1DapVdaf of(Poplar1 poplar) {
    return new Poplar1DapVdaf(poplar);
  }

  /** The Poplar1 instance. */
  public Poplar1 poplar1() {
    return poplar;
  }

  private Poplar1AggParam param(byte[] aggParam) {
    try {
      return poplar.decodeAggParam(aggParam);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public VdafVersion version() {
    return poplar.version();
  }

  @Override
  public int verifyKeySize() {
    return poplar.verifyKeySize();
  }

  @Override
  public int rounds() {
    return Poplar1.ROUNDS;
  }

  @Override
  public boolean takesAggregationParameter() {
    return true;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public PingPong<Object, Object> pingPong(byte[] ctx) {
    return (PingPong) new PingPong<>(new Poplar1PingPong(poplar, ctx));
  }

  @Override
  public void checkShares(int aggId, byte[] publicShare, byte[] inputShare)
      throws DecodeException {
    poplar.decodePublicShare(publicShare);
    poplar.decodeInputShare(inputShare);
  }

  /** The IDPF public share's length, fixed by BITS; measured once per instance kind. */
  @Override
  public int publicShareLength() {
    return PUBLIC_SHARE_LENGTHS.computeIfAbsent(poplar.version() + "/" + poplar.bits(),
        k -> poplar.encodePublicShare(
            poplar.shard(BigInteger.ZERO, new byte[Poplar1.NONCE_SIZE]).publicShare()).length);
  }

  @Override
  public int inputShareLength(int aggId) {
    return poplar.inputShareLength();
  }

  @Override
  public int maxVerifierShareLength() {
    return MAX_VERIFIER_LENGTH;
  }

  @Override
  public int maxVerifierMessageLength() {
    return MAX_VERIFIER_LENGTH;
  }

  @Override
  public boolean isValid(byte[] aggParam, List<byte[]> previous) throws DecodeException {
    Poplar1AggParam p = poplar.decodeAggParam(aggParam);
    List<Poplar1AggParam> before = new ArrayList<>(previous.size());
    for (byte[] b : previous) {
      before.add(poplar.decodeAggParam(b));
    }
    return poplar.isValid(p, before);
  }

  @Override
  public byte[] encodeVerifyState(Object state) {
    return poplar.encodeVerifyState((Poplar1VerifyState) state);
  }

  @Override
  public Object decodeVerifyState(byte[] aggParam, byte[] encoded) throws DecodeException {
    return poplar.decodeVerifyState(encoded);
  }

  @Override
  public byte[] encodeOutputShare(Object outputShare) {
    return poplar.encodeOutputShare((Poplar1OutputShare) outputShare);
  }

  @Override
  public Object decodeOutputShare(byte[] aggParam, byte[] encoded) throws DecodeException {
    return poplar.decodeOutputShare(poplar.decodeAggParam(aggParam), encoded);
  }

  @Override
  public Object emptyAggregateShare(byte[] aggParam) {
    return poplar.emptyAggregateShare(param(aggParam));
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object aggregate(byte[] aggParam, List<Object> outputShares) {
    return poplar.aggregate(param(aggParam), (List) outputShares);
  }

  @Override
  public Object merge(Object a, Object b) {
    return poplar.merge((Poplar1AggregateShare) a, (Poplar1AggregateShare) b);
  }

  @Override
  public byte[] encodeAggregateShare(Object aggregateShare) {
    return poplar.encodeAggregateShare((Poplar1AggregateShare) aggregateShare);
  }

  @Override
  public Object decodeAggregateShare(byte[] aggParam, byte[] encoded) throws DecodeException {
    return poplar.decodeAggregateShare(poplar.decodeAggParam(aggParam), encoded);
  }

  /** The count of each candidate prefix, in the parameter's order. */
  @Override
  public List<Long> unshard(byte[] aggParam, List<byte[]> aggregateShares, long numMeasurements)
      throws DecodeException {
    Poplar1AggParam p = poplar.decodeAggParam(aggParam);
    List<Poplar1AggregateShare> decoded = new ArrayList<>(aggregateShares.size());
    for (byte[] s : aggregateShares) {
      decoded.add(poplar.decodeAggregateShare(p, s));
    }
    return poplar.unshard(p, decoded, numMeasurements);
  }

  @Override
  public String toString() {
    return "Poplar1DapVdaf[" + poplar + "]";
  }
}
