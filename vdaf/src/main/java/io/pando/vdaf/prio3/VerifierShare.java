package io.pando.vdaf.prio3;

import io.pando.vdaf.ConstantTime;
/**
 * A Prio3 prep share (draft-irtf-cfrg-vdaf-08 §7.2.6): this aggregator's verifiers share and, with
 * joint randomness, its joint randomness part.
 */
public final class VerifierShare {
  final long[] verifiersShare;
  final byte[] jointRandPart; // null without joint randomness

  VerifierShare(long[] verifiersShare, byte[] jointRandPart) {
    this.verifiersShare = verifiersShare;
    this.jointRandPart = jointRandPart;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifierShare s
        && ConstantTime.equals(verifiersShare, s.verifiersShare)
        && ConstantTime.equals(jointRandPart, s.jointRandPart);
  }

  @Override
  public int hashCode() {
    return Shares.hash(verifiersShare);
  }

  @Override
  public String toString() {
    return "VerifierShare[<redacted>]";
  }
}
