package io.pando.vdaf.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RationalTest {
  @Test
  void parsesAndNormalises() {
    assertEquals(Rational.of(1, 2), Rational.parse("2/4"));
    assertEquals("1/2", Rational.parse("2/4").toString());
    assertEquals("3", Rational.parse("3").toString());
    assertEquals(BigInteger.valueOf(2), Rational.parse("17/4").floorSqrt());
    for (long n = 0; n < 2000; n++) {
      long r = Rational.isqrt(BigInteger.valueOf(n)).longValue();
      assertEquals(true, r * r <= n && (r + 1) * (r + 1) > n, "isqrt " + n);
    }
    BigInteger big = BigInteger.ONE.shiftLeft(200).add(BigInteger.valueOf(12345));
    BigInteger r = Rational.isqrt(big);
    assertEquals(true, r.multiply(r).compareTo(big) <= 0
        && r.add(BigInteger.ONE).pow(2).compareTo(big) > 0);
  }

  @Test
  void refusesWhatIsNotANonNegativeRational() {
    for (String s : new String[] {"", "/2", "1/", "-1/2", "1/0", "0.5", "1e3", " 1/2", "a/b",
        "1/2/3", "9".repeat(61)}) {
      assertThrows(IllegalArgumentException.class, () -> Rational.parse(s), s);
    }
  }
}
