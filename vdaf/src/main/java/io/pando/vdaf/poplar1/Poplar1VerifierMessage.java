package io.pando.vdaf.poplar1;

import io.pando.vdaf.ConstantTime;
import io.pando.vdaf.field.Field;

/**
 * A Poplar1 prep message (draft-irtf-cfrg-vdaf-08 §8.2.6): after round 1 the combined sketch,
 * three elements of the level's field; after round 2 nothing (the empty string), which stands for
 * a sketch that verified.
 */
public final class Poplar1VerifierMessage {
  final Field field;
  final long[] sketch; // null: the empty round-2 message

  Poplar1VerifierMessage(Field field, long[] sketch) {
    this.field = field;
    this.sketch = sketch;
  }

  /** Whether this is the empty message that ends round 2. */
  public boolean isEmpty() {
    return sketch == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Poplar1VerifierMessage m
        && field == m.field
        && ConstantTime.equals(sketch, m.sketch);
  }

  @Override
  public int hashCode() {
    return sketch == null ? 0 : sketch.length;
  }

  @Override
  public String toString() {
    return sketch == null ? "Poplar1VerifierMessage[]" : "Poplar1VerifierMessage[sketch]";
  }
}
