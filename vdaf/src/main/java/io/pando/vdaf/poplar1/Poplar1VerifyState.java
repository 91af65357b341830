package io.pando.vdaf.poplar1;

import io.pando.vdaf.ConstantTime;
import io.pando.vdaf.field.Field;

/**
 * An aggregator's Poplar1 prep state (draft-irtf-cfrg-vdaf-08 §8.2.2): the sketching round it
 * waits in, the level, and the prep memory: in round 1 its {@code (A, B)} shares and aggregator id
 * with the output share, in round 2 the output share alone. Secret.
 */
public final class Poplar1VerifyState {
  final int round; // 1: "sketch round 1", 2: "sketch round 2"
  final int level;
  final int aggId;
  final Field field;
  final long[] corrA; // A_share, round 1 only
  final long[] corrB; // B_share, round 1 only
  final long[] outShare;

  Poplar1VerifyState(int round, int level, int aggId, Field field, long[] corrA, long[] corrB,
      long[] outShare) {
    this.round = round;
    this.level = level;
    this.aggId = aggId;
    this.field = field;
    this.corrA = corrA;
    this.corrB = corrB;
    this.outShare = outShare;
  }

  /** The sketching round whose prep message this state waits for: 1 or 2. */
  public int round() {
    return round;
  }

  /** The level of the aggregation parameter. */
  public int level() {
    return level;
  }

  /** The aggregator this state belongs to. */
  public int aggregatorId() {
    return aggId;
  }

  /** The number of candidate prefixes. */
  public int prefixCount() {
    return field.length(outShare);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Poplar1VerifyState s
        && round == s.round
        && level == s.level
        && aggId == s.aggId
        && field == s.field
        && ConstantTime.equals(corrA, s.corrA)
        && ConstantTime.equals(corrB, s.corrB)
        && ConstantTime.equals(outShare, s.outShare);
  }

  @Override
  public int hashCode() {
    return 31 * round + level;
  }

  @Override
  public String toString() {
    return "Poplar1VerifyState[round=" + round + ", level=" + level + ", <redacted>]";
  }
}
