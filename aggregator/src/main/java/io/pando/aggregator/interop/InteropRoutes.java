package io.pando.aggregator.interop;

import io.pando.dap.messages.DapVersion;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The routes of the DAP interop test API (draft-dcook-ppm-dap-interop-test-design,
 * "Aggregator"): {@code POST ready}, {@code endpoint_for_task} and {@code add_task} under a
 * version's prefix ({@link InteropResource}, {@link Dap18InteropResource}); {@link
 * InteropCommands} runs them.
 */
@Produces(MediaType.APPLICATION_JSON)
public abstract class InteropRoutes {
  @Inject InteropCommands commands;

  /** The draft whose tasks these routes serve. */
  abstract DapVersion version();

  @POST
  @Path("ready")
  @Operation(hidden = true)
  public Map<String, Object> ready() {
    return commands.ready();
  }

  @POST
  @Path("endpoint_for_task")
  @Consumes(MediaType.WILDCARD)
  @Operation(hidden = true)
  public Response endpointForTask(String body, @Context UriInfo uri) {
    return commands.endpointForTask(version(), body, uri);
  }

  @POST
  @Path("add_task")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  @Operation(hidden = true)
  public Response addTask(String body) {
    return commands.addTask(version(), body);
  }

  /** "If a request is made to an endpoint starting with /internal/test/, but not listed": 404. */
  @POST
  @Path("{unknown: .+}")
  @Operation(hidden = true)
  public Response unknown() {
    throw new NotFoundException();
  }
}
