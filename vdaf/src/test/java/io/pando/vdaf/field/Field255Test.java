package io.pando.vdaf.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Differential tests of {@link Field255} against BigInteger arithmetic modulo 2^255 - 19. */
class Field255Test {
  private static final Field255 F = Field255.INSTANCE;
  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
  private static final Random RNG = new Random(255);

  /** Values on word, carry and reduction boundaries, plus random ones, all in [0, p). */
  private static List<BigInteger> values() {
    List<BigInteger> raw = new ArrayList<>();
    for (long s : new long[] {0, 1, 2, 3, 18, 19, 20, 37, 38, 39}) {
      raw.add(BigInteger.valueOf(s));
      raw.add(P.subtract(BigInteger.valueOf(s + 1)));
    }
    for (int e : new int[] {63, 64, 65, 127, 128, 129, 191, 192, 193, 253, 254}) {
      BigInteger x = BigInteger.ONE.shiftLeft(e);
      raw.add(x);
      raw.add(x.subtract(BigInteger.ONE));
      raw.add(x.add(BigInteger.ONE));
      raw.add(P.subtract(x));
    }
    raw.add(P.shiftRight(1));
    raw.add(P.shiftRight(1).add(BigInteger.ONE));
    for (int i = 0; i < 200; i++) {
      raw.add(new BigInteger(255, RNG));
      // Values with long runs of ones or zeros in their words.
      raw.add(new BigInteger(255, RNG).or(BigInteger.ONE.shiftLeft(RNG.nextInt(255)).subtract(
          BigInteger.ONE)));
    }
    List<BigInteger> out = new ArrayList<>();
    for (BigInteger x : raw) {
      out.add(x.mod(P));
    }
    return out;
  }

  private static long[] elem(BigInteger v) {
    long[] r = F.alloc(1);
    F.set(r, 0, v);
    return r;
  }

  private static BigInteger big(long[] a) {
    return F.toBigInteger(a, 0);
  }

