package io.pando.collector;

import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import java.util.Optional;

/** A collection request failed; carries the HTTP status and the DAP problem type if any. */
public final class CollectorException extends Exception {
  private final int status;
  private final ProblemDocument problem;

  public CollectorException(String message, int status, ProblemDocument problem, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.problem = problem;
  }

  public CollectorException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  public Optional<ProblemDocument> problem() {
    return Optional.ofNullable(problem);
  }

  public Optional<DapProblemType> problemType() {
    return problem().flatMap(ProblemDocument::dapType);
  }
}
