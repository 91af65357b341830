package io.pando.collector;

import io.pando.core.http.DapRequestException;
import io.pando.dap.messages.problem.ProblemDocument;

/** A collection request failed; carries the HTTP status and the DAP problem type if any. */
public final class CollectorException extends DapRequestException {
  public CollectorException(String message, int status, ProblemDocument problem, Throwable cause) {
    super(message, status, problem, cause);
  }

  public CollectorException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }
}
