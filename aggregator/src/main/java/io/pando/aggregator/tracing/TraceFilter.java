package io.pando.aggregator.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A SERVER span for every DAP request ({@code upload}, {@code hpke_config}, {@code
 * aggregation_jobs}, {@code aggregate_shares}, {@code collection_jobs}), the child of the trace
 * context the caller sent (a leader's job step, for the helper's endpoints), named by its route,
 * with the task id and the answer's status. Started before any other filter, so refusals are
 * traced too.
 */
public class TraceFilter {
  private static final String SPAN = "pando.span";
  private static final Pattern DAP_PATH = Pattern.compile(
      "^/tasks/([^/]+)/(reports|aggregation_jobs|aggregate_shares|collection_jobs)(/[^/]+)?/?$");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

  @Inject Tracing tracing;

  @ServerRequestFilter(preMatching = true, priority = 1)
  public void start(ContainerRequestContext req, RoutingContext rc) {
    String path = req.getUriInfo().getPath();
    String route;
    String taskId = null;
    Matcher m = DAP_PATH.matcher(path);
    if (m.matches()) {
      taskId = m.group(1);
      route = "/tasks/{task-id}/" + m.group(2) + (m.group(3) == null ? ""
          : m.group(2).equals("aggregation_jobs") ? "/{aggregation-job-id}"
          : "/{collection-job-id}");
    } else if (path.equals("/hpke_config")) {
      route = path;
    } else {
      return;
    }
    Span span = tracing.startServer(req.getMethod() + " " + route, req::getHeaderString);
    if (!span.getSpanContext().isValid()) {
      return;
    }
    span.setAttribute(METHOD, req.getMethod());
    span.setAttribute(ROUTE, route);
    if (taskId != null) {
      span.setAttribute(Tracing.TASK_ID, taskId);
    }
    rc.put(SPAN, span);
  }

  @ServerResponseFilter
  public void end(ContainerResponseContext resp, RoutingContext rc) {
    Span span = rc.get(SPAN);
    if (span == null) {
      return;
    }
    rc.remove(SPAN);
    span.setAttribute(Tracing.HTTP_STATUS, (long) resp.getStatus());
    if (resp.getStatus() >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** The request's SERVER span, if tracing is on (for attributes only its resource knows). */
  public static Span of(RoutingContext rc) {
    Span span = rc.get(SPAN);
    return span == null ? Span.getInvalid() : span;
  }
}
