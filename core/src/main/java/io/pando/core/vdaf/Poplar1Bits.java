package io.pando.core.vdaf;

import java.math.BigInteger;

/**
 * Poplar1 measurements and prefixes written as strings of '0' and '1', first character the most
 * significant bit (draft-irtf-cfrg-vdaf-08 §8: a measurement is an integer of {@code bits} bits,
 * a prefix at level L its first L + 1 bits).
 */
public final class Poplar1Bits {
  private Poplar1Bits() {}

  /**
   * The integer of a bit string of exactly {@code length} characters.
   *
   * @throws IllegalArgumentException if the string is not {@code length} characters of '0'/'1'
   */
  public static BigInteger parse(String bits, int length) {
    if (bits == null || bits.length() != length) {
      throw new IllegalArgumentException("a Poplar1 bit string of " + length + " bits is needed, "
          + "got " + (bits == null ? "none" : bits.length() + " characters"));
    }
    for (int i = 0; i < bits.length(); i++) {
      char c = bits.charAt(i);
      if (c != '0' && c != '1') {
        throw new IllegalArgumentException("a Poplar1 bit string has only '0' and '1', got '"
            + c + "' at position " + i);
      }
    }
    return new BigInteger(bits, 2);
  }

  /** The bit string of {@code value} in {@code length} characters (leading zeros kept). */
  public static String format(BigInteger value, int length) {
    if (value.signum() < 0 || value.bitLength() > length) {
      throw new IllegalArgumentException(value + " does not fit " + length + " bits");
    }
    StringBuilder b = new StringBuilder(length);
    for (int i = length - 1; i >= 0; i--) {
      b.append(value.testBit(i) ? '1' : '0');
    }
    return b.toString();
  }
}
