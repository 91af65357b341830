package io.pando.aggregator.http;

import io.pando.aggregator.config.PandoConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * On a driver-only replica ({@code pando.api-enabled=false}) the DAP endpoints ({@code
 * /hpke_config}, {@code /tasks/...}, everything under {@code /dap-18/}), the OHTTP gateway
 * ({@code /ohttp-keys}, {@code /gateway}) and the interop API ({@code /internal/test/...}) answer
 * 404
 * before anything else looks at the request; health, metrics and the admin API stay served.
 */
public class ApiEnabled {
  /** Looked up on first use: filters are created before the runtime configuration exists. */
  @Inject Instance<PandoConfig> config;

  private volatile Boolean enabled;

  @ServerRequestFilter(preMatching = true, priority = 1000)
  public Response check(ContainerRequestContext req) {
    Boolean on = enabled;
    if (on == null) {
      on = config.get().apiEnabled();
      enabled = on;
    }
    if (on) {
      return null;
    }
    String path = req.getUriInfo().getPath();
    if (path.equals("/hpke_config") || path.startsWith("/tasks/")
        || path.startsWith("/internal/test/") || path.startsWith("/dap-18/")
        || path.equals("/ohttp-keys")
        || path.equals("/gateway")) {
      return ProblemMapper.toResponse(ProblemException.notFound(
          "this replica serves no DAP endpoints (pando.api-enabled=false)"));
    }
    return null;
  }
}