  /** 32 little-endian bytes of v (0 <= v < 2^256). */
  private static byte[] le32(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  @Test
  void parameters() {
    assertEquals(P, F.modulus());
    assertEquals(4, F.limbs());
    assertEquals(32, F.encodedSize());
    assertEquals(0, F.log2GenOrder());
    assertEquals("Field255", F.name());
  }

  @Test
  void setAndToBigIntegerRoundTrip() {
    for (BigInteger v : values()) {
      assertEquals(v, big(elem(v)));
    }
    assertEquals(P.subtract(BigInteger.ONE), big(elem(BigInteger.ONE.negate())));
    assertEquals(BigInteger.valueOf(19), big(elem(TWO_256.shiftRight(1))));
    assertEquals(BigInteger.valueOf(38), big(elem(TWO_256)));
    long[] r = F.alloc(1);
    F.set(r, 0, Long.MAX_VALUE);
    assertEquals(BigInteger.valueOf(Long.MAX_VALUE), big(r));
    assertThrows(IllegalArgumentException.class, () -> F.set(r, 0, -1L));
  }

  @Test
  void addSubNegMulAgreeWithBigInteger() {
    List<BigInteger> vs = values();
    long[] r = F.alloc(1);
    for (int i = 0; i < vs.size(); i++) {
      BigInteger a = vs.get(i);
      BigInteger b = vs.get((i * 7 + 3) % vs.size());
      long[] x = elem(a);
      long[] y = elem(b);
      F.add(x, 0, y, 0, r, 0);
      assertEquals(a.add(b).mod(P), big(r), "add " + a + " " + b);
      F.sub(x, 0, y, 0, r, 0);
      assertEquals(a.subtract(b).mod(P), big(r), "sub " + a + " " + b);
      F.mul(x, 0, y, 0, r, 0);
      assertEquals(a.multiply(b).mod(P), big(r), "mul " + a + " " + b);
      F.mul(x, 0, x, 0, r, 0);
      assertEquals(a.multiply(a).mod(P), big(r), "square " + a);
      F.neg(x, 0, r, 0);
      assertEquals(a.negate().mod(P), big(r), "neg " + a);
    }
  }

  @Test
  void everyPairOfEdgeValues() {
    List<BigInteger> vs = values().subList(0, 66);
    long[] r = F.alloc(1);
    for (BigInteger a : vs) {
      for (BigInteger b : vs) {
        long[] x = elem(a);
        long[] y = elem(b);
        F.add(x, 0, y, 0, r, 0);
        assertEquals(a.add(b).mod(P), big(r));
        F.sub(x, 0, y, 0, r, 0);
        assertEquals(a.subtract(b).mod(P), big(r));
        F.mul(x, 0, y, 0, r, 0);
        assertEquals(a.multiply(b).mod(P), big(r));
      }
    }
  }

  @Test
  void outputMayAliasInputs() {
    BigInteger a = new BigInteger(254, RNG);
    BigInteger b = new BigInteger(254, RNG);
    long[] v = F.alloc(2);
    F.set(v, 0, a);
    F.set(v, 1, b);
    F.mul(v, 0, v, 1, v, 0);
    assertEquals(a.multiply(b).mod(P), F.toBigInteger(v, 0));
    F.add(v, 0, v, 1, v, 1);
    assertEquals(a.multiply(b).add(b).mod(P), F.toBigInteger(v, 1));
    F.neg(v, 1, v, 1);
    assertEquals(a.multiply(b).add(b).negate().mod(P), F.toBigInteger(v, 1));
  }

  @Test
  void invAndPow() {
    long[] r = F.alloc(1);
    long[] one = elem(BigInteger.ONE);
    for (BigInteger a : values()) {
      if (a.signum() == 0) {
        assertThrows(ArithmeticException.class, () -> F.inv(elem(a), 0, r, 0));
        continue;
      }
      F.inv(elem(a), 0, r, 0);
      assertEquals(a.modInverse(P), big(r), "inv " + a);
      F.mul(r, 0, elem(a), 0, r, 0);
      assertTrue(F.equal(r, 0, one, 0));
    }
    for (long e : new long[] {0, 1, 2, 3, 5, 64, 255, 1L << 40, Long.MAX_VALUE}) {
      BigInteger a = new BigInteger(255, RNG).mod(P);
      F.pow(elem(a), 0, e, r, 0);
      assertEquals(a.modPow(BigInteger.valueOf(e), P), big(r), "pow " + e);
    }
    assertThrows(IllegalArgumentException.class, () -> F.pow(one, 0, -1, r, 0));
  }

  @Test
  void vectorOperationsAndEquality() {
    int n = 17;
    long[] a = F.alloc(n);
    long[] b = F.alloc(n);
    BigInteger[] x = new BigInteger[n];
    BigInteger[] y = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      x[i] = new BigInteger(256, RNG).mod(P);
      y[i] = new BigInteger(256, RNG).mod(P);
      F.set(a, i, x[i]);
      F.set(b, i, y[i]);
    }
    long[] s = F.alloc(n);
    long[] d = F.alloc(n);
    F.addVec(a, b, s, n);
    F.subVec(a, b, d, n);
    for (int i = 0; i < n; i++) {
      assertEquals(x[i].add(y[i]).mod(P), F.toBigInteger(s, i));
      assertEquals(x[i].subtract(y[i]).mod(P), F.toBigInteger(d, i));
    }
    assertTrue(F.equalVec(a, a.clone(), n));
    assertFalse(F.equalVec(a, b, n));
    long[] c = a.clone();
    c[4 * n - 1] ^= 1;
    assertFalse(F.equalVec(a, c, n));
    assertFalse(F.equal(a, n - 1, c, n - 1));
    assertTrue(F.equal(a, 0, c, 0));
    assertTrue(F.isZero(F.alloc(1), 0));
    assertFalse(F.isZero(elem(BigInteger.ONE.shiftLeft(200)), 0));

    // Horner evaluation of the polynomial with coefficients x (lowest degree first) at y[0].
    long[] r = F.alloc(1);
    F.polyEval(a, 0, n, b, 0, r, 0);
    BigInteger want = BigInteger.ZERO;
    for (int i = n - 1; i >= 0; i--) {
      want = want.multiply(y[0]).add(x[i]).mod(P);
    }
    assertEquals(want, big(r));
    F.polyEval(a, 3, 0, b, 0, r, 0);
    assertEquals(BigInteger.ZERO, big(r));
  }

  @Test
  void onlyTheTrivialNtt() {
    long[] a = elem(BigInteger.valueOf(12345));
    F.ntt(a, 1);
    F.invNtt(a, 1);
    assertEquals(BigInteger.valueOf(12345), big(a));
    long[] r = F.alloc(1);
    F.rootOfUnity(1, r, 0);
    assertEquals(BigInteger.ONE, big(r));
    assertThrows(UnsupportedOperationException.class, () -> F.ntt(F.alloc(2), 2));
    assertThrows(UnsupportedOperationException.class, () -> F.invNtt(F.alloc(4), 4));
    assertThrows(UnsupportedOperationException.class, () -> F.rootOfUnity(2, r, 0));
  }

