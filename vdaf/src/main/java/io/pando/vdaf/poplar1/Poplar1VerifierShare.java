package io.pando.vdaf.poplar1;

import io.pando.vdaf.ConstantTime;
import io.pando.vdaf.field.Field;

/**
 * A Poplar1 prep share (draft-irtf-cfrg-vdaf-08 §8.2.6): the aggregator's sketch share, three
 * elements of the level's field in round 1 and one in round 2.
 */
public final class Poplar1VerifierShare {
  final Field field;
  final long[] sketchShare;

  Poplar1VerifierShare(Field field, long[] sketchShare) {
    this.field = field;
    this.sketchShare = sketchShare;
  }

  /** The sketching round this share belongs to: 1 (three elements) or 2 (one element). */
  public int round() {
    return field.length(sketchShare) == 3 ? 1 : 2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Poplar1VerifierShare s
        && field == s.field
        && ConstantTime.equals(sketchShare, s.sketchShare);
  }

  @Override
  public int hashCode() {
    return sketchShare.length;
  }

  @Override
  public String toString() {
    return "Poplar1VerifierShare[round=" + round() + ", <redacted>]";
  }
}
