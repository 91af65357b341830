package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Commands that say no: every invalid input is refused before anything starts, with a line
 * naming what was wrong, the command's usage and exit status 2.
 */
class MainTest {
  record Outcome(int code, String err) {}

  static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute(args);
    return new Outcome(code, err.toString());
  }

  @Test
  void unknownOptionsAreRefusedByName() {
    Outcome o = run("loadtest", "--leaders", "2", "--bogus", "3");
    assertEquals(2, o.code());
    assertTrue(o.err().lines().findFirst().orElseThrow().contains("--bogus"), o.err());
    assertTrue(o.err().contains("Usage: pando loadtest"), o.err());
  }

  @Test
  void malformedValuesAreRefusedByOption() {
    for (String[] args : new String[][] {
        {"demo", "--reports", "many"},
        {"up", "--leader-port", "80a"},
        {"loadtest", "--vdaf", "sum"},
        {"chaos", "--minutes", "ten"},
        {"chaos", "--seed"}}) {
      Outcome o = run(args);
      assertEquals(2, o.code(), String.join(" ", args) + ": " + o.err());
      assertTrue(o.err().lines().findFirst().orElseThrow().contains(args[1]),
          String.join(" ", args) + ": " + o.err());
      assertTrue(o.err().contains("Usage: pando " + args[0]), o.err());
    }
  }

  @Test
  void unknownCommandsAndNoCommandAreRefused() {
    Outcome unknown = run("deploy");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("deploy"), unknown.err());
    Outcome none = run();
    assertEquals(2, none.code());
    assertTrue(none.err().contains("Usage: pando"), none.err());
  }

  @Test
  void aCommandsOwnRefusalExitsOneWithItsReason() {
    // Checked before anything is started, so no deployment is needed.
    Outcome o = run("demo", "--reports", "50");
    assertEquals(1, o.code());
    assertEquals("pando demo: --reports must be at least 100 (the task's min_batch_size)",
        o.err().strip());
  }

  @Test
  void helpIsNotAnError() {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    assertEquals(0, cl.execute("loadtest", "--help"));
    assertTrue(out.toString().contains("--vdaf=count|histogram|sumvec"), out.toString());
  }
}
