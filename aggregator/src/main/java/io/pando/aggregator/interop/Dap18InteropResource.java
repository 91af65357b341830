package io.pando.aggregator.interop;

import io.pando.aggregator.http.Access;
import io.pando.dap.messages.DapVersion;
import jakarta.ws.rs.Path;

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
public class Dap18InteropResource extends InteropRoutes {
  @Override
  DapVersion version() {
    return DapVersion.DAP_18;
  }
}
