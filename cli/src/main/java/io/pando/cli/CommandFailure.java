package io.pando.cli;

/**
 * A command could not do its work for a reason the user can act on (an unreadable file, a
 * refused request). {@link Main} prints the message, without a stack trace, and exits 1.
 */
public final class CommandFailure extends RuntimeException {
  public CommandFailure(String message) {
    super(message);
  }

  public CommandFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
