package io.pando.vdaf.prio3;

import io.pando.vdaf.ConstantTime;

/**
 * The Prio3 prep message (draft-irtf-cfrg-vdaf-08 §7.2.6): the joint randomness seed, or nothing
 * when the circuit uses no joint randomness.
 */
public final class VerifierMessage {
  final byte[] jointRandSeed; // null without joint randomness

  VerifierMessage(byte[] jointRandSeed) {
    this.jointRandSeed = jointRandSeed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifierMessage m && ConstantTime.equals(jointRandSeed, m.jointRandSeed);
  }

  @Override
  public int hashCode() {
    return jointRandSeed == null ? 0 : jointRandSeed.length;
  }

  @Override
  public String toString() {
    return "VerifierMessage["
        + (jointRandSeed == null ? "" : Hex.of(jointRandSeed)) + "]";
  }
}
