package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The short seeded chaos run, as a user would start it: {@code bin/pando chaos} with a schedule
 * that crashes or stops every part of the deployment once (leader, helper, PostgreSQL, Kafka,
 * and a hung helper), then collects while PostgreSQL crashes again. It passes only if the
 * collection equals the accepted reports. The long run is documented in docs/RELIABILITY.md.
 */
class ChaosIT {
  static final long SEED = 11;
  static final String MINUTES = "2.5";

  @Test
  void everyAcceptedReportIsCollectedExactlyOnceThroughEveryKindOfFault()
      throws IOException, InterruptedException {
    EnumSet<Chaos.Kind> kinds = EnumSet.noneOf(Chaos.Kind.class);
    Chaos.schedule(SEED, Double.parseDouble(MINUTES)).forEach(f -> kinds.add(f.kind()));
    assertEquals(EnumSet.allOf(Chaos.Kind.class), kinds, "the seed exercises every fault");

    Path root = Path.of("..").toAbsolutePath().normalize();
    Process p = new ProcessBuilder(root.resolve("bin/pando").toString(), "chaos",
        "--reports", "300", "--minutes", MINUTES, "--seed", Long.toString(SEED))
        .directory(root.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    boolean done = p.waitFor(15, TimeUnit.MINUTES);
    String text = new String(out, StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done, "chaos did not finish:\n" + text);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("RESULT: every accepted report was aggregated exactly once"), text);
    assertTrue(text.matches("(?s).*collected (\\d+) reports with sum (\\d+); accepted \\1 reports"
        + " with sum \\2.*"), text);
  }
}
