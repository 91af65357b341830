package io.pando.aggregator.http;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.management.ManagementRoutes;
import io.pando.aggregator.task.AuthTokens;
import io.pando.aggregator.task.Task;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;

/**
 * Enforces each endpoint's {@link Access} once it is matched and before its body is read: the
 * task's aggregator or collector token ({@code unauthorizedRequest}, DAP-09 §3.1; the task itself
 * is {@link RequestGuard}'s), or the admin token on the management port ({@code
 * urn:pando:problem:notFound} elsewhere or while no admin token is set, {@code
 * urn:pando:problem:unauthorized} for a missing or wrong one). Tokens are compared as hashes of
 * equal length, in constant time. An endpoint without {@link Access} is refused with a 500.
 */
public class AccessFilter {
  private static final Logger LOG = Logger.getLogger(AccessFilter.class);

  @Inject PandoConfig config;

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Response check(ResourceInfo resource, ContainerRequestContext req,
      RoutingContext rc) {
    Access access = declared(resource);
    if (access == null) {
      LOG.errorf("%s declares no @Access: refused", resource == null ? req.getUriInfo().getPath()
          : resource.getResourceClass().getName() + "." + resource.getResourceMethod().getName());
      return ProblemMapper.problem(PandoProblem.INTERNAL, 500, "internal error");
    }
    try {
      switch (access.value()) {
        case ANYONE -> { }
        case AGGREGATOR -> Auth.requireAggregator(task(rc), req::getHeaderString);
        case COLLECTOR -> Auth.requireCollector(task(rc), req::getHeaderString);
        case ADMIN -> requireAdmin(req);
      }
      return null;
    } catch (DapException e) {
      return ProblemMapper.toResponse(e);
    } catch (ProblemException e) {
      return ProblemMapper.toResponse(e);
    }
  }

  private static Access declared(ResourceInfo resource) {
    Method method = resource == null ? null : resource.getResourceMethod();
    if (method == null) {
      return null;
    }
    Access onMethod = method.getAnnotation(Access.class);
    return onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(Access.class);
  }

  private static Task task(RoutingContext rc) {
    return RequestGuard.task(rc);
  }

  private void requireAdmin(ContainerRequestContext req) {
    if (!ManagementRoutes.passedOnFromManagement(req.getHeaderString(ManagementRoutes.MARKER))) {
      throw ProblemException.notFound("the admin API is on the management port");
    }
    String token = config.adminToken().filter(t -> !t.isBlank()).orElse(null);
    if (token == null) {
      throw ProblemException.notFound("admin API disabled (set pando.admin-token)");
    }
    String presented = AuthTokens.fromHeaders(req.getHeaderString(HttpHeaders.AUTHORIZATION),
        null).orElse(""); // the admin token comes as Bearer only
    if (!MessageDigest.isEqual(AuthTokens.hash(presented), AuthTokens.hash(token))) {
      throw new ProblemException(PandoProblem.UNAUTHORIZED, "missing or wrong admin token");
    }
  }
}
