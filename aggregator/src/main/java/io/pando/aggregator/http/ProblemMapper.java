package io.pando.aggregator.http;

import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.problem.ProblemDocument;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place failures become HTTP responses, every one an RFC 9457 problem document ({@code
 * application/problem+json}): a {@link DapException} with its DAP type and the task id; a {@link
 * ProblemException} with its {@link PandoProblem} type; JAX-RS errors (no route, wrong method,
 * unsupported media type) keep their status with the {@link PandoProblem} type of that status;
 * {@link Unavailable} is a 503 (or 429) with {@code Retry-After}; anything else is a 500 whose
 * details are logged, not sent.
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
    PandoProblem type = e.status() == 429 ? PandoProblem.RATE_LIMITED : PandoProblem.UNAVAILABLE;
    return Response.fromResponse(problem(type, type.status(), e.getMessage()))
        .header("Retry-After", e.retryAfterSeconds()).build();
  }

  /** A refusal DAP defines no type for: its {@link PandoProblem} type and status. */
  @ServerExceptionMapper
  public Response refusal(ProblemException e) {
    return toResponse(e);
  }

  public static Response toResponse(ProblemException e) {
    LOG.debugf("%s: %s", e.type().uri(), e.getMessage());
    return problem(e.type(), e.type().status(), e.getMessage());
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    return toResponse(e);
  }

  /** An HTTP error the framework raised (no route, wrong method, media type, parameter). */
  public static Response toResponse(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    return problem(PandoProblem.forStatus(status), status, e.getMessage());
  }

  /** The problem document of a {@link PandoProblem}, with {@code detail} as given. */
  public static Response problem(PandoProblem type, int status, String detail) {
    ProblemDocument doc = new ProblemDocument(type.uri(), type.title(), status, detail, null,
        null);
    return Response.status(status).type(MediaTypes.PROBLEM_JSON).entity(doc.toJson()).build();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("request failed", e);
    return problem(PandoProblem.INTERNAL, 500, "internal error");
  }
}
