package io.pando.aggregator.admin;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An admin API error: an HTTP status and a JSON {@code {"error": ...}} body. */
public final class AdminException extends RuntimeException {
  private final int status;

  public AdminException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Maps admin errors to JSON responses. */
  public static class Mapper {
    @ServerExceptionMapper
    public Response map(AdminException e) {
      return Response.status(e.status()).type("application/json")
          .entity(java.util.Map.of("error", e.getMessage())).build();
    }
  }
}
