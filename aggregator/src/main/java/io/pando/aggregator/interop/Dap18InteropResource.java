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
 * The DAP interop test API for DAP-18 tasks, under DAP-18's route prefix: {@code POST
 * /dap-18/internal/test/ready}, {@code /endpoint_for_task} (answers the {@code /dap-18/}
 * endpoint) and {@code /add_task}, whose body takes {@code batch_mode} in place of {@code
 * query_type}, draft-20 VDAF parameters and an optional {@code task_info}
 * ({@link AddTaskRequest#toDap18TaskDefinition}). The interop draft stops at DAP-09; these fields
 * are those runners for newer drafts send. 404 unless {@code pando.interop.enabled} is true.
 */
@Access(Access.Caller.ANYONE)
@Path("/dap-18/internal/test")
@Produces(MediaType.APPLICATION_JSON)
public class Dap18InteropResource {
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
    return commands.endpointForTask(DapVersion.DAP_18, body, uri);
  }

  @POST
  @Path("add_task")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  @Operation(hidden = true)
  public Response addTask(String body) {
    return commands.addTask(DapVersion.DAP_18, body);
  }

  /** "If a request is made to an endpoint starting with /internal/test/, but not listed": 404. */
  @POST
  @Path("{unknown: .+}")
  @Operation(hidden = true)
  public Response unknown() {
    throw new NotFoundException();
  }
}
