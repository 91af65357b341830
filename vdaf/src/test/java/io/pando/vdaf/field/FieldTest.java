package io.pando.vdaf.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Differential tests of {@link Field64} and {@link Field128} against BigInteger arithmetic. */
class FieldTest {
  private static final BigInteger TWO = BigInteger.TWO;

  static Stream<Field> fields() {
    return Stream.of(Field64.INSTANCE, Field128.INSTANCE);
  }

  /** Values that sit on word, carry and reduction boundaries, reduced mod p. */
  private static List<BigInteger> edgeValues(Field f) {
    BigInteger p = f.modulus();
    List<BigInteger> raw = new ArrayList<>();
    long[] small = {0, 1, 2, 3, 7, 28, 29};
    for (long s : small) {
      raw.add(BigInteger.valueOf(s));
      raw.add(p.subtract(BigInteger.valueOf(s + 1)));
    }
    for (int e : new int[] {31, 32, 33, 62, 63, 64, 65, 96, 126, 127}) {
      BigInteger x = TWO.pow(e);
      raw.add(x);
      raw.add(x.subtract(BigInteger.ONE));
      raw.add(x.add(BigInteger.ONE));
      raw.add(p.subtract(x));
      raw.add(p.subtract(x).add(BigInteger.ONE));
    }
    raw.add(p.shiftRight(1));
    raw.add(p.shiftRight(1).add(BigInteger.ONE));
    raw.add(TWO.pow(f.encodedSize() * 8).subtract(p)); // 2^bits mod p
    List<BigInteger> out = new ArrayList<>();
    // For a Montgomery form x * R mod p, also take the values whose internal form is the edge
    // value itself.
    BigInteger rInv = TWO.pow(f.encodedSize() * 8).mod(p).modInverse(p);
    for (BigInteger x : raw) {
      BigInteger v = x.mod(p);
      out.add(v);
      out.add(v.multiply(rInv).mod(p));
    }
    return out;
  }

  /** A random element mixing uniform values with values built from extreme 32-bit chunks. */
  private static BigInteger randomElement(Field f, Random rnd, List<BigInteger> edges) {
    BigInteger p = f.modulus();
    int bits = f.encodedSize() * 8;
    switch (rnd.nextInt(6)) {
      case 0:
        return edges.get(rnd.nextInt(edges.size()));
      case 1:
        {
          BigInteger x = BigInteger.ZERO;
          for (int i = 0; i < bits / 32; i++) {
            long chunk;
            switch (rnd.nextInt(4)) {
              case 0:
                chunk = 0;
                break;
              case 1:
                chunk = 0xffffffffL;
                break;
              case 2:
                chunk = rnd.nextInt(4);
                break;
              default:
                chunk = rnd.nextInt() & 0xffffffffL;
            }
            x = x.shiftLeft(32).or(BigInteger.valueOf(chunk));
          }
          return x.mod(p);
        }
      case 2:
        return p.subtract(BigInteger.ONE).subtract(new BigInteger(rnd.nextInt(bits), rnd));
      default:
        {
          BigInteger x;
          do {
            x = new BigInteger(bits, rnd);
          } while (x.compareTo(p) >= 0);
          return x;
        }
    }
  }

  private static long[] elem(Field f, BigInteger v) {
    long[] r = f.alloc(1);
    f.set(r, 0, v);
    return r;
  }

  private static BigInteger big(Field f, long[] a) {
    return f.toBigInteger(a, 0);
  }

  @ParameterizedTest
  @MethodSource("fields")
  void parameters(Field f) {
    if (f == Field64.INSTANCE) {
      assertEquals(TWO.pow(64).subtract(TWO.pow(32)).add(BigInteger.ONE), f.modulus());
      assertEquals(1, f.limbs());
      assertEquals(8, f.encodedSize());
      assertEquals(32, f.log2GenOrder());
      assertEquals("Field64", f.name());
    } else {
      assertEquals(
          TWO.pow(66).multiply(new BigInteger("4611686018427387897")).add(BigInteger.ONE),
          f.modulus());
      assertEquals(2, f.limbs());
      assertEquals(16, f.encodedSize());
      assertEquals(66, f.log2GenOrder());
      assertEquals("Field128", f.name());
    }
    assertTrue(f.modulus().isProbablePrime(64));
    assertEquals(3, f.length(f.alloc(3)));
    assertTrue(f.isZero(f.alloc(1), 0));
    assertEquals(BigInteger.ZERO, f.toBigInteger(f.alloc(2), 1));
  }

