package io.pando.cli.collect;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive duration: {@code 90} or {@code 90s} (seconds), {@code 10m}, {@code 1h30m},
 * {@code 2h}, or ISO-8601 such as {@code PT10M}.
 */
public final class TimeoutConverter implements ITypeConverter<Duration> {
  private static final Pattern UNITS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  @Override
  public Duration convert(String value) {
    Duration d = parse(value.trim().toLowerCase(Locale.ROOT));
    if (d == null || d.isNegative() || d.isZero()) {
      throw new TypeConversionException("'" + value
          + "' is not a positive duration (e.g. 90s, 10m, 1h30m, PT10M)");
    }
    return d;
  }

  private static Duration parse(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      if (s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.chars().allMatch(Character::isDigit)) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      Matcher m = UNITS.matcher(s);
      if (!m.matches()) {
        return null;
      }
      return Duration.ofHours(group(m, 1)).plusMinutes(group(m, 2)).plusSeconds(group(m, 3));
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  private static long group(Matcher m, int i) {
    return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
  }
}
