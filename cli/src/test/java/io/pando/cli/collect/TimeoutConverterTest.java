package io.pando.cli.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class TimeoutConverterTest {
  private final TimeoutConverter c = new TimeoutConverter();

  @Test
  void readsTheUsualForms() {
    assertEquals(Duration.ofSeconds(90), c.convert("90"));
    assertEquals(Duration.ofSeconds(90), c.convert("90s"));
    assertEquals(Duration.ofMinutes(10), c.convert("10m"));
    assertEquals(Duration.ofMinutes(90), c.convert("1h30m"));
    assertEquals(Duration.ofSeconds(3723), c.convert("1h2m3s"));
    assertEquals(Duration.ofHours(2), c.convert("2H"));
    assertEquals(Duration.ofMinutes(10), c.convert("PT10M"));
    assertEquals(Duration.ofMinutes(10), c.convert("pt10m"));
  }

  @Test
  void refusesTheRest() {
    for (String bad : new String[] {"", "0", "0s", "-5", "soon", "10 m", "m", "1d", "PT-1S",
        "99999999999999999999"}) {
      assertThrows(TypeConversionException.class, () -> c.convert(bad), bad);
    }
  }
}