  @ParameterizedTest
  @MethodSource("fields")
  void arithmeticMatchesBigInteger(Field f) {
    BigInteger p = f.modulus();
    Random rnd = new Random(0x5eed0001L);
    List<BigInteger> edges = edgeValues(f);
    List<BigInteger> values = new ArrayList<>(edges);
    for (int i = 0; i < 3000; i++) {
      values.add(randomElement(f, rnd, edges));
    }
    long[] r = f.alloc(1);
    for (int i = 0; i < values.size(); i++) {
      BigInteger x = values.get(i);
      long[] a = elem(f, x);
      assertEquals(x, big(f, a), "set/toBigInteger");
      f.neg(a, 0, r, 0);
      assertEquals(x.negate().mod(p), big(f, r), "neg " + x);
      assertEquals(x.signum() == 0, f.isZero(a, 0));
      for (int j = 0; j < 8; j++) {
        BigInteger y = j == 0 ? x : values.get(rnd.nextInt(values.size()));
        long[] b = elem(f, y);
        f.add(a, 0, b, 0, r, 0);
        assertEquals(x.add(y).mod(p), big(f, r), "add " + x + " " + y);
        f.sub(a, 0, b, 0, r, 0);
        assertEquals(x.subtract(y).mod(p), big(f, r), "sub " + x + " " + y);
        f.mul(a, 0, b, 0, r, 0);
        assertEquals(x.multiply(y).mod(p), big(f, r), "mul " + x + " " + y);
        assertEquals(x.equals(y), f.equal(a, 0, b, 0));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void invAndPow(Field f) {
    BigInteger p = f.modulus();
    Random rnd = new Random(0x5eed0002L);
    List<BigInteger> edges = edgeValues(f);
    long[] r = f.alloc(1);
    for (int i = 0; i < 300; i++) {
      BigInteger x = i < edges.size() ? edges.get(i) : randomElement(f, rnd, edges);
      long[] a = elem(f, x);
      if (x.signum() == 0) {
        assertThrows(ArithmeticException.class, () -> f.inv(a, 0, r, 0));
      } else {
        f.inv(a, 0, r, 0);
        assertEquals(x.modInverse(p), big(f, r), "inv " + x);
      }
      long[] exps = {0, 1, 2, 3, 64, rnd.nextInt(1000), rnd.nextLong() & Long.MAX_VALUE,
          Long.MAX_VALUE};
      for (long e : exps) {
        f.pow(a, 0, e, r, 0);
        assertEquals(x.modPow(BigInteger.valueOf(e), p), big(f, r), "pow " + x + "^" + e);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void setLongAndBigInteger(Field f) {
    BigInteger p = f.modulus();
    Random rnd = new Random(0x5eed0003L);
    long[] r = f.alloc(1);
    long[] longs = {0, 1, 2, 0xffffffffL, 0x100000000L, 0x100000001L, Long.MAX_VALUE,
        Long.MAX_VALUE - 1};
    for (int i = 0; i < 2000; i++) {
      long v = i < longs.length ? longs[i] : (rnd.nextLong() & Long.MAX_VALUE) >>> rnd.nextInt(64);
      f.set(r, 0, v);
      assertEquals(BigInteger.valueOf(v), big(f, r), "set(long) " + v);
    }
    List<BigInteger> bigs = new ArrayList<>();
    bigs.add(p);
    bigs.add(p.add(BigInteger.ONE));
    bigs.add(p.subtract(BigInteger.ONE));
    bigs.add(p.negate());
    bigs.add(BigInteger.ONE.negate());
    bigs.add(p.multiply(p));
    bigs.add(TWO.pow(64));
    bigs.add(TWO.pow(128));
    bigs.add(TWO.pow(300).negate());
    for (int i = 0; i < 2000; i++) {
      BigInteger x = new BigInteger(1 + rnd.nextInt(300), rnd);
      bigs.add(rnd.nextBoolean() ? x : x.negate());
    }
    for (BigInteger x : bigs) {
      f.set(r, 0, x);
      assertEquals(x.mod(p), big(f, r), "set(BigInteger) " + x);
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void aliasing(Field f) {
    BigInteger p = f.modulus();
    Random rnd = new Random(0x5eed0004L);
    List<BigInteger> edges = edgeValues(f);
    for (int i = 0; i < 300; i++) {
      BigInteger x = randomElement(f, rnd, edges);
      BigInteger y = randomElement(f, rnd, edges);
      long[] v = f.alloc(3);
      f.set(v, 1, x);
      f.set(v, 2, y);

      long[] w = v.clone();
      f.add(w, 1, w, 1, w, 1);
      assertEquals(x.add(x).mod(p), f.toBigInteger(w, 1));
      w = v.clone();
      f.sub(w, 1, w, 2, w, 1);
      assertEquals(x.subtract(y).mod(p), f.toBigInteger(w, 1));
      w = v.clone();
      f.sub(w, 1, w, 2, w, 2);
      assertEquals(x.subtract(y).mod(p), f.toBigInteger(w, 2));
      w = v.clone();
      f.mul(w, 1, w, 1, w, 1);
      assertEquals(x.multiply(x).mod(p), f.toBigInteger(w, 1));
      w = v.clone();
      f.mul(w, 1, w, 2, w, 2);
      assertEquals(x.multiply(y).mod(p), f.toBigInteger(w, 2));
      w = v.clone();
      f.neg(w, 1, w, 1);
      assertEquals(x.negate().mod(p), f.toBigInteger(w, 1));
      w = v.clone();
      f.pow(w, 2, 5, w, 2);
      assertEquals(y.modPow(BigInteger.valueOf(5), p), f.toBigInteger(w, 2));
      if (x.signum() != 0) {
        w = v.clone();
        f.inv(w, 1, w, 1);
        assertEquals(x.modInverse(p), f.toBigInteger(w, 1));
      }
      w = v.clone();
      f.copy(w, 2, w, 0);
      assertEquals(y, f.toBigInteger(w, 0));
      assertTrue(f.equal(w, 0, w, 2));
      w = v.clone();
      f.polyEval(w, 0, 3, w, 1, w, 1); // p(t) = 0 + x t + y t^2 at t = x
      assertEquals(x.multiply(x).add(y.multiply(x).multiply(x)).mod(p), f.toBigInteger(w, 1));
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void vectors(Field f) {
    BigInteger p = f.modulus();
    Random rnd = new Random(0x5eed0005L);
    List<BigInteger> edges = edgeValues(f);
    for (int n : new int[] {0, 1, 2, 7, 100}) {
      BigInteger[] xs = new BigInteger[n];
      BigInteger[] ys = new BigInteger[n];
      long[] a = f.alloc(n + 1);
      long[] b = f.alloc(n + 1);
      for (int i = 0; i < n; i++) {
        xs[i] = randomElement(f, rnd, edges);
        ys[i] = randomElement(f, rnd, edges);
        f.set(a, i, xs[i]);
        f.set(b, i, ys[i]);
      }
      f.set(a, n, BigInteger.ONE); // beyond n: must be ignored
      long[] r = f.alloc(n + 1);
      f.addVec(a, b, r, n);
      for (int i = 0; i < n; i++) {
        assertEquals(xs[i].add(ys[i]).mod(p), f.toBigInteger(r, i));
      }
      assertTrue(f.isZero(r, n));
      f.subVec(a, b, r, n);
      for (int i = 0; i < n; i++) {
        assertEquals(xs[i].subtract(ys[i]).mod(p), f.toBigInteger(r, i));
      }
      long[] c = a.clone();
      f.addVec(c, b, c, n);
      f.subVec(c, b, c, n);
      assertArrayEquals(a, c);
      assertTrue(f.equalVec(a, c, n));
      assertTrue(f.equalVec(a, b, 0));
      assertTrue(f.equalVec(a, b, n) == Arrays.equals(xs, ys));
      if (n > 0) {
        c[c.length - f.limbs() - 1] ^= 1; // last limb of element n - 1
        assertFalse(f.equalVec(a, c, n));
        c = a.clone();
        f.set(c, 0, xs[0].add(BigInteger.ONE));
        assertFalse(f.equalVec(a, c, n));
        c = f.alloc(n + 1);
        f.copy(a, n, c, n);
        f.subVec(c, c, c, n + 1);
        assertTrue(f.equalVec(c, f.alloc(n + 1), n + 1));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void polyEval(Field f) {
    BigInteger p = f.modulus();
    Random rnd = new Random(0x5eed0006L);
    List<BigInteger> edges = edgeValues(f);
    long[] r = f.alloc(1);
    for (int n = 0; n < 20; n++) {
      int off = rnd.nextInt(3);
      long[] poly = f.alloc(off + n + 2);
      BigInteger[] coeffs = new BigInteger[n];
      for (int i = 0; i < n; i++) {
        coeffs[i] = randomElement(f, rnd, edges);
        f.set(poly, off + i, coeffs[i]);
      }
      f.set(poly, off + n, BigInteger.TEN); // not part of the polynomial
      BigInteger x = randomElement(f, rnd, edges);
      long[] xs = f.alloc(2);
      f.set(xs, 1, x);
      f.polyEval(poly, off, n, xs, 1, r, 0);
      BigInteger want = BigInteger.ZERO;
      for (int i = n - 1; i >= 0; i--) {
        want = want.multiply(x).add(coeffs[i]).mod(p);
      }
      assertEquals(want, big(f, r), "n=" + n);
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void rootsOfUnity(Field f) {
    BigInteger p = f.modulus();
    BigInteger g =
        f == Field64.INSTANCE
            ? new BigInteger("185629dcda58878c", 16)
            : new BigInteger("6d278fbf4f60228b1f9b2759c5109f06", 16);
    int logOrder = f.log2GenOrder();
    assertEquals(BigInteger.ONE, g.modPow(TWO.pow(logOrder), p));
    assertNotEquals(BigInteger.ONE, g.modPow(TWO.pow(logOrder - 1), p));
    // g = 7^((p - 1) / GEN_ORDER) for Field64.
    if (f == Field64.INSTANCE) {
      assertEquals(g, BigInteger.valueOf(7).modPow(p.subtract(BigInteger.ONE).shiftRight(32), p));
    }
    long[] w = f.alloc(1);
    long[] r = f.alloc(1);
    for (int k = 0; k <= 30; k++) {
      int n = 1 << k;
      f.rootOfUnity(n, w, 0);
      BigInteger wb = big(f, w);
      assertEquals(g.modPow(TWO.pow(logOrder - k), p), wb, "alpha_" + n);
      f.pow(w, 0, n, r, 0);
      assertEquals(BigInteger.ONE, big(f, r));
      if (n > 1) {
        f.pow(w, 0, n / 2, r, 0);
        assertNotEquals(BigInteger.ONE, big(f, r));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> f.rootOfUnity(3, w, 0));
    assertThrows(IllegalArgumentException.class, () -> f.rootOfUnity(0, w, 0));
    assertThrows(IllegalArgumentException.class, () -> f.ntt(f.alloc(6), 6));
    assertThrows(IllegalArgumentException.class, () -> f.invNtt(f.alloc(6), 6));
  }

  @ParameterizedTest
  @MethodSource("fields")
  void nttMatchesNaiveEvaluation(Field f) {
    BigInteger p = f.modulus();
    Random rnd = new Random(0x5eed0007L);
    List<BigInteger> edges = edgeValues(f);
    long[] w = f.alloc(1);
    for (int n = 1; n <= 64; n <<= 1) {
      BigInteger[] coeffs = new BigInteger[n];
      long[] a = f.alloc(n + 1);
      for (int i = 0; i < n; i++) {
        coeffs[i] = randomElement(f, rnd, edges);
        f.set(a, i, coeffs[i]);
      }
      f.set(a, n, BigInteger.TWO); // beyond n: untouched
      long[] orig = a.clone();
      f.rootOfUnity(n, w, 0);
      BigInteger alpha = big(f, w);
      f.ntt(a, n);
      for (int k = 0; k < n; k++) {
        BigInteger x = alpha.modPow(BigInteger.valueOf(k), p);
        BigInteger want = BigInteger.ZERO;
        for (int j = n - 1; j >= 0; j--) {
          want = want.multiply(x).add(coeffs[j]).mod(p);
        }
        assertEquals(want, f.toBigInteger(a, k), "n=" + n + " k=" + k);
      }
      assertEquals(BigInteger.TWO, f.toBigInteger(a, n));
      f.invNtt(a, n);
      assertArrayEquals(orig, a, "n=" + n);
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void nttRoundTrip(Field f) {
    Random rnd = new Random(0x5eed0008L);
    List<BigInteger> edges = edgeValues(f);
    for (int n = 1; n <= 1 << 12; n <<= 1) {
      long[] a = f.alloc(n);
      for (int i = 0; i < n; i++) {
        f.set(a, i, randomElement(f, rnd, edges));
      }
      long[] orig = a.clone();
      f.invNtt(a, n);
      f.ntt(a, n);
      assertArrayEquals(orig, a, "n=" + n);
      f.ntt(a, n);
      f.invNtt(a, n);
      assertArrayEquals(orig, a, "n=" + n);
    }
    // The transform of a constant polynomial is constant; of X it is the powers of alpha.
    int n = 1 << 12;
    long[] a = f.alloc(n);
    f.set(a, 1, 1);
    f.ntt(a, n);
    long[] w = f.alloc(1);
    long[] x = f.alloc(1);
    f.rootOfUnity(n, w, 0);
    for (int k = 0; k < n; k += 97) {
      f.pow(w, 0, k, x, 0);
      assertTrue(f.equal(a, k, x, 0), "k=" + k);
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void nttConcurrentTableGrowth(Field f) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed);
                  for (int logN = 10; logN <= 14; logN++) {
                    int n = 1 << (logN + (seed & 1));
                    long[] a = f.alloc(n);
                    for (int i = 0; i < n; i++) {
                      f.set(a, i, rnd.nextLong() & Long.MAX_VALUE);
                    }
                    long[] orig = a.clone();
                    f.ntt(a, n);
                    f.invNtt(a, n);
                    if (!Arrays.equals(orig, a)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> r : results) {
        assertTrue(r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("fields")
  void encodeDecode(Field f) throws DecodeException {
    BigInteger p = f.modulus();
    int size = f.encodedSize();
    Random rnd = new Random(0x5eed0009L);
    List<BigInteger> edges = edgeValues(f);
    int n = 50;
    long[] v = f.alloc(n);
    BigInteger[] xs = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      xs[i] = randomElement(f, rnd, edges);
      f.set(v, i, xs[i]);
    }
    byte[] enc = f.encode(v);
    assertEquals(n * size, enc.length);
    for (int i = 0; i < n; i++) {
      assertEquals(xs[i], leToBig(enc, i * size, size));
    }
    assertArrayEquals(v, f.decode(enc));

    // At an offset, with a partial count.
    byte[] buf = new byte[3 + n * size + 5];
    f.encode(v, n - 1, buf, 3);
    assertArrayEquals(Arrays.copyOf(v, (n - 1) * f.limbs()), f.decode(buf, 3, n - 1));
    assertEquals(0, f.decode(buf, buf.length, 0).length);
    assertEquals(0, f.decode(new byte[0]).length);

    // p - 1 is the largest valid element.
    long[] one = f.decode(toLe(p.subtract(BigInteger.ONE), size));
    assertEquals(p.subtract(BigInteger.ONE), f.toBigInteger(one, 0));
    byte[] zero = new byte[size];
    assertTrue(f.isZero(f.decode(zero), 0));
  }

  @ParameterizedTest
  @MethodSource("fields")
  void decodeRejects(Field f) {
    BigInteger p = f.modulus();
    int size = f.encodedSize();
    byte[] allOnes = new byte[size];
    Arrays.fill(allOnes, (byte) 0xff);
    List<byte[]> bad = new ArrayList<>();
    bad.add(toLe(p, size));
    bad.add(toLe(p.add(BigInteger.ONE), size));
    bad.add(toLe(p.add(TWO.pow(size * 8).subtract(p).shiftRight(1)), size));
    bad.add(allOnes);
    for (byte[] b : bad) {
      assertThrows(DecodeException.class, () -> f.decode(b));
      byte[] two = new byte[2 * size];
      System.arraycopy(b, 0, two, size, size);
      assertThrows(DecodeException.class, () -> f.decode(two));
      assertThrows(DecodeException.class, () -> f.decode(two, size, 1));
    }
    // Wrong length.
    for (int len : new int[] {1, size - 1, size + 1, 2 * size - 1}) {
      assertThrows(DecodeException.class, () -> f.decode(new byte[len]));
    }
    // Out-of-range offset or count.
    byte[] in = new byte[4 * size];
    int[][] ranges = {
      {-1, 1}, {0, -1}, {0, 5}, {1, 4}, {4 * size, 1}, {4 * size + 1, 0}, {Integer.MAX_VALUE, 1},
      {Integer.MIN_VALUE, 1}, {0, Integer.MAX_VALUE}, {size, Integer.MAX_VALUE / size + 1},
      {Integer.MAX_VALUE - 3, 2}, {-size, 2}, {0, Integer.MIN_VALUE}
    };
    for (int[] range : ranges) {
      assertThrows(
          DecodeException.class,
          () -> f.decode(in, range[0], range[1]),
          "off=" + range[0] + " n=" + range[1]);
    }
    assertThrows(DecodeException.class, () -> f.decode(null, 0, 0));
  }

  @ParameterizedTest
  @MethodSource("fields")
  void trySample(Field f) {
    BigInteger p = f.modulus();
    int size = f.encodedSize();
    long[] r = f.alloc(2);
    byte[] buf = new byte[size + 3];
    System.arraycopy(toLe(p.subtract(BigInteger.ONE), size), 0, buf, 3, size);
    assertTrue(f.trySample(buf, 3, r, 1));
    assertEquals(p.subtract(BigInteger.ONE), f.toBigInteger(r, 1));
    long[] before = r.clone();
    for (BigInteger bad : new BigInteger[] {p, p.add(BigInteger.ONE), TWO.pow(8 * size).subtract(
        BigInteger.ONE)}) {
      System.arraycopy(toLe(bad, size), 0, buf, 3, size);
      assertFalse(f.trySample(buf, 3, r, 1));
      assertArrayEquals(before, r);
    }
    Random rnd = new Random(0x5eed000aL);
    for (int i = 0; i < 1000; i++) {
      BigInteger x = new BigInteger(8 * size, rnd);
      System.arraycopy(toLe(x, size), 0, buf, 3, size);
      boolean ok = f.trySample(buf, 3, r, 0);
      assertEquals(x.compareTo(p) < 0, ok);
      if (ok) {
        assertEquals(x, f.toBigInteger(r, 0));
      }
    }
  }

  private static BigInteger leToBig(byte[] b, int off, int len) {
    byte[] be = new byte[len + 1];
    for (int i = 0; i < len; i++) {
      be[len - i] = b[off + i];
    }
    return new BigInteger(be);
  }

  private static byte[] toLe(BigInteger x, int len) {
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = x.shiftRight(8 * i).byteValue();
    }
    return out;
  }
}
