package io.pando.aggregator.http;

import io.pando.aggregator.admin.AdminException;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.problem.ProblemDocument;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place failures become HTTP responses: a {@link DapException} is a problem document
 * (RFC 9457, {@code application/problem+json}) with its DAP type and the task id; JAX-RS errors
 * (wrong method, unsupported media type, not found) keep their status with a plain problem
 * document, and so does an {@link AdminException}; {@link Unavailable} is a 503 (or 429) with {@code Retry-After}; anything else is a
 * 500 whose details are logged, not sent.
 */
public class ProblemMapper {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @ServerExceptionMapper
  public Response dap(DapException e) {
    return toResponse(e);
  }

  /** The problem document of a DAP error (also for filters that answer without throwing). */
  public static Response toResponse(DapException e) {
    ProblemDocument doc = ProblemDocument.of(e.type(), e.getMessage(),
        e.taskId() == null ? null : e.taskId().toBase64Url());
    LOG.debugf("%s: %s (task %s)", e.type().token(), e.getMessage(), e.taskId());
    return Response.status(e.type().httpStatus())
        .type(MediaTypes.PROBLEM_JSON)
        .entity(doc.toJson())
        .build();
  }

  @ServerExceptionMapper
  public Response unavailable(Unavailable e) {
    LOG.debugf("%d: %s", e.status(), e.getMessage());
    ProblemDocument doc = new ProblemDocument("about:blank",
        e.status() == 429 ? "Too Many Requests" : "Service Unavailable", e.status(),
        e.getMessage(), null, null);
    return Response.status(e.status()).header("Retry-After", e.retryAfterSeconds())
        .type(MediaTypes.PROBLEM_JSON).entity(doc.toJson()).build();
  }

  /** An admin API refusal: its status, with the reason as the detail. */
  @ServerExceptionMapper
  public Response admin(AdminException e) {
    return plain(e.status(), e.getMessage());
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    return toResponse(e);
  }

  /** The plain problem document of an HTTP error. */
  public static Response toResponse(WebApplicationException e) {
    return plain(e.getResponse().getStatus(), e.getMessage());
  }

  /**
   * A problem document with no type beyond its HTTP status ({@code about:blank}, RFC 9457
   * §4.2.1): the status's reason phrase as the title, {@code detail} as given.
   */
  private static Response plain(int status, String detail) {
    Response.Status known = Response.Status.fromStatusCode(status);
    ProblemDocument doc = new ProblemDocument("about:blank",
        known == null ? "Error" : known.getReasonPhrase(), status, detail, null, null);
    return Response.status(status).type(MediaTypes.PROBLEM_JSON).entity(doc.toJson()).build();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("request failed", e);
    ProblemDocument doc = new ProblemDocument("about:blank", "Internal Server Error", 500,
        "internal error", null, null);
    return Response.status(500).type(MediaTypes.PROBLEM_JSON).entity(doc.toJson()).build();
  }
}
