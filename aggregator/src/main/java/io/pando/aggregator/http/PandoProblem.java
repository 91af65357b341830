package io.pando.aggregator.http;

/**
 * The problem types Pando answers where DAP defines none (RFC 9457 §3.1.1; the DAP ones are
 * {@link io.pando.dap.messages.problem.DapProblemType}). Each is the URN {@code
 * urn:pando:problem:<name>}, listed with its status in aggregator/README.md, "Errors".
 */
public enum PandoProblem {
  BAD_REQUEST("badRequest", 400, "Bad request"),
  UNAUTHORIZED("unauthorized", 401, "Missing or wrong token"),
  NOT_FOUND("notFound", 404, "Not found"),
  METHOD_NOT_ALLOWED("methodNotAllowed", 405, "Method not allowed"),
  NOT_ACCEPTABLE("notAcceptable", 406, "Not acceptable"),
  CONFLICT("conflict", 409, "Conflicts with what exists"),
  GONE("gone", 410, "Deleted"),
  BODY_TOO_LARGE("bodyTooLarge", 413, "Body too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupportedMediaType", 415, "Unsupported media type"),
  RATE_LIMITED("rateLimited", 429, "Too many requests"),
  INTERNAL("internal", 500, "Internal error"),
  JOB_ABANDONED("jobAbandoned", 500, "Job abandoned"),
  UNAVAILABLE("unavailable", 503, "Unavailable, try again later"),
  /** Any other HTTP error status: the status is the answer's own. */
  HTTP_ERROR("httpError", 0, "HTTP error");

  public static final String URN_PREFIX = "urn:pando:problem:";

  private final String name;
  private final int status;
  private final String title;

  PandoProblem(String name, int status, String title) {
    this.name = name;
    this.status = status;
    this.title = title;
  }

  public String uri() {
    return URN_PREFIX + name;
  }

  /** The HTTP status it is answered with (0 for {@link #HTTP_ERROR}: the status at hand). */
  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The type of an HTTP error the framework raised (no route, wrong method, ...). */
  public static PandoProblem forStatus(int status) {
    for (PandoProblem p : values()) {
      if (p.status == status && p != JOB_ABANDONED) {
        return p;
      }
    }
    return HTTP_ERROR;
  }
}
