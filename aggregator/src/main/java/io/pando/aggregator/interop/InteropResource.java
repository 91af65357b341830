package io.pando.aggregator.interop;

import io.pando.aggregator.http.Access;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * The aggregator's side of the DAP interop test API (draft-dcook-ppm-dap-interop-test-design,
 * "Interoperation Test API" and "Aggregator"): {@code POST /internal/test/ready},
 * {@code /endpoint_for_task} and {@code /add_task}, on the same port as the DAP endpoints. It is
 * unauthenticated test control, so it answers 404 unless {@code pando.interop.enabled} is true
 * (the draft's Security Considerations: never in production). A parsed command answers 200 with
 * the outcome in {@code status}; a body that is not the command's JSON answers 400; any other
 * {@code /internal/test/*} path answers 404.
 */
@Access(Access.Caller.ANYONE)
@Path("/internal/test")
@Produces(MediaType.APPLICATION_JSON)
public class InteropResource {
  private static final Logger LOG = Logger.getLogger(InteropResource.class);

  @Inject PandoConfig config;
  @Inject TaskService tasks;
  @Inject ObjectMapper json;

  /** The port when the request's Host header names none. */
  @ConfigProperty(name = "quarkus.http.port")
  int configuredPort;

  private void requireEnabled() {
    if (!config.interop().enabled()) {
      throw new NotFoundException();
    }
  }

  @POST
  @Path("ready")
  @Operation(hidden = true)
  public Map<String, Object> ready() {
    requireEnabled();
    return Map.of();
  }

  /** The request of endpoint_for_task. */
  record EndpointForTaskRequest(@JsonProperty("task_id") String taskId,
      @JsonProperty("role") String role, @JsonProperty("hostname") String hostname) {}

  /**
   * Every task is served at the root of this aggregator's port. The draft's runner would resolve
   * a relative answer against port 8080, so the answer is absolute: {@code http://hostname:port/}
   * with the port this request came in on.
   */
  @POST
  @Path("endpoint_for_task")
  @Consumes(MediaType.WILDCARD)
  @Operation(hidden = true)
  public Response endpointForTask(String body, @Context UriInfo uri) {
    requireEnabled();
    EndpointForTaskRequest req;
    try {
      req = json.readerFor(EndpointForTaskRequest.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(body);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return malformed(e);
    }
    if (req == null || req.hostname() == null || req.hostname().isBlank()) {
      return ok(InteropResponse.error("hostname is required"));
    }
    int port = uri.getBaseUri().getPort();
    return ok(InteropResponse.endpoint("http://" + req.hostname() + ":"
        + (port > 0 ? port : configuredPort) + "/"));
  }

  /** Provisions the task through the same validation as the admin API ({@link TaskService}). */
  @POST
  @Path("add_task")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  @Operation(hidden = true)
  public Response addTask(String body) {
    requireEnabled();
    AddTaskRequest req;
    try {
      req = json.readValue(body, AddTaskRequest.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return malformed(e);
    }
    if (req == null) {
      return malformed(new IllegalArgumentException("an add_task object is required"));
    }
    try {
      Task t = tasks.put(req.toTaskDefinition());
      LOG.infof("interop add_task: %s as %s", t.id(), t.role());
      return ok(InteropResponse.success());
    } catch (IllegalArgumentException e) {
      return ok(InteropResponse.error(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warnf(e, "interop add_task %s failed", req.taskId());
      return ok(InteropResponse.error("storing the task failed: " + e));
    }
  }

  /** "If a request is made to an endpoint starting with /internal/test/, but not listed": 404. */
  @POST
  @Path("{unknown: .+}")
  @Operation(hidden = true)
  public Response unknown() {
    throw new NotFoundException();
  }

  private static Response ok(InteropResponse r) {
    return Response.ok(r).build();
  }

  private static Response malformed(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return Response.status(400).type(MediaType.APPLICATION_JSON)
        .entity(InteropResponse.error("malformed request: " + m)).build();
  }
}
