package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bin/pando demo} as a user would, from the checkout, and checks the aggregate it
 * prints: every bucket's collected count equals the expected one, and all reports are counted.
 */
class DemoIT {
  @Test
  void theDemoPrintsTheExpectedAggregate() throws IOException, InterruptedException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Process p = new ProcessBuilder(root.resolve("bin/pando").toString(), "demo",
        "--reports", "150")
        .directory(root.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    boolean done = p.waitFor(8, TimeUnit.MINUTES);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done, "demo did not finish:\n" + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("RESULT: the aggregate equals the expected one"), out);
    Matcher row = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s").matcher(out);
    int rows = 0;
    long total = 0;
    while (row.find()) {
      assertEquals(row.group(3), row.group(2), "bucket " + row.group(1) + ":\n" + out);
      total += Long.parseLong(row.group(2));
      rows++;
    }
    assertEquals(LocalDeployment.BUCKETS, rows, out);
    assertEquals(150, total, out);
    assertTrue(out.contains("reports: 150 collected, 150 uploaded"), out);
  }
}
