package io.pando.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The interop commands refuse invalid input with exit status 2 before anything starts. */
class MainTest {
  private static String[] run(int expected, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    assertEquals(expected, cl.execute(args), String.join(" ", args) + ": " + err);
    return err.toString().lines().toArray(String[]::new);
  }

  @Test
  void unknownOptionsMissingPortsAndMalformedValuesAreRefused() {
    String[] unknown = run(2, "interop-client", "--port", "8080", "--bogus");
    assertTrue(unknown[0].contains("--bogus"), unknown[0]);
    String[] missing = run(2, "interop-collector");
    assertTrue(missing[0].contains("--port"), missing[0]);
    String[] malformed = run(2, "interop-aggregator", "--port", "eighty");
    assertTrue(malformed[0].contains("--port"), malformed[0]);
    String[] none = run(2);
    assertTrue(String.join("\n", none).contains("Usage: pando"));
  }
}
