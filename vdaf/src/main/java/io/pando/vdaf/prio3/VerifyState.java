package io.pando.vdaf.prio3;

import io.pando.vdaf.ConstantTime;
/**
 * An aggregator's Prio3 prep state between verifyInit and verifyNext (draft-irtf-cfrg-vdaf-08 §7.2.3):
 * its output share and, with joint randomness, the corrected joint randomness seed. Secret.
 */
public final class VerifyState {
  final long[] outShare;
  final byte[] correctedJointRandSeed; // null without joint randomness

  VerifyState(long[] outShare, byte[] correctedJointRandSeed) {
    this.outShare = outShare;
    this.correctedJointRandSeed = correctedJointRandSeed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyState s
        && ConstantTime.equals(outShare, s.outShare)
        && ConstantTime.equals(correctedJointRandSeed, s.correctedJointRandSeed);
  }

  @Override
  public int hashCode() {
    return outShare.length;
  }

  @Override
  public String toString() {
    return "VerifyState[<redacted>]";
  }
}
