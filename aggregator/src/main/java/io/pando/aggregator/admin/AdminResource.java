package io.pando.aggregator.admin;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.datastore.LeaseStore.ParkedJob;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.hpke.KeyRotator;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.jobs.JobBus;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.TaskId;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's admin API (JSON, {@code Authorization: Bearer <pando.admin-token>}, on the
 * management port; {@link Access} and {@link io.pando.aggregator.http.AccessFilter} check both):
 * tasks, HPKE key rotation, and parked jobs. Disabled (404) when no admin token is configured. Documented in the OpenAPI
 * document at {@code /q/openapi}.
 */
@Access(Access.Caller.ADMIN)
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminResource {
  @Inject TaskService tasks;
  @Inject HpkeKeys keys;
  @Inject Datastore datastore;
  @Inject JobBus bus;

  private static TaskId taskId(String s) {
    try {
      return TaskId.fromBase64Url(s);
    } catch (RuntimeException e) {
      throw ProblemException.badRequest("malformed task id");
    }
  }

  @GET
  @Path("/tasks")
  @Blocking
  @Operation(summary = "List tasks (no secrets)")
  public List<Map<String, Object>> listTasks() {
    return tasks.all().stream().map(tasks::describe).toList();
  }

  @GET
  @Path("/tasks/{taskId}")
  @Blocking
  @Operation(summary = "Get a task (no secrets)")
  public Map<String, Object> getTask(@PathParam("taskId") String taskId) {
    Task t = tasks.get(taskId(taskId)).orElseThrow(() -> ProblemException.notFound("no such task"));
    return tasks.describe(t);
  }

  @PUT
  @Path("/tasks/{taskId}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Create or replace a task (409 if it changes what its data depends on)")
  public Map<String, Object> putTask(@PathParam("taskId") String taskId, TaskDefinition definition) {
    if (definition == null) {
      throw ProblemException.badRequest("a task definition is required");
    }
    if (definition.taskId() != null && !definition.taskId().equals(taskId)) {
      throw ProblemException.badRequest("task_id in the body differs from the path");
    }
    TaskDefinition d = definition.taskId() == null ? withId(definition, taskId) : definition;
    try {
      return tasks.describe(tasks.put(d));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(e.getMessage());
    } catch (TaskService.ImmutableFieldsException e) {
      throw ProblemException.conflict(e.getMessage());
    }
  }

  private static TaskDefinition withId(TaskDefinition d, String id) {
    return d.withTaskId(id);
  }

  @DELETE
  @Path("/tasks/{taskId}")
  @Blocking
  @Operation(summary = "Delete a task and everything stored for it")
  public Response deleteTask(@PathParam("taskId") String taskId) {
    if (!tasks.delete(taskId(taskId))) {
      throw ProblemException.notFound("no such task");
    }
    return Response.noContent().build();
  }

  @GET
  @Path("/tasks/{taskId}/metrics")
  @Blocking
  @Operation(summary = "Per-task counters (uploads and aggregation outcomes) and stored reports")
  public Map<String, Long> taskCounters(@PathParam("taskId") String taskId) {
    TaskId id = taskId(taskId);
    return datastore.inTransaction("get-task-counters", tx -> {
      Map<String, Long> m = new LinkedHashMap<>(tx.counters().get(id));
      m.put("client_reports", tx.reports().count(id));
      return m;
    });
  }

  @GET
  @Path("/jobs/parked")
  @Blocking
  @Operation(summary = "Jobs parked for an operator (a refusal of the peer), oldest first")
  public List<Map<String, Object>> parkedJobs() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JobKind kind : JobKind.values()) {
      for (ParkedJob p : datastore.inTransaction("list-parked-" + kind.label() + "-jobs",
          tx -> tx.leases().parked(kind.table(), 1000))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.label());
        m.put("task_id", p.job().taskId().toBase64Url());
        m.put("job_id", Base64.getUrlEncoder().withoutPadding().encodeToString(p.job().jobId()));
        m.put("state", p.state());
        m.put("reason", p.reason());
        m.put("parked_since", p.since().toString());
        m.put("next_attempt", p.nextAttempt().toString());
        m.put("attempts", p.attempts());
        out.add(m);
      }
    }
    return out;
  }

  @POST
  @Path("/jobs/{kind}/{taskId}/{jobId}/retry")
  @Blocking
  @Operation(summary = "Try a parked or backing-off job again now")
  public Response retryJob(@PathParam("kind") String kind, @PathParam("taskId") String taskId,
      @PathParam("jobId") String jobId) {
    JobKind k = switch (kind) {
      case "aggregation" -> JobKind.AGGREGATION;
      case "collection" -> JobKind.COLLECTION;
      default -> throw ProblemException.notFound("no such kind of job: aggregation or collection");
    };
    byte[] id;
    try {
      id = Base64.getUrlDecoder().decode(jobId);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("malformed job id");
    }
    if (id.length != 16) {
      throw ProblemException.badRequest("malformed job id");
    }
    JobKey job = new JobKey(taskId(taskId), id);
    if (!datastore.inTransaction("retry-" + k.label() + "-job", tx -> tx.leases().resume(k.table(),
        job))) {
      throw ProblemException.conflict("the job is not waiting: finished, unknown, or running now");
    }
    if (bus.supports(k)) {
      bus.announce(k, job, "admin");
    }
    return Response.accepted().build();
  }

  @GET
  @Path("/hpke_keys")
  @Blocking
  @Operation(summary = "List HPKE keys: state, suite, times, next planned transition")
  public List<Map<String, Object>> listKeys() {
    return keys.all().stream().map(this::describe).toList();
  }

  /** Body of POST /admin/hpke_keys; every field is optional. */
  public record NewKey(Integer kem, Integer kdf, Integer aead, String state) {
    /** The suite asked for, X25519/HKDF-SHA256/AES-128-GCM by default; 400 if unsupported. */
    public HpkeSuite suite() {
      HpkeSuite suite = new HpkeSuite(HpkeKemId.of(kem == null ? 0x20 : kem),
          HpkeKdfId.of(kdf == null ? 1 : kdf), HpkeAeadId.of(aead == null ? 1 : aead));
      if (!suite.isSupported()) {
        throw ProblemException.badRequest("unsupported HPKE suite " + suite);
      }
      return suite;
    }

    /** The state asked for, PENDING by default. */
    public HpkeKeys.State initialState() {
      return keyState(state == null ? "PENDING" : state);
    }
  }

  @POST
  @Path("/hpke_keys")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Generate an HPKE key (default X25519/HKDF-SHA256/AES-128-GCM, PENDING)")
  public Map<String, Object> generateKey(NewKey body) {
    NewKey b = body == null ? new NewKey(null, null, null, null) : body;
    return describe(keys.generate(b.suite(), b.initialState()));
  }

  /** Body of PUT /admin/hpke_keys/{id} (and /admin/ohttp_keys/{id}). */
  public record KeyState(String state) {}

  @PUT
  @Path("/hpke_keys/{configId}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Move an HPKE key to PENDING, ACTIVE or EXPIRED")
  public Response setKeyState(@PathParam("configId") int configId, KeyState body) {
    if (body == null || body.state() == null) {
      throw ProblemException.badRequest("state is required");
    }
    if (!keys.setState(configId, keyState(body.state()))) {
      throw ProblemException.notFound("no such key");
    }
    return Response.noContent().build();
  }

  @DELETE
  @Path("/hpke_keys/{configId}")
  @Blocking
  @Operation(summary = "Delete an HPKE key (it no longer decrypts)")
  public Response deleteKey(@PathParam("configId") int configId) {
    if (!keys.delete(configId)) {
      throw ProblemException.notFound("no such key");
    }
    return Response.noContent().build();
  }

  /** A key state by name; 400 if there is no such state. */
  public static HpkeKeys.State keyState(String s) {
    try {
      return HpkeKeys.State.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("state must be PENDING, ACTIVE or EXPIRED");
    }
  }

  /**
   * A key: its state, suite, when it was made and last changed state (database clock), and the
   * rotator's next planned transition ({@code next_state}, {@code next_transition_at}; absent
   * when the rotator plans none, e.g. for a suite it does not rotate).
   */
  private Map<String, Object> describe(HpkeKeys.Key k) {
    Map<String, Object> m = new LinkedHashMap<>();
    var c = k.keypair().config();
    m.put("config_id", c.id().value());
    m.put("state", k.state().name());
    m.put("suite", HpkeSuite.of(c).toString());
    m.put("kem", c.kemId().code());
    m.put("kdf", c.kdfId().code());
    m.put("aead", c.aeadId().code());
    m.put("created_at", k.createdAt().toString());
    m.put("state_changed_at", k.stateChangedAt().toString());
    KeyRotator.next(k.rotated(), keys.keys(), keys.schedule()).ifPresent(n -> {
      m.put("next_state", n.to());
      m.put("next_transition_at", n.at().toString());
    });
    m.put("config", Base64.getUrlEncoder().withoutPadding().encodeToString(c.encode()));
    return m;
  }
}
