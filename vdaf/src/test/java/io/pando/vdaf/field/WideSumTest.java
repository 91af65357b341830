package io.pando.vdaf.field;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** addWide/reduceWide against BigInteger sums, including long runs of maximal elements. */
class WideSumTest {
  @Test
  void wideSumsMatchBigIntegerArithmetic() {
    Random rng = new Random(99);
    for (Field f : List.of(Field64.INSTANCE, Field128.INSTANCE)) {
      BigInteger p = f.modulus();
      for (int count : new int[] {0, 1, 2, 7, 100, 5000}) {
        int n = 4;
        long[] acc = f.allocWide(n);
        BigInteger[] want = new BigInteger[n];
        Arrays.fill(want, BigInteger.ZERO);
        for (int k = 0; k < count; k++) {
          long[] v = f.alloc(n);
          for (int i = 0; i < n; i++) {
            BigInteger x = switch ((k + i) % 4) {
              case 0 -> p.subtract(BigInteger.ONE);
              case 1 -> p.subtract(BigInteger.valueOf(rng.nextInt(1000) + 1));
              case 2 -> new BigInteger(p.bitLength() + 8, rng).mod(p);
              default -> BigInteger.valueOf(rng.nextInt(3));
            };
            f.set(v, i, x);
            want[i] = want[i].add(x).mod(p);
          }
          f.addWide(acc, v, n);
        }
        long[] r = f.alloc(n);
        f.reduceWide(acc, n, r);
        for (int i = 0; i < n; i++) {
          assertEquals(want[i], f.toBigInteger(r, i), f.name() + " count=" + count + " i=" + i);
        }
      }
    }
  }
}
