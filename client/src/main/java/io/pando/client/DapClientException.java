package io.pando.client;

import io.pando.core.http.DapRequestException;
import io.pando.dap.messages.problem.ProblemDocument;

/**
 * An upload failed. Carries the HTTP status and the DAP problem type when the aggregator sent a
 * problem document (DAP-09 §3.2), so callers can tell a rejected report from an outage.
 */
public final class DapClientException extends DapRequestException {
  public DapClientException(String message, int status, ProblemDocument problem, Throwable cause) {
    super(message, status, problem, cause);
  }

  public DapClientException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }
}
