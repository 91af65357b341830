package io.pando.aggregator.admin;

/**
 * An admin API error: an HTTP status and its reason, answered as a problem document by {@link
 * io.pando.aggregator.http.ProblemMapper} like every other error.
 */
public final class AdminException extends RuntimeException {
  private final int status;

  public AdminException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
