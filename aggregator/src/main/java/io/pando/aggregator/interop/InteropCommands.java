package io.pando.aggregator.interop;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.DapVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The commands of the DAP interop test API (draft-dcook-ppm-dap-interop-test-design,
 * "Aggregator"), for each protocol version's routes: {@link InteropResource} serves DAP-09 tasks
 * at {@code /internal/test}, {@link Dap18InteropResource} DAP-18 tasks at {@code
 * /dap-18/internal/test}. A parsed command answers 200 with the outcome in {@code status}; a body
 * that is not the command's JSON answers 400; everything answers 404 unless {@code
 * pando.interop.enabled} is true (the draft's Security Considerations: never in production).
 */
@ApplicationScoped
public class InteropCommands {
  private static final Logger LOG = Logger.getLogger(InteropCommands.class);

  @Inject PandoConfig config;
  @Inject TaskService tasks;
  @Inject ObjectMapper json;

  /** The port when the request's Host header names none. */
  @ConfigProperty(name = "quarkus.http.port")
  int configuredPort;

  void requireEnabled() {
    if (!config.interop().enabled()) {
      throw new NotFoundException();
    }
  }

  Map<String, Object> ready() {
    requireEnabled();
    return Map.of();
  }

  /** The request of endpoint_for_task. */
  record EndpointForTaskRequest(@JsonProperty("task_id") String taskId,
      @JsonProperty("role") String role, @JsonProperty("hostname") String hostname) {}

  /**
   * Every task of a version is served under that version's prefix of this aggregator's port.
   * The draft's runner would resolve a relative answer against port 8080, so the answer is
   * absolute: {@code http://hostname:port/} (DAP-09) or {@code http://hostname:port/dap-18/},
   * with the port this request came in on.
   */
  Response endpointForTask(DapVersion version, String body, UriInfo uri) {
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
        + (port > 0 ? port : configuredPort) + version.pathPrefix() + "/"));
  }

  /** Provisions the task through the same validation as the admin API ({@link TaskService}). */
  Response addTask(DapVersion version, String body) {
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
      TaskDefinition d = version == DapVersion.DAP_18
          ? req.toDap18TaskDefinition() : req.toTaskDefinition();
      Task t = tasks.put(d);
      LOG.infof("interop add_task: %s as %s", t.id(), t.role());
      return ok(InteropResponse.success());
    } catch (IllegalArgumentException e) {
      return ok(InteropResponse.error(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warnf(e, "interop add_task %s failed", req.taskId());
      return ok(InteropResponse.error("storing the task failed: " + e));
    }
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
