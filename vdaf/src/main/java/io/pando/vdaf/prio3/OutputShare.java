package io.pando.vdaf.prio3;

import io.pando.vdaf.ConstantTime;
/** One report's output share at one aggregator (OUTPUT_LEN field elements). Secret. */
public final class OutputShare {
  final long[] vector;

  OutputShare(long[] vector) {
    this.vector = vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputShare s && ConstantTime.equals(vector, s.vector);
  }

  @Override
  public int hashCode() {
    return vector.length;
  }

  @Override
  public String toString() {
    return "OutputShare[<redacted>]";
  }
}
