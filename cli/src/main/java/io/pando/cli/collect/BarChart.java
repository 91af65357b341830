package io.pando.cli.collect;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A horizontal bar chart in text: one line per bucket with its index, its value and a bar of
 * Unicode block characters (in eighths of a column) scaled so the largest value fills the width.
 */
public final class BarChart {
  /** Bar width when the terminal width is unknown. */
  public static final int DEFAULT_WIDTH = 50;

  private static final String FULL = "\u2588";
  /** One to seven eighths of a column. */
  private static final String[] PARTS = {
    "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"
  };

  private BarChart() {}

  /**
   * The chart's lines.
   *
   * @param values non-negative values (negative ones draw no bar)
   * @param columns the terminal width, or 0 for bars of {@link #DEFAULT_WIDTH} columns
   */
  public static List<String> lines(List<BigInteger> values, int columns) {
    int indexWidth = Integer.toString(Math.max(0, values.size() - 1)).length();
    int valueWidth = 1;
    BigInteger max = BigInteger.ZERO;
    for (BigInteger v : values) {
      valueWidth = Math.max(valueWidth, v.toString().length());
      max = max.max(v);
    }
    int prefix = indexWidth + 2 + valueWidth + 1;
    int width = columns > 0 ? Math.max(10, columns - prefix - 1) : DEFAULT_WIDTH;
    List<String> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      BigInteger v = values.get(i);
      String line = String.format("%" + indexWidth + "d  %" + valueWidth + "s %s", i, v,
          bar(v, max, width));
      out.add(line.stripTrailing());
    }
    return out;
  }

  /** {@code value / max * width} columns, rounded to the nearest eighth; at least one eighth. */
  static String bar(BigInteger value, BigInteger max, int width) {
    if (value.signum() <= 0 || max.signum() <= 0) {
      return "";
    }
    BigInteger eighths = value.multiply(BigInteger.valueOf(16L * width)).add(max)
        .divide(max.shiftLeft(1));
    int n = Math.max(1, eighths.intValue());
    StringBuilder sb = new StringBuilder(FULL.repeat(n / 8));
    if (n % 8 != 0) {
      sb.append(PARTS[n % 8 - 1]);
    }
    return sb.toString();
  }
}