  @Test
  void encodeIsLittleEndianAndDecodeRoundTrips() throws DecodeException {
    List<BigInteger> vs = values();
    long[] v = F.alloc(vs.size());
    for (int i = 0; i < vs.size(); i++) {
      F.set(v, i, vs.get(i));
    }
    byte[] enc = F.encode(v);
    assertEquals(32 * vs.size(), enc.length);
    for (int i = 0; i < vs.size(); i++) {
      byte[] one = new byte[32];
      System.arraycopy(enc, 32 * i, one, 0, 32);
      assertArrayEquals(le32(vs.get(i)), one);
    }
    long[] back = F.decode(enc);
    assertArrayEquals(v, back);
    assertArrayEquals(F.encode(v), F.encode(back));
    // Offsets and counts.
    long[] mid = F.decode(enc, 64, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(vs.get(2 + i), F.toBigInteger(mid, i));
    }
  }

  @Test
  void decodeRejectsValuesAtOrAboveTheModulusAndBadRanges() throws DecodeException {
    BigInteger top = BigInteger.ONE.shiftLeft(255);
    for (BigInteger bad : new BigInteger[] {P, P.add(BigInteger.ONE), P.add(BigInteger.valueOf(18)),
        top, TWO_256.subtract(BigInteger.ONE), top.add(BigInteger.valueOf(5)),
        TWO_256.subtract(BigInteger.valueOf(19))}) {
      assertThrows(DecodeException.class, () -> F.decode(le32(bad)), bad.toString(16));
    }
    BigInteger max = P.subtract(BigInteger.ONE);
    assertEquals(max, F.toBigInteger(F.decode(le32(max)), 0));
    assertThrows(DecodeException.class, () -> F.decode(new byte[31]));
    assertThrows(DecodeException.class, () -> F.decode(new byte[33]));
    assertThrows(DecodeException.class, () -> F.decode(new byte[64], 33, 1));
    assertThrows(DecodeException.class, () -> F.decode(new byte[64], -1, 1));
    assertThrows(DecodeException.class, () -> F.decode(new byte[64], 0, 3));
    assertThrows(DecodeException.class, () -> F.decode(null, 0, 0));
    assertEquals(0, F.decode(new byte[0]).length);
  }

  @Test
  void samplingClearsTheTopBitThenRejectsAtOrAboveTheModulus() {
    long[] r = F.alloc(2);
    // Below p: taken as is.
    BigInteger v = P.subtract(BigInteger.ONE);
    assertTrue(F.trySample(le32(v), 0, r, 1));
    assertEquals(v, F.toBigInteger(r, 1));
    // Top bit set: masked off (2^255 + 7 -> 7; 2^256 - 20 -> p - 1).
    BigInteger top = BigInteger.ONE.shiftLeft(255);
    assertTrue(F.trySample(le32(top.add(BigInteger.valueOf(7))), 0, r, 0));
    assertEquals(BigInteger.valueOf(7), F.toBigInteger(r, 0));
    assertTrue(F.trySample(le32(TWO_256.subtract(BigInteger.valueOf(20))), 0, r, 0));
    assertEquals(P.subtract(BigInteger.ONE), F.toBigInteger(r, 0));
    // In [p, 2^255) after masking: rejected, r untouched.
    long[] before = r.clone();
    for (BigInteger bad : new BigInteger[] {P, P.add(BigInteger.TEN),
        BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE), TWO_256.subtract(BigInteger.ONE),
        TWO_256.subtract(BigInteger.valueOf(19))}) {
      assertFalse(F.trySample(le32(bad), 0, r, 0), bad.toString(16));
    }
    assertArrayEquals(before, r);
    // Random 32-byte strings at an offset agree with the masked-and-rejected integer.
    byte[] buf = new byte[40];
    for (int i = 0; i < 1000; i++) {
      RNG.nextBytes(buf);
      if (i % 10 == 0) {
        // Force the rare rejection region: all ones above the low byte.
        for (int k = 9; k < 40; k++) {
          buf[k] = (byte) 0xff;
        }
      }
      byte[] be = new byte[32];
      for (int k = 0; k < 32; k++) {
        be[k] = buf[8 + 31 - k];
      }
      BigInteger x = new BigInteger(1, be).clearBit(255);
      boolean ok = F.trySample(buf, 8, r, 0);
      assertEquals(x.compareTo(P) < 0, ok);
      if (ok) {
        assertEquals(x, F.toBigInteger(r, 0));
      }
    }
  }
}
