package io.pando.client;

import io.pando.core.http.DapRequestException;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.problem.ProblemDocument;
import java.util.Optional;

/**
 * An upload failed. Carries the HTTP status and the DAP problem type when the aggregator sent a
 * problem document (DAP-09 §3.2), so callers can tell a rejected report from an outage; for a
 * DAP-18 report the leader refused in its {@code UploadErrors} (DAP-18 §4.4.2), the {@link
 * #reportError()}.
 */
public final class DapClientException extends DapRequestException {
  private final transient ReportError reportError;

  public DapClientException(String message, int status, ProblemDocument problem, Throwable cause) {
    this(message, status, problem, null, cause);
  }

  public DapClientException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }

  /** A DAP-18 report the leader refused with {@code reportError} in an HTTP 2xx answer. */
  public DapClientException(String message, int status, ReportError reportError) {
    this(message, status, null, reportError, null);
  }

  private DapClientException(String message, int status, ProblemDocument problem,
      ReportError reportError, Throwable cause) {
    super(message, status, problem, cause);
    this.reportError = reportError;
  }

  /** Why the leader refused the report in its {@code UploadErrors} (DAP-18 only). */
  public Optional<ReportError> reportError() {
    return Optional.ofNullable(reportError);
  }
}
