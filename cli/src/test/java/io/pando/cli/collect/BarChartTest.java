package io.pando.cli.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartTest {
  private static final String FULL = "\u2588";

  private static List<BigInteger> values(long... v) {
    return Arrays.stream(v).mapToObj(BigInteger::valueOf).toList();
  }

  @Test
  void barsAreScaledToTheLargestValueInEighths() {
    assertEquals(FULL.repeat(50), BarChart.bar(BigInteger.TEN, BigInteger.TEN, 50));
    assertEquals(FULL.repeat(5), BarChart.bar(BigInteger.ONE, BigInteger.TEN, 50));
    // 1/16 of 10 columns is 5 eighths.
    assertEquals("\u258b", BarChart.bar(BigInteger.ONE, BigInteger.valueOf(16), 10));
    // 3/16 of 10 columns is 15 eighths: one full column and seven eighths.
    assertEquals(FULL + "\u2589", BarChart.bar(BigInteger.valueOf(3), BigInteger.valueOf(16),
        10));
    // Tiny values still show; zero does not.
    assertEquals("\u258f", BarChart.bar(BigInteger.ONE, BigInteger.valueOf(1_000_000), 10));
    assertEquals("", BarChart.bar(BigInteger.ZERO, BigInteger.TEN, 10));
    assertEquals("", BarChart.bar(BigInteger.ZERO, BigInteger.ZERO, 10));
  }

  @Test
  void linesAlignIndexAndValue() {
    List<BigInteger> v = values(0, 5, 10, 0, 0, 0, 0, 0, 0, 0, 100);
    List<String> lines = BarChart.lines(v, 0);
    assertEquals(11, lines.size());
    assertEquals(" 0    0", lines.get(0));
    assertEquals(" 1    5 " + FULL.repeat(2) + "\u258c", lines.get(1));
    assertEquals("10  100 " + FULL.repeat(50), lines.get(10));
  }

  @Test
  void theTerminalWidthBoundsTheBars() {
    List<String> lines = BarChart.lines(values(1, 2), 30);
    // "1  2 " is five columns; one more stays free.
    assertEquals("1  2 " + FULL.repeat(24), lines.get(1));
    assertEquals(30 - 1, lines.get(1).length());
    // Very narrow terminals still get ten columns.
    assertEquals("1  2 " + FULL.repeat(10), BarChart.lines(values(1, 2), 12).get(1));
  }

  @Test
  void hugeValues() {
    BigInteger big = BigInteger.TWO.pow(100);
    List<String> lines = BarChart.lines(List.of(big, big.shiftRight(1)), 0);
    assertEquals("0  " + big + " " + FULL.repeat(50), lines.get(0));
    assertEquals("1  " + " ".repeat(big.toString().length() - big.shiftRight(1).toString()
        .length()) + big.shiftRight(1) + " " + FULL.repeat(25), lines.get(1));
  }
}
