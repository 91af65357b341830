package io.pando.vdaf.poplar1;

import io.pando.vdaf.ConstantTime;
import io.pando.vdaf.field.Field;

/**
 * The sum of Poplar1 output shares at one aggregator (draft-irtf-cfrg-vdaf-08 §8.2.4): one element
 * of the level's field per candidate prefix. Secret.
 */
public final class Poplar1AggregateShare {
  final Field field;
  final long[] vector;

  Poplar1AggregateShare(Field field, long[] vector) {
    this.field = field;
    this.vector = vector;
  }

  /** The number of candidate prefixes. */
  public int length() {
    return field.length(vector);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Poplar1AggregateShare s
        && field == s.field
        && ConstantTime.equals(vector, s.vector);
  }

  @Override
  public int hashCode() {
    return vector.length;
  }

  @Override
  public String toString() {
    return "Poplar1AggregateShare[<redacted>]";
  }
}
