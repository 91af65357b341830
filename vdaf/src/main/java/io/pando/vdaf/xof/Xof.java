package io.pando.vdaf.xof;

import io.pando.vdaf.field.Field;

/**
 * An extendable-output function (draft-irtf-cfrg-vdaf-08 §6.2): from a seed, a domain separation
 * tag and a binder string, a stream of pseudorandom bytes.
 *
 * <p>The binder is given as parts that are concatenated, so callers never copy a large binder
 * (such as an encoded measurement share) just to prefix it.
 */
public interface Xof {
  /** SEED_SIZE in bytes. */
  int seedSize();

  /** Xof(seed, dst, binder): the output stream. The seed must be exactly SEED_SIZE bytes. */
  Stream init(byte[] seed, byte[] dst, byte[]... binder);

  /** derive_seed(seed, dst, binder): the first SEED_SIZE bytes of the stream. */
  default byte[] deriveSeed(byte[] seed, byte[] dst, byte[]... binder) {
    return init(seed, dst, binder).next(seedSize());
  }

  /**
   * expand_into_vec(field, seed, dst, binder, length): {@code length} field elements drawn from the
   * stream by rejection sampling ({@link Field#trySample}).
   */
  default long[] expandIntoVec(Field field, byte[] seed, byte[] dst, int length, byte[]... binder) {
    return init(seed, dst, binder).nextVec(field, length);
  }

  /** An XOF output stream. Not thread-safe. */
  interface Stream {
    /** Fills out[off..off+len) with the next len bytes. */
    void next(byte[] out, int off, int len);

    /** The next len bytes. */
    default byte[] next(int len) {
      byte[] out = new byte[len];
      next(out, 0, len);
      return out;
    }

    /** next_vec(field, length): rejection-sampled field elements (VDAF-08 §6.2). */
    default long[] nextVec(Field field, int length) {
      int size = field.encodedSize();
      long[] r = field.alloc(length);
      // Read in blocks; rejections (probability < 2^-32 per element) draw one more element each.
      byte[] block = new byte[Math.min(length, 256) * size];
      int have = 0;
      while (have < length) {
        int want = Math.min(length - have, block.length / size);
        next(block, 0, want * size);
        for (int i = 0; i < want; i++) {
          if (field.trySample(block, i * size, r, have)) {
            have++;
          }
        }
      }
      return r;
    }
  }
}
