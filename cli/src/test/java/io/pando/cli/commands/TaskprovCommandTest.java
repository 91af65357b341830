package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.cli.CliRunner;
import org.junit.jupiter.api.Test;

class TaskprovCommandTest {
  /** Janus release/0.7's fixed-size Prio3Count TaskConfig (see TaskprovMessagesTest). */
  static final String JANUS_CONFIG = "BmZvb2JhcgAUaHR0cHM6Ly9leGFtcGxlLmNvbS8AHGh0dHBzOi8vYW5vdGhl"
      + "ci5leGFtcGxlLmNvbS8AEwAAAAAAAKqqu7sAAMzMAgAA3d0AAAAAAADu7gAHAAEBAAAAAA";

  @Test
  void decodePrintsTheTaskIdAndFields() {
    CliRunner.Result r = CliRunner.run("taskprov", "task-id", JANUS_CONFIG);
    assertEquals(0, r.exitCode(), r.toString());
    // SHA-256 of the encoding, base64url.
    assertTrue(r.out().contains("task_id:      WkoamwvyPOT81DlLUGrOrD0n5r88STy2UMzm-5o64_Y"),
        r.out());
    assertTrue(r.out().contains("https://another.example.com/"), r.out());
    assertEquals(1, CliRunner.run("taskprov", "decode", "AAEC").exitCode());
  }

  @Test
  void encodeRoundTripsThroughDecode() {
    CliRunner.Result r = CliRunner.run("taskprov", "encode", "--task-info", "demo",
        "--leader", "https://leader.example/", "--helper", "https://helper.example/",
        "--vdaf", "histogram", "--length", "4", "--chunk-length", "2",
        "--expiration", "2000000000");
    assertEquals(0, r.exitCode(), r.toString());
    String header = r.out().lines().filter(l -> l.startsWith("dap-taskprov:")).findFirst()
        .orElseThrow().substring("dap-taskprov:".length()).trim();
    String id = r.out().lines().filter(l -> l.startsWith("task_id:")).findFirst()
        .orElseThrow();
    CliRunner.Result d = CliRunner.run("taskprov", "decode", header);
    assertEquals(0, d.exitCode(), d.toString());
    assertTrue(d.out().contains(id), d.out());
    assertTrue(d.out().contains("Prio3Histogram[length=4, chunkLength=2]"), d.out());
    assertEquals(1, CliRunner.run("taskprov", "encode", "--task-info", "x", "--leader", "a",
        "--helper", "b", "--vdaf", "sum", "--expiration", "1").exitCode());
  }
}
