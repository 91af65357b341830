package io.pando.client;

import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import java.util.Optional;

/**
 * An upload failed. Carries the HTTP status and the DAP problem type when the aggregator sent a
 * problem document (DAP-09 §3.2), so callers can tell a rejected report from an outage.
 */
public final class DapClientException extends Exception {
  private final int status;
  private final ProblemDocument problem;

  public DapClientException(String message, int status, ProblemDocument problem, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.problem = problem;
  }

  public DapClientException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** The problem document, if the response had one. */
  public Optional<ProblemDocument> problem() {
    return Optional.ofNullable(problem);
  }

  /** The DAP problem type, if the response named one. */
  public Optional<DapProblemType> problemType() {
    return problem().flatMap(ProblemDocument::dapType);
  }
}
