package io.pando.aggregator.interop;

import io.pando.aggregator.http.Access;
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
 * The DAP interop test API for DAP-09 tasks (draft-dcook-ppm-dap-interop-test-design,
 * "Interoperation Test API" and "Aggregator"): {@code POST /internal/test/ready}, {@code
 * /endpoint_for_task} and {@code /add_task} with the draft's fields, on the same port as the DAP
 * endpoints; {@link InteropCommands} runs them. Unauthenticated test control: 404 unless {@code
 * pando.interop.enabled} is true.
 */
@Access(Access.Caller.ANYONE)
@Path("/internal/test")
@Produces(MediaType.APPLICATION_JSON)
public class InteropResource {
  @Inject InteropCommands commands;

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
    return commands.endpointForTask(DapVersion.DAP_09, body, uri);
  }

  @POST
  @Path("add_task")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  @Operation(hidden = true)
  public Response addTask(String body) {
    return commands.addTask(DapVersion.DAP_09, body);
  }

  /** "If a request is made to an endpoint starting with /internal/test/, but not listed": 404. */
  @POST
  @Path("{unknown: .+}")
  @Operation(hidden = true)
  public Response unknown() {
    throw new NotFoundException();
  }
}
