package io.pando.core.vdaf;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.Prio3PingPong;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.VerifyState;
import java.util.ArrayList;
import java.util.List;

/** Prio3 (all variants, both drafts) as a {@link DapVdaf}: one round, no aggregation parameter. */
public final class Prio3DapVdaf implements DapVdaf {
  private final Prio3<?, ?> prio3;

  public Prio3DapVdaf(Prio3<?, ?> prio3) {
    this.prio3 = prio3;
  }

  /** The Prio3 instance (differential privacy noise works on it). */
  public Prio3<?, ?> prio3() {
    return prio3;
  }

  private static void noAggParam(byte[] aggParam) {
    if (aggParam != null && aggParam.length != 0) {
      throw new IllegalArgumentException("Prio3 takes an empty aggregation parameter");
    }
  }

  @Override
  public VdafVersion version() {
    return prio3.version();
  }

  @Override
  public int verifyKeySize() {
    return prio3.verifyKeySize();
  }

  @Override
  public int rounds() {
    return Prio3.ROUNDS;
  }

  @Override
  public boolean takesAggregationParameter() {
    return false;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public PingPong<Object, Object> pingPong(byte[] ctx) {
    return (PingPong) new PingPong<>(new Prio3PingPong(prio3, ctx));
  }

  @Override
  public void checkShares(int aggId, byte[] publicShare, byte[] inputShare)
      throws DecodeException {
    prio3.decodePublicShare(publicShare);
    prio3.decodeInputShare(aggId, inputShare);
  }

  @Override
  public int publicShareLength() {
    return prio3.publicShareLength();
  }

  @Override
  public int inputShareLength(int aggId) {
    return prio3.inputShareLength(aggId);
  }

  @Override
  public int maxVerifierShareLength() {
    return prio3.verifierShareLength();
  }

  @Override
  public int maxVerifierMessageLength() {
    return prio3.verifierMessageLength();
  }

  /** Prio3's only parameter is the empty one, valid any number of times (§7.2.5). */
  @Override
  public boolean isValid(byte[] aggParam, List<byte[]> previous) throws DecodeException {
    if (aggParam.length != 0) {
      throw new DecodeException("Prio3 takes an empty aggregation parameter");
    }
    return true;
  }

  @Override
  public byte[] encodeVerifyState(Object state) {
    return prio3.encodeVerifyState((VerifyState) state);
  }

  @Override
  public Object decodeVerifyState(byte[] aggParam, byte[] encoded) throws DecodeException {
    return prio3.decodeVerifyState(encoded);
  }

  @Override
  public byte[] encodeOutputShare(Object outputShare) {
    return prio3.encodeOutputShare((OutputShare) outputShare);
  }

  @Override
  public Object decodeOutputShare(byte[] aggParam, byte[] encoded) throws DecodeException {
    return prio3.decodeOutputShare(encoded);
  }

  @Override
  public Object emptyAggregateShare(byte[] aggParam) {
    noAggParam(aggParam);
    return prio3.emptyAggregateShare();
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object aggregate(byte[] aggParam, List<Object> outputShares) {
    noAggParam(aggParam);
    return prio3.aggregate((List) outputShares);
  }

  @Override
  public Object merge(Object a, Object b) {
    return prio3.merge((AggregateShare) a, (AggregateShare) b);
  }

  @Override
  public byte[] encodeAggregateShare(Object aggregateShare) {
    return prio3.encodeAggregateShare((AggregateShare) aggregateShare);
  }

  @Override
  public Object decodeAggregateShare(byte[] aggParam, byte[] encoded) throws DecodeException {
    noAggParam(aggParam);
    return prio3.decodeAggregateShare(encoded);
  }

  @Override
  public Object unshard(byte[] aggParam, List<byte[]> aggregateShares, long numMeasurements)
      throws DecodeException {
    noAggParam(aggParam);
    List<AggregateShare> decoded = new ArrayList<>(aggregateShares.size());
    for (byte[] s : aggregateShares) {
      decoded.add(prio3.decodeAggregateShare(s));
    }
    return prio3.unshard(decoded, numMeasurements);
  }

  @Override
  public String toString() {
    return "Prio3DapVdaf[" + prio3 + "]";
  }
}
