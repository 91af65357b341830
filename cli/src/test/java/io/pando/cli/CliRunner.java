package io.pando.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code pando} commands in-process with a fixed environment and captured output. */
public final class CliRunner {
  /** What a command did. */
  public record Result(int exitCode, String out, String err) {
    public List<String> outLines() {
      return out.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private CliRunner() {}

  public static Result run(String... args) {
    return run(Map.of(), new byte[0], args);
  }

  public static Result run(Map<String, String> env, String... args) {
    return run(env, new byte[0], args);
  }

  public static Result run(Map<String, String> env, byte[] stdin, String... args) {
    CommandLine cl = Main.commandLine(CliEnvironment.of(env, new ByteArrayInputStream(stdin)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
