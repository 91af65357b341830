package io.pando.aggregator.interop;

import io.pando.aggregator.http.Access;
import io.pando.dap.messages.DapVersion;
import jakarta.ws.rs.Path;

/**
 * The DAP interop test API for DAP-09 tasks (draft-dcook-ppm-dap-interop-test-design,
 * "Interoperation Test API" and "Aggregator"): {@code POST /internal/test/ready}, {@code
 * /endpoint_for_task} and {@code /add_task} with the draft's fields, on the same port as the DAP
 * endpoints; {@link InteropCommands} runs them. Unauthenticated test control: 404 unless {@code
 * pando.interop.enabled} is true.
 */
@Access(Access.Caller.ANYONE)
@Path("/internal/test")
public class InteropResource extends InteropRoutes {
  @Override
  DapVersion version() {
    return DapVersion.DAP_09;
  }
}
