package io.pando.aggregator.http;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.task.AuthTokens;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.aggregator.taskprov.TaskprovProvisioner;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one door of the task endpoints, checked from the request's head before its body is read
 * (filters on the event loop; the datastore is asked on a worker thread when the task is not
 * cached):
 *
 * <ol>
 *   <li>the task exists in the role the endpoint belongs to, else {@code unrecognizedTask}
 *       ({@link #guard}, pre-matching); an unknown task whose request carries a {@code
 *       dap-taskprov} header is first provisioned in-band ({@link TaskprovProvisioner});
 *   <li>the request carries the token the resource's {@link Access} names, else {@code
 *       unauthorizedRequest} ({@link AccessFilter}, once the route is matched);
 *   <li>a declared {@code Content-Length} is at most what the task's VDAF can need ({@link
 *       BodyLimits}), else 413 ({@link #bound}).
 * </ol>
 *
 * The resource then takes the checked task with {@link #task}: it cannot run without this door.
 */
public class RequestGuard {
  private static final String TASK = "pando.checked-task";
  private static final String ENDPOINT = "pando.checked-endpoint";
  private static final String CREATION = "pando.checked-creation";
  private static final Pattern TASK_PATH = Pattern.compile(
      "^/tasks/([^/]+)/(reports|aggregation_jobs/[^/]+|aggregate_shares|collection_jobs/[^/]+)/?$");
  /**
   * DAP-18's task resources (draft-ietf-ppm-dap-18 Appendix A) under its prefix: the creation
   * URLs of aggregation jobs, aggregate shares and collection jobs, and their resource URLs.
   */
  private static final Pattern DAP18_TASK_PATH = Pattern.compile("^"
      + DapVersion.DAP_18.pathPrefix() + "/tasks/([^/]+)/(reports|(?:aggregation_jobs"
      + "|aggregate_shares|collection_jobs)(/[^/]+)?)/?$");

  @Inject TaskService tasks;
  @Inject TaskprovProvisioner provisioner;
  @Inject PandoConfig config;

  /** The endpoints behind the door, with the role their task has. */
  enum Endpoint {
    UPLOAD(Task.Role.LEADER),
    AGGREGATION_JOB(Task.Role.HELPER),
    AGGREGATE_SHARE(Task.Role.HELPER),
    COLLECTION_JOB(Task.Role.LEADER);

    final Task.Role role;

    Endpoint(Task.Role role) {
      this.role = role;
    }

    static Endpoint of(String path) {
      if (path.equals("reports")) {
        return UPLOAD;
      }
      if (path.startsWith("aggregation_jobs")) {
        return AGGREGATION_JOB;
      }
      return path.startsWith("aggregate_shares") ? AGGREGATE_SHARE : COLLECTION_JOB;
    }
  }

  /** The task {@link RequestGuard} checked for this request. */
  public static Task task(RoutingContext rc) {
    Task task = rc.get(TASK);
    if (task == null) {
      throw new IllegalStateException("a task endpoint ran without its RequestGuard check");
    }
    return task;
  }

  /** The DAP version whose route the request took (the task's, once {@link #guard} let it on). */
  public static DapVersion version(RoutingContext rc) {
    return task(rc).dapVersion();
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> guard(ContainerRequestContext req, RoutingContext rc) {
    String path = req.getUriInfo().getPath();
    DapVersion version = DapVersion.DAP_09;
    Matcher m = TASK_PATH.matcher(path);
    if (!m.matches()) {
      version = DapVersion.DAP_18;
      m = DAP18_TASK_PATH.matcher(path);
    }
    if (!m.matches() || "OPTIONS".equals(req.getMethod())) {
      return Uni.createFrom().nullItem();
    }
    Endpoint endpoint = Endpoint.of(m.group(2));
    // DAP-18 §3.2: a POST to a creation URL (no id) creates; the same verb on the resource
    // URL continues an aggregation job.
    rc.put(CREATION, version == DapVersion.DAP_18 && m.group(3) == null);
    DapVersion routeVersion = version;
    TaskId id;
    try {
      id = Ids.taskId(m.group(1));
    } catch (DapException e) {
      return Uni.createFrom().item(ProblemMapper.toResponse(e));
    }
    Optional<Task> cached = tasks.cached(id);
    if (cached.isPresent()) {
      return Uni.createFrom().item(check(endpoint, routeVersion, id, cached, req, rc));
    }
    String taskprov = req.getHeaderString(TaskConfig.HEADER);
    return Uni.createFrom().item(() -> {
      Optional<Task> task = tasks.get(id);
      // Taskprov provisions DAP-09 tasks only, so a DAP-18 route never provisions one.
      if (task.isEmpty() && taskprov != null && routeVersion == DapVersion.DAP_09) {
        try {
          task = Optional.of(provision(endpoint, id, taskprov, req));
        } catch (DapException e) {
          return ProblemMapper.toResponse(e);
        }
      }
      return check(endpoint, routeVersion, id, task, req, rc);
    }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /** An unknown task with a taskprov header: provisioned in-band, or refused. */
  private Task provision(Endpoint endpoint, TaskId id, String header,
      ContainerRequestContext req) {
    TaskprovProvisioner.Caller caller = switch (endpoint) {
      case UPLOAD -> TaskprovProvisioner.Caller.CLIENT;
      case AGGREGATION_JOB, AGGREGATE_SHARE -> TaskprovProvisioner.Caller.LEADER;
      case COLLECTION_JOB -> TaskprovProvisioner.Caller.COLLECTOR;
    };
    return provisioner.provision(id, header, endpoint.role, caller,
        AuthTokens.fromHeaders(req.getHeaderString(HttpHeaders.AUTHORIZATION),
            req.getHeaderString(Auth.DAP_AUTH_TOKEN)));
  }

  /** Null when the request may go on, else the answer that refuses it. */
  private Response check(Endpoint endpoint, DapVersion version, TaskId id, Optional<Task> found,
      ContainerRequestContext req, RoutingContext rc) {
    try {
      Task task = found.filter(t -> t.role() == endpoint.role)
          .orElseThrow(() -> DapException.unrecognizedTask(id));
      if (task.dapVersion() != version) {
        // One version's route for a task of the other: unknown here, and the detail says
        // where the task's resources are (aggregator/README.md, "DAP-18").
        throw new DapException(DapProblemType.UNRECOGNIZED_TASK, id, "task is a "
            + task.dapVersion().tag() + " task: its resources are under \""
            + task.dapVersion().pathPrefix() + "/tasks/\", not \"" + version.pathPrefix()
            + "/tasks/\"");
      }
      rc.put(TASK, task);
      rc.put(ENDPOINT, endpoint);
      return null;
    } catch (DapException e) {
      return ProblemMapper.toResponse(e);
    }
  }

  /**
   * Third, after {@link AccessFilter} checked the token and still before the body is read: a
   * declared {@code Content-Length} above what the task's VDAF can need is 413.
   */
  @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 100)
  public Response bound(ContainerRequestContext req, RoutingContext rc) {
    Endpoint endpoint = rc.get(ENDPOINT);
    if (endpoint == null) {
      return null;
    }
    Task task = rc.get(TASK);
    long limit = limit(endpoint, task, req.getMethod(), Boolean.TRUE.equals(rc.get(CREATION)));
    String declared = req.getHeaderString("Content-Length");
    if (declared != null && exceeds(declared, limit)) {
      return ProblemMapper.toResponse(new ProblemException(PandoProblem.BODY_TOO_LARGE,
          "the body may be at most " + limit + " bytes for this " + task.vdaf().type()
              + " task"));
    }
    return null;
  }

  private long limit(Endpoint endpoint, Task task, String method, boolean creation) {
    int maxReports = config.helper().maxReportsPerJob();
    if (task.isDap18()) {
      return switch (endpoint) {
        case UPLOAD -> BodyLimits.Dap18.upload(task, config.upload().maxReportsPerRequest());
        case AGGREGATION_JOB -> creation
            ? BodyLimits.Dap18.aggregationJobInit(task, maxReports)
            : BodyLimits.aggregationJobContinue(task, maxReports);
        case AGGREGATE_SHARE, COLLECTION_JOB -> BodyLimits.SMALL;
      };
    }
    return switch (endpoint) {
      case UPLOAD -> BodyLimits.report(task);
      case AGGREGATION_JOB -> "POST".equals(method)
          ? BodyLimits.aggregationJobContinue(task, maxReports)
          : BodyLimits.aggregationJobInit(task, maxReports);
      case AGGREGATE_SHARE, COLLECTION_JOB -> BodyLimits.SMALL;
    };
  }

  private static boolean exceeds(String declared, long limit) {
    try {
      return Long.parseLong(declared.trim()) > limit;
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
