package io.pando.vdaf.prio3;

import io.pando.vdaf.ConstantTime;
/**
 * A Prio3 input share (draft-irtf-cfrg-vdaf-08 §7.2.6). The leader's carries its measurement share
 * and proofs share as field vectors; each helper's carries the seeds they expand from. Both carry a
 * blind when the circuit uses joint randomness. Secret: {@link #toString()} is redacted and
 * equality is constant-time.
 */
public final class InputShare {
  final int aggregatorId;
  final long[] measShare; // leader only
  final long[] proofsShare; // leader only
  final byte[] measSeed; // helpers only
  final byte[] proofsSeed; // helpers only
  final byte[] blind; // null without joint randomness

  InputShare(int aggregatorId, long[] measShare, long[] proofsShare, byte[] measSeed,
      byte[] proofsSeed, byte[] blind) {
    this.aggregatorId = aggregatorId;
    this.measShare = measShare;
    this.proofsShare = proofsShare;
    this.measSeed = measSeed;
    this.proofsSeed = proofsSeed;
    this.blind = blind;
  }

  /** The aggregator this share is for: 0 is the leader. */
  public int aggregatorId() {
    return aggregatorId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputShare s
        && aggregatorId == s.aggregatorId
        && ConstantTime.equals(measShare, s.measShare)
        && ConstantTime.equals(proofsShare, s.proofsShare)
        && ConstantTime.equals(measSeed, s.measSeed)
        && ConstantTime.equals(proofsSeed, s.proofsSeed)
        && ConstantTime.equals(blind, s.blind);
  }

  @Override
  public int hashCode() {
    return aggregatorId;
  }

  @Override
  public String toString() {
    return "InputShare[aggregator=" + aggregatorId + ", <redacted>]";
  }
}
