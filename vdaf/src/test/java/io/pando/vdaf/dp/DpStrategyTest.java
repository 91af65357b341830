package io.pando.vdaf.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class DpStrategyTest {
  @Test
  void noiseParametersFollowSensitivityAndBudget() {
    DpStrategy.PureDpDiscreteLaplace lap = (DpStrategy.PureDpDiscreteLaplace)
        DpStrategy.of("pure_dp_discrete_laplace", "1/2");
    // Prio3SumVec length 4, 3 bits: L1 = 4 * 7 = 28, scale = 28 / (1/2) = 56.
    assertEquals(Rational.of(56, 1), lap.scale(Sensitivity.sumVec(4, 3)));
    DpStrategy.ZCdpDiscreteGaussian g = (DpStrategy.ZCdpDiscreteGaussian)
        DpStrategy.of("zcdp_discrete_gaussian", "1/10");
    // L2^2 = 4 * 49 = 196, sigma^2 = 196 / (2/10) = 980.
    assertEquals(Rational.of(980, 1), g.sigma2(Sensitivity.sumVec(4, 3)));
    assertEquals(Rational.of(5, 1), g.sigma2(Sensitivity.histogram()));
    assertEquals(Rational.of(255, 1),
        lap.scale(Sensitivity.sum(8)).multiply(Rational.of(1, 2)));
    assertThrows(IllegalArgumentException.class, () -> DpStrategy.of("laplace", "1"));
    assertThrows(IllegalArgumentException.class,
        () -> DpStrategy.of("zcdp_discrete_gaussian", "0"));
  }

  @Test
  void noiseIsAddedInFieldArithmeticWithWraparound() throws Exception {
    Prio3<Integer, List<Long>> vdaf = Prio3.histogram(3, 2);
    BigInteger p = vdaf.field().modulus();
    AggregateShare share = vdaf.decodeAggregateShare(vdaf.field().encode(
        fieldVector(vdaf, 5, 0, 7)));
    BigInteger[] noise = {BigInteger.valueOf(-2), BigInteger.valueOf(-3), p.add(BigInteger.TWO)};
    AggregateShare noised = vdaf.addToAggregateShare(share, i -> noise[i]);
    long[] got = vdaf.field().decode(vdaf.encodeAggregateShare(noised));
    assertEquals(BigInteger.valueOf(3), vdaf.field().toBigInteger(got, 0));
    assertEquals(p.subtract(BigInteger.valueOf(3)), vdaf.field().toBigInteger(got, 1));
    assertEquals(BigInteger.valueOf(9), vdaf.field().toBigInteger(got, 2));
    assertNotEquals(share, noised);
    // The two aggregators' shares unshard to the truth plus the noise, read as signed.
    assertEquals(List.of(BigInteger.valueOf(3), BigInteger.valueOf(-3), BigInteger.valueOf(9)),
        vdaf.unshardSigned(List.of(noised, vdaf.emptyAggregateShare())));
    assertEquals(List.of(3L, -3L, 9L),
        vdaf.unshardNoised(List.of(noised, vdaf.emptyAggregateShare())));
    // Field64 (Prio3Count) wraps around the same way.
    Prio3<Boolean, Long> count = Prio3.count();
    AggregateShare c = count.addToAggregateShare(count.emptyAggregateShare(),
        i -> BigInteger.valueOf(-1));
    assertEquals(count.field().modulus().subtract(BigInteger.ONE),
        count.field().toBigInteger(count.field().decode(count.encodeAggregateShare(c)), 0));
    assertEquals(List.of(BigInteger.valueOf(-1)), count.unshardSigned(List.of(c)));
    assertEquals(-1L, count.unshardNoised(List.of(c)));
    Prio3<Long, BigInteger> sum = Prio3.sum(4);
    assertEquals(BigInteger.valueOf(-5), sum.unshardNoised(List.of(sum.addToAggregateShare(
        sum.emptyAggregateShare(), i -> BigInteger.valueOf(-5)))));
    Prio3<List<Long>, List<BigInteger>> vec = Prio3.sumVec(2, 3, 1);
    assertEquals(List.of(BigInteger.valueOf(-4), BigInteger.valueOf(4)), vec.unshardNoised(
        List.of(vec.addToAggregateShare(vec.emptyAggregateShare(),
            i -> BigInteger.valueOf(i == 0 ? -4 : 4)))));
  }

  @Test
  void addNoiseDrawsOncePerCoordinate() throws Exception {
    Prio3<Integer, List<Long>> vdaf = Prio3.histogram(50, 7);
    ExactSampler s = ExactSamplerTest.seeded(9);
    DpStrategy st = DpStrategy.of("pure_dp_discrete_laplace", "1");
    AggregateShare noised = st.addNoise(vdaf, vdaf.emptyAggregateShare(), s,
        Sensitivity.histogram());
    long[] v = vdaf.field().decode(vdaf.encodeAggregateShare(noised));
    int nonZero = 0;
    for (int i = 0; i < 50; i++) {
      nonZero += vdaf.field().isZero(v, i) ? 0 : 1;
    }
    // P[X = 0] = (1 - e^-1) / (1 + e^-1) ~ 0.46 per coordinate: some, not all, are zero.
    assertNotEquals(0, nonZero);
    assertNotEquals(50, nonZero);
  }

  private static long[] fieldVector(Prio3<?, ?> vdaf, long... xs) {
    long[] v = vdaf.field().alloc(xs.length);
    for (int i = 0; i < xs.length; i++) {
      vdaf.field().set(v, i, xs[i]);
    }
    return v;
  }
}
