package io.pando.cli.vectors;

import java.nio.file.Path;

/** The result of checking one vector file. */
public record Outcome(Path file, Status status, String detail) {
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  static Outcome passed(Path file, String detail) {
    return new Outcome(file, Status.PASSED, detail);
  }

  static Outcome failed(Path file, String detail) {
    return new Outcome(file, Status.FAILED, detail);
  }

  static Outcome skipped(Path file, String detail) {
    return new Outcome(file, Status.SKIPPED, detail);
  }

  /** One line for humans: "PASS file (detail)". */
  public String line() {
    String word = switch (status) {
      case PASSED -> "PASS";
      case FAILED -> "FAIL";
      case SKIPPED -> "SKIP";
    };
    return word + " " + file + ": " + detail;
  }
}
