package io.pando.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the scripts of interop/dap-ts: install.sh ({@code npm ci} from the lock file), node. */
final class NodeScripts {
  private NodeScripts() {}

  record Run(int exitCode, String output) {}

  /** Installs the pinned @divviup/dap (only when node_modules is missing or stale). */
  static void install(Path dapTs) throws IOException, InterruptedException {
    Run node;
    try {
      node = run(dapTs, 30, "node", "--version");
    } catch (IOException e) {
      node = new Run(-1, e.toString());
    }
    if (node.exitCode() != 0) {
      fail("node is required for the @divviup/dap interoperability test: " + node.output());
    }
    Run install = run(dapTs, 600, "bash", "install.sh");
    if (install.exitCode() != 0) {
      fail("interop/dap-ts/install.sh failed (exit " + install.exitCode() + "): npm ci needs"
          + " the npm registry or an existing node_modules\n" + install.output());
    }
  }

  static Run run(Path dir, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-1, String.join(" ", command) + " timed out after " + timeoutSeconds + " s:\n"
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return new Run(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
