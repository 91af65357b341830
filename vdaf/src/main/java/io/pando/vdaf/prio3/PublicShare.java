package io.pando.vdaf.prio3;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Prio3 public share (draft-irtf-cfrg-vdaf-08 §7.2.6): the joint randomness parts, one per
 * aggregator, or none when the circuit uses no joint randomness. Not secret.
 */
public final class PublicShare {
  private final byte[][] jointRandParts;

  PublicShare(byte[][] jointRandParts) {
    this.jointRandParts = jointRandParts;
  }

  /** The joint randomness parts (copies); empty without joint randomness. */
  public List<byte[]> jointRandParts() {
    if (jointRandParts == null) {
      return List.of();
    }
    return Arrays.stream(jointRandParts).map(byte[]::clone)
        .collect(Collectors.collectingAndThen(Collectors.toList(), Collections::unmodifiableList));
  }

  byte[][] parts() {
    return jointRandParts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicShare p && Arrays.deepEquals(jointRandParts, p.jointRandParts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(jointRandParts);
  }

  @Override
  public String toString() {
    if (jointRandParts == null) {
      return "PublicShare[]";
    }
    StringBuilder sb = new StringBuilder("PublicShare[");
    for (int i = 0; i < jointRandParts.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(Hex.of(jointRandParts[i]));
    }
    return sb.append(']').toString();
  }
}
