package io.pando.vdaf.poplar1;

import io.pando.vdaf.ConstantTime;
/**
 * A Poplar1 input share (draft-irtf-cfrg-vdaf-08 §8.2.6): the aggregator's IDPF key, its seed for
 * the correlated randomness {@code (a, b, c)}, and its shares of the {@code (A, B)} pairs, two
 * Field64 elements per inner level and two Field255 elements for the leaf level. Secret: {@link
 * #toString()} is redacted and equality is constant-time.
 */
public final class Poplar1InputShare {
  final byte[] key;
  final byte[] corrSeed;
  final long[] corrInner; // 2 * (BITS - 1) Field64 elements
  final long[] corrLeaf; // 2 Field255 elements

  Poplar1InputShare(byte[] key, byte[] corrSeed, long[] corrInner, long[] corrLeaf) {
    this.key = key;
    this.corrSeed = corrSeed;
    this.corrInner = corrInner;
    this.corrLeaf = corrLeaf;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Poplar1InputShare s
        && ConstantTime.equals(key, s.key)
        && ConstantTime.equals(corrSeed, s.corrSeed)
        && ConstantTime.equals(corrInner, s.corrInner)
        && ConstantTime.equals(corrLeaf, s.corrLeaf);
  }

  @Override
  public int hashCode() {
    return corrInner.length;
  }

  @Override
  public String toString() {
    return "Poplar1InputShare[<redacted>]";
  }
}
