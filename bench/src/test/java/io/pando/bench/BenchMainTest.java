package io.pando.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchMainTest {
  @Test
  void takesWhatJmhTakesAndNamesWhatItRefuses() {
    assertNull(BenchMain.refusal(new String[] {"HpkeBench", "-wi", "3", "-f", "1"}));
    String unknown = BenchMain.refusal(new String[] {"--bogus"});
    assertNotNull(unknown);
    assertTrue(unknown.contains("bogus"), unknown);
    String malformed = BenchMain.refusal(new String[] {"-wi", "three"});
    assertNotNull(malformed);
    assertTrue(malformed.contains("wi"), malformed);
  }
}
