package io.pando.core.http;

import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A DAP request failed: carries the HTTP status (0 when no response arrived) and, when the server
 * sent an RFC 9457 problem document (DAP-09 §3.2), the document and its DAP problem type.
 */
public class DapRequestException extends Exception {
  private final int status;
  private final ProblemDocument problem;

  public DapRequestException(String message, int status, ProblemDocument problem,
      Throwable cause) {
    super(message, cause);
    this.status = status;
    this.problem = problem;
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

  /**
   * The problem document of an error response, if its body is one: the Content-Type header's
   * value (null when absent) and the body.
   */
  public static ProblemDocument problemOf(String contentType, byte[] body) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    return type.startsWith(MediaTypes.PROBLEM_JSON)
        ? ProblemDocument.parse(new String(body, StandardCharsets.UTF_8)) : null;
  }

  /** "what: HTTP 400 urn:...:reportRejected (detail)". */
  public static String describe(String what, int status, ProblemDocument problem) {
    StringBuilder msg = new StringBuilder(what).append(": HTTP ").append(status);
    if (problem != null && problem.type() != null) {
      msg.append(' ').append(problem.type());
      if (problem.detail() != null) {
        msg.append(" (").append(problem.detail()).append(')');
      }
    }
    return msg.toString();
  }
}
