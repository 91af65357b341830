package io.pando.vdaf.poplar1;

import io.pando.vdaf.ConstantTime;
import io.pando.vdaf.field.Field;

/**
 * One report's Poplar1 output share at one aggregator: its share of the one-hot vector over the
 * candidate prefixes, one element of the level's field per prefix. Secret.
 */
public final class Poplar1OutputShare {
  final Field field;
  final long[] vector;

  Poplar1OutputShare(Field field, long[] vector) {
    this.field = field;
    this.vector = vector;
  }

  /** The number of candidate prefixes. */
  public int length() {
    return field.length(vector);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Poplar1OutputShare s
        && field == s.field
        && ConstantTime.equals(vector, s.vector);
  }

  @Override
  public int hashCode() {
    return vector.length;
  }

  @Override
  public String toString() {
    return "Poplar1OutputShare[<redacted>]";
  }
}
