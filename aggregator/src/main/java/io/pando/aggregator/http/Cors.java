package io.pando.aggregator.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * CORS for the endpoints browsers call directly (DAP-09 §4.4: {@code /hpke_config} and report
 * upload), so a web page can upload reports. Other endpoints get no CORS headers.
 */
public class Cors {
  private static final Pattern CLIENT_PATHS =
      Pattern.compile("^/hpke_config/?$|^/tasks/[^/]+/reports/?$");
  /** DAP-18's client paths (draft-ietf-ppm-dap-18 §4.4), where uploads are POSTs. */
  private static final Pattern DAP18_CLIENT_PATHS =
      Pattern.compile("^/dap-18/hpke_config/?$|^/dap-18/tasks/[^/]+/reports/?$");

  private static boolean isClientPath(ContainerRequestContext req) {
    return CLIENT_PATHS.matcher(req.getUriInfo().getPath()).matches() || isDap18(req);
  }

  private static boolean isDap18(ContainerRequestContext req) {
    return DAP18_CLIENT_PATHS.matcher(req.getUriInfo().getPath()).matches();
  }

  /** Answers preflight requests. */
  @ServerRequestFilter(preMatching = true)
  public Optional<Response> preflight(ContainerRequestContext req) {
    if (!"OPTIONS".equals(req.getMethod()) || !isClientPath(req)) {
      return Optional.empty();
    }
    return Optional.of(Response.noContent()
        .header("Access-Control-Allow-Origin", "*")
        .header("Access-Control-Allow-Methods", isDap18(req) ? "GET, POST, OPTIONS"
            : "GET, PUT, OPTIONS")
        .header("Access-Control-Allow-Headers", "Content-Type")
        .header("Access-Control-Max-Age", "86400")
        .build());
  }

  @ServerResponseFilter
  public void allowOrigin(ContainerRequestContext req, ContainerResponseContext resp) {
    if (isClientPath(req)) {
      resp.getHeaders().putSingle("Access-Control-Allow-Origin", "*");
      // A page may read the config list's signature (ConfigListSignature.HEADER).
      resp.getHeaders().putSingle("Access-Control-Expose-Headers", "x-hpke-config-signature");
    }
  }
}
