package io.pando.bench;

import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * {@code pando bench}: JMH's own command line, except that an unknown option or a malformed
 * value exits 2 with a line naming it, as every {@code pando} command does (JMH alone exits 1).
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String refusal = refusal(args);
    if (refusal != null) {
      System.err.println("pando bench: " + refusal);
      System.err.println("usage: pando bench [BENCHMARK-REGEXP...] [JMH options]"
          + " (pando bench -h lists them)");
      System.exit(2);
    }
    org.openjdk.jmh.Main.main(args);
  }

  /** Why JMH would refuse these arguments, or null when it takes them. */
  static String refusal(String[] args) {
    try {
      new CommandLineOptions(args);
      return null;
    } catch (CommandLineOptionException e) {
      return e.getMessage().strip();
    }
  }
}
