package io.pando.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/pando --help} names every command the launcher runs, not only this module's. */
class HelpTest {
  @Test
  void helpListsEveryCommandOfTheLauncher() throws Exception {
    String launcher = Files.readString(Path.of("..", "bin", "pando"));
    // The launcher's own commands are the labels of its top-level case, e.g. "  demo|up)".
    Matcher m = Pattern.compile("(?m)^  ([a-z][a-z|-]*)\\)$").matcher(launcher);
    List<String> commands = new ArrayList<>();
    while (m.find()) {
      commands.addAll(List.of(m.group(1).split("\\|")));
    }
    assertTrue(commands.containsAll(List.of("aggregator", "demo", "loadtest", "devstack",
        "bench", "interop-client")), commands.toString());
    CliRunner.Result help = CliRunner.run("--help");
    assertEquals(0, help.exitCode(), help.toString());
    for (String c : commands) {
      assertTrue(Pattern.compile("\\b" + Pattern.quote(c) + "\\b(?!-)").matcher(help.out())
          .find(), c + " missing from\n" + help.out());
    }
  }
}
