package io.pando.vdaf.prio3;

import io.pando.vdaf.ConstantTime;
/** The sum of output shares at one aggregator (OUTPUT_LEN field elements). Secret. */
public final class AggregateShare {
  final long[] vector;

  AggregateShare(long[] vector) {
    this.vector = vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregateShare s && ConstantTime.equals(vector, s.vector);
  }

  @Override
  public int hashCode() {
    return vector.length;
  }

  @Override
  public String toString() {
    return "AggregateShare[<redacted>]";
  }
}
