package io.pando.vdaf.prio3;

/**
 * An aggregator's Prio3 prep state between prepInit and prepNext (draft-irtf-cfrg-vdaf-08 §7.2.3):
 * its output share and, with joint randomness, the corrected joint randomness seed. Secret.
 */
public final class PrepState {
  final long[] outShare;
  final byte[] correctedJointRandSeed; // null without joint randomness

  PrepState(long[] outShare, byte[] correctedJointRandSeed) {
    this.outShare = outShare;
    this.correctedJointRandSeed = correctedJointRandSeed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrepState s
        && Shares.ctEquals(outShare, s.outShare)
        && Shares.ctEquals(correctedJointRandSeed, s.correctedJointRandSeed);
  }

  @Override
  public int hashCode() {
    return outShare.length;
  }

  @Override
  public String toString() {
    return "PrepState[<redacted>]";
  }
}
