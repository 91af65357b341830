package io.pando.aggregator.helper;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.DeferredRequestStore.Deferred;
import io.pando.aggregator.datastore.DeferredRequestStore.Failure;
import io.pando.aggregator.datastore.DeferredRequestStore.Resource;
import io.pando.aggregator.datastore.DeferredRequestStore.Status;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.http.PandoProblem;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.jobs.JobsEnabled;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The asynchronous helper (DAP-18 §3, "Asynchronous Request Handling" and "Resource Creation"):
 * with {@code pando.helper.deferred.enabled}, a DAP-18 aggregation job creation or aggregate
 * share request is stored ({@link #defer}) and answered 201 with its Location, an empty body and
 * {@code Retry-After}; this driver, on every process that drives jobs, then handles it with the
 * same code as the synchronous helper ({@link DeferredHandler}). Until it has, a GET of the
 * resource answers "processing" again ({@link #status}); a failure the leader caused is kept and
 * answered to the GET as its problem document; a transient failure (the datastore) is retried
 * with backoff. A driver that crashes leaves its claim to expire, and the request is handled
 * again, which changes nothing (the resource id is derived from the request, and a repeated
 * request is answered from what the first stored).
 *
 * <p>Metrics: {@code pando_helper_deferred_total{resource,outcome}} (outcome {@code deferred},
 * {@code handled}, {@code failed}, {@code retried}).
 */
@ApplicationScoped
public class DeferredRequests {
  private static final Logger LOG = Logger.getLogger(DeferredRequests.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final Datastore datastore;
  private final TaskService tasks;
  private final MeterRegistry meters;
  private final PandoConfig.Deferred config;
  private final Map<Resource, DeferredHandler> handlers = new EnumMap<>(Resource.class);

  @Inject
  public DeferredRequests(Datastore datastore, TaskService tasks, MeterRegistry meters,
      PandoConfig config, Instance<DeferredHandler> handlers) {
    this.datastore = datastore;
    this.tasks = tasks;
    this.meters = meters;
    this.config = config.helper().deferred();
    for (DeferredHandler h : handlers) {
      this.handlers.put(h.resource(), h);
    }
  }

  /** Whether this deployment defers DAP-18 requests (pando.helper.deferred.enabled). */
  public boolean enabled() {
    return config.enabled();
  }

  /** The Retry-After of a "processing" answer. */
  public Duration retryAfter() {
    return config.retryAfter();
  }

  /** Stores a request for the driver; a repeated one (same resource id) is stored once. */
  public void defer(Task task, Resource resource, byte[] resourceId, byte[] body) {
    boolean stored = datastore.inTransaction("helper-defer",
        tx -> tx.deferredRequests().insert(task.id(), resource, resourceId, body));
    if (stored) {
      count(resource, "deferred");
    }
  }

  /**
   * Whether the resource waits for the driver (true), or is not deferred (false: it answers for
   * itself); a request that failed on the driver throws the problem it met.
   */
  public boolean pending(TaskId task, Resource resource, byte[] resourceId) {
    Optional<Status> s = datastore.inTransaction("helper-deferred-status",
        tx -> tx.deferredRequests().status(task, resource, resourceId));
    if (s.isEmpty()) {
      return false;
    }
    if (s.get() instanceof Status.Failed f) {
      throw problem(task, f.failure());
    }
    return true;
  }

  /**
   * The body of a request still deferred (pending or failed), to tell a repeated creation from
   * another request.
   */
  public Optional<byte[]> body(TaskId task, Resource resource, byte[] resourceId) {
    return datastore.inTransaction("helper-deferred-body",
        tx -> tx.deferredRequests().body(task, resource, resourceId));
  }

  @Scheduled(identity = "pando-helper-deferred", every = "${pando.helper.deferred.poll-interval}",
      delayed = "${pando.helper.deferred.poll-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = JobsEnabled.class)
  void scheduled() {
    if (!config.enabled()) {
      return;
    }
    try {
      while (drainOnce() == config.batch()) {
        // A full batch: there may be more.
      }
      datastore.inTransaction("helper-deferred-gc",
          tx -> tx.deferredRequests().deleteFailuresOlderThan(config.failedRetention()));
    } catch (RuntimeException e) {
      LOG.warnf("deferred helper requests: %s", e.toString());
    }
  }

  /** Claims and handles one batch of deferred requests; returns how many it claimed. */
  public int drainOnce() {
    return drainOnce(handlers, config.lease());
  }

  /** {@link #drainOnce} with these handlers and this lease. */
  int drainOnce(Map<Resource, DeferredHandler> with, Duration lease) {
    List<Deferred> claimed = datastore.inTransaction("helper-deferred-claim",
        tx -> tx.deferredRequests().claim(lease, config.batch()));
    for (Deferred d : claimed) {
      handle(d, with);
    }
    return claimed.size();
  }

  private void handle(Deferred d, Map<Resource, DeferredHandler> handlers) {
    Resource resource = d.resource();
    Failure failure = null;
    try {
      Optional<Task> task = tasks.get(d.taskId());
      if (task.isEmpty()) {
        failure = new Failure("dap", DapProblemType.UNRECOGNIZED_TASK.name(), "unknown task");
      } else {
        DeferredHandler h = handlers.get(resource);
        if (h == null) {
          throw new IllegalStateException("no handler for deferred " + resource);
        }
        h.handle(task.get(), d.resourceId(), d.body());
      }
    } catch (DapException e) {
      failure = new Failure("dap", e.type().name(), e.getMessage());
    } catch (ProblemException e) {
      failure = new Failure("pando", e.type().name(), e.getMessage());
    } catch (RuntimeException e) {
      Duration delay = backoff(d.attempts());
      LOG.warnf("deferred %s of task %s: %s; again in %s", resource, d.taskId(), e.toString(),
          delay);
      datastore.inTransaction("helper-deferred-retry", tx -> {
        tx.deferredRequests().retryAfter(d.taskId(), resource, d.resourceId(), delay);
        return null;
      });
      count(resource, "retried");
      return;
    }
    Failure f = failure;
    datastore.inTransaction("helper-deferred-done", tx -> {
      if (f == null) {
        tx.deferredRequests().done(d.taskId(), resource, d.resourceId());
      } else {
        tx.deferredRequests().failed(d.taskId(), resource, d.resourceId(), f);
      }
      return null;
    });
    if (f != null) {
      LOG.infof("deferred %s of task %s failed: %s %s", resource, d.taskId(), f.type(),
          f.detail());
    }
    count(resource, f == null ? "handled" : "failed");
  }

  /** 1 s, 2 s, 4 s ... after each attempt, at most a minute. */
  static Duration backoff(int attempts) {
    int shift = Math.max(0, Math.min(attempts - 1, 6));
    Duration d = Duration.ofSeconds(1L << shift);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static RuntimeException problem(TaskId task, Failure f) {
    if (f.source().equals("dap")) {
      return new DapException(DapProblemType.valueOf(f.type()), task, f.detail());
    }
    return new ProblemException(PandoProblem.valueOf(f.type()), f.detail());
  }

  private void count(Resource resource, String outcome) {
    meters.counter("pando_helper_deferred_total", "resource",
        resource.name().toLowerCase(java.util.Locale.ROOT), "outcome", outcome).increment();
  }
}
