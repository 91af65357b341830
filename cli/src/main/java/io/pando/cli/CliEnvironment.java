package io.pando.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * What the commands take from the process around them: environment variables, standard input,
 * whether standard error is a terminal and how wide the terminal is. {@link #system()} reads the
 * real process; tests build their own with {@link #of}.
 */
public final class CliEnvironment {
  /** Set by {@code bin/pando} to 1 when standard error is a terminal, 0 when it is not. */
  public static final String STDERR_TTY = "PANDO_STDERR_TTY";

  private final Function<String, String> variables;
  private final InputStream stdin;
  private final boolean stderrTerminal;

  private CliEnvironment(Function<String, String> variables, InputStream stdin,
      boolean stderrTerminal) {
    this.variables = Objects.requireNonNull(variables);
    this.stdin = Objects.requireNonNull(stdin);
    this.stderrTerminal = stderrTerminal;
  }

  /** The running process. */
  public static CliEnvironment system() {
    String tty = System.getenv(STDERR_TTY);
    boolean terminal = tty != null ? "1".equals(tty.trim()) : stderrLooksLikeTerminal();
    return new CliEnvironment(System::getenv, System.in, terminal);
  }

  /**
   * A fixed environment: the variables, standard input, and a standard error that is a terminal
   * only when {@code PANDO_STDERR_TTY=1} is among the variables.
   */
  public static CliEnvironment of(Map<String, String> variables, InputStream stdin) {
    Map<String, String> copy = Map.copyOf(variables);
    return new CliEnvironment(copy::get, stdin, "1".equals(copy.get(STDERR_TTY)));
  }

  /** An environment variable, if set and not blank. */
  public Optional<String> variable(String name) {
    String v = variables.apply(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  public InputStream stdin() {
    return stdin;
  }

  /** Whether progress output on standard error would reach a person. */
  public boolean stderrIsTerminal() {
    return stderrTerminal;
  }

  /** The terminal width from {@code COLUMNS}, when it is set to a sensible number. */
  public OptionalInt columns() {
    Optional<String> c = variable("COLUMNS");
    if (c.isPresent()) {
      try {
        int n = Integer.parseInt(c.get().trim());
        if (n >= 20 && n <= 10_000) {
          return OptionalInt.of(n);
        }
      } catch (NumberFormatException ignored) {
        // not a number: no width
      }
    }
    return OptionalInt.empty();
  }

  /** Without the launcher's hint: Linux's view of file descriptor 2, else the JDK's console. */
  private static boolean stderrLooksLikeTerminal() {
    Path fd2 = Path.of("/proc/self/fd/2");
    if (Files.isSymbolicLink(fd2)) {
      try {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        // fall through
      }
    }
    return System.console() != null;
  }
}
