package io.pando.aggregator.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.pando.aggregator.config.InstanceName;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.Acquisition;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.tracing.Tracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs leased jobs: for each announced job id, tries to acquire that job's lease and, if it gets
 * it, runs one step of its {@link JobHandler}. Another driver's lease, a job waiting for its
 * retry time or a job no longer leasable means the message is simply dropped; the lease decides,
 * so redelivered and duplicated messages are harmless. No job is ever abandoned here: a transient
 * failure is retried with backoff ({@link JobRetryConfig}) for as long as the task lives, and a
 * failure an operator must fix parks the job ({@link StepResult.Park}).
 *
 * <p>Metrics: {@code pando_jobs_acquired_total{kind}}, {@code pando_jobs_skipped_total{kind}},
 * {@code pando_jobs_retried_total{kind}}, {@code pando_jobs_waited_total{kind}}, {@code
 * pando_jobs_parkings_total{kind}} (parkings), the gauge {@code pando_jobs_parked{kind}} (jobs
 * parked now, refreshed by the sweeper) and the timer {@code
 * pando_job_step_seconds{kind,outcome}}.
 */
@ApplicationScoped
public class JobRunner {
  private static final Logger LOG = Logger.getLogger(JobRunner.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The longest {@code last_error} stored. */
  private static final int MAX_ERROR = 1000;
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("pando.job.attempt");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("pando.job.outcome");

  private final Datastore datastore;
  private final MeterRegistry meters;
  private final Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);
  private final Map<JobKind, AtomicLong> parked = new EnumMap<>(JobKind.class);
  private final Duration leaseDuration;
  private final JobsEnabled enabled;
  private final JobRetryConfig retry;
  private final String instance;
  private final Tracing tracing;

  @Inject
  public JobRunner(Datastore datastore, MeterRegistry meters, Instance<JobHandler> handlers,
      PandoConfig config, JobRetryConfig retry, JobsEnabled enabled, Tracing tracing) {
    this.datastore = datastore;
    this.tracing = tracing;
    this.meters = meters;
    for (JobHandler h : handlers) {
      if (this.handlers.put(h.kind(), h) != null) {
        throw new IllegalStateException("two handlers for " + h.kind().label() + " jobs");
      }
      AtomicLong gauge = new AtomicLong();
      parked.put(h.kind(), gauge);
      meters.gauge("pando_jobs_parked", List.of(Tag.of("kind", h.kind().label())), gauge,
          AtomicLong::doubleValue);
    }
    this.leaseDuration = config.jobs().leaseDuration();
    this.enabled = enabled;
    this.retry = retry;
    this.instance = InstanceName.of(config);
  }

  /** The kinds of job this process can drive. */
  public Set<JobKind> kinds() {
    return handlers.keySet();
  }

  /** Handles one bus message (a job id); never throws. */
  public void onMessage(JobKind kind, String value) {
    JobKey job;
    try {
      job = JobMessage.parse(value);
    } catch (RuntimeException e) {
      LOG.warnf("ignoring malformed %s job message: %s", kind.label(), e.getMessage());
      return;
    }
    try {
      run(kind, job);
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s job %s: unexpected failure", kind.label(), job);
    }
  }

  /**
   * Acquires and steps one job, if it is available. Returns the lease that was used, or empty if
   * the job was not acquired (held elsewhere, waiting, or finished).
   */
  public Optional<Lease> run(JobKind kind, JobKey job) {
    JobHandler handler = handlers.get(kind);
    if (handler == null || !enabled.enabled(kind)) {
      return Optional.empty();
    }
    Optional<Lease> lease = acquire(handler, job);
    if (lease.isEmpty()) {
      return lease;
    }
    step(handler, lease.get());
    return lease;
  }

  /** Tries to acquire one job's lease. */
  public Optional<Lease> acquire(JobHandler handler, JobKey job) {
    JobKind kind = handler.kind();
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    Acquisition a = datastore.inTransaction("acquire-" + kind.label() + "-job",
        tx -> tx.leases().tryAcquire(kind.table(), job, leaseDuration, token, instance));
    if (a instanceof Acquisition.Acquired acq) {
      meters.counter("pando_jobs_acquired_total", "kind", kind.label()).increment();
      return Optional.of(new Lease(kind, job, acq.token(), acq.attempts(), acq.expiry(),
          instance));
    }
    meters.counter("pando_jobs_skipped_total", "kind", kind.label()).increment();
    return Optional.empty();
  }

  /**
   * Runs one step under a lease and releases the lease unless the step ended the job. The step
   * is a span ({@code "<kind> job step"}, the parent of its requests to the helper), and its log
   * lines carry the task id, job id and trace id in the MDC ({@code task_id}, {@code job_id},
   * {@code trace_id}).
   */
  public StepResult step(JobHandler handler, Lease lease) {
    String taskId = lease.job().taskId().toBase64Url();
    String jobId = Base64.getUrlEncoder().withoutPadding().encodeToString(lease.job().jobId());
    Span span = tracing.start(handler.kind().label() + " job step", SpanKind.INTERNAL);
    span.setAttribute(Tracing.TASK_ID, taskId);
    span.setAttribute(Tracing.JOB_ID, jobId);
    span.setAttribute(ATTEMPT, (long) lease.attempts());
    MDC.put("task_id", taskId);
    MDC.put("job_id", jobId);
    if (span.getSpanContext().isValid()) {
      MDC.put("trace_id", span.getSpanContext().getTraceId());
    }
    try (Scope scope = span.makeCurrent()) {
      StepResult result = stepTraced(handler, lease);
      span.setAttribute(OUTCOME, outcome(result));
      return result;
    } finally {
      span.end();
      MDC.remove("task_id");
      MDC.remove("job_id");
      MDC.remove("trace_id");
    }
  }

  private static String outcome(StepResult result) {
    if (result instanceof StepResult.Done d) {
      return d.outcome();
    }
    return result.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private StepResult stepTraced(JobHandler handler, Lease lease) {
    JobKind kind = handler.kind();
    Timer.Sample sample = Timer.start(meters);
    StepResult result;
    try {
      result = handler.step(lease);
    } catch (RuntimeException e) {
      LOG.warnf(e, "%s: step failed", lease);
      result = new StepResult.Retry(e.toString());
    }
    String outcome;
    if (result instanceof StepResult.Retry r) {
      outcome = "retry";
      Duration delay = retry.delay(lease.attempts(), r.retryAfter());
      meters.counter("pando_jobs_retried_total", "kind", kind.label()).increment();
      LOG.infof("%s: retrying in %d ms (%s)", lease, delay.toMillis(), r.reason());
      write(lease, "release", tx -> tx.leases().release(kind.table(), lease.job(),
          lease.token(), delay, truncate(r.reason())));
    } else if (result instanceof StepResult.Park p) {
      outcome = "parked";
      Duration delay = retry.parkedRetryInterval();
      meters.counter("pando_jobs_parkings_total", "kind", kind.label()).increment();
      LOG.warnf("%s: parked until an operator acts, tried again every %d s (%s)", lease,
          delay.toSeconds(), p.reason());
      write(lease, "park", tx -> tx.leases().park(kind.table(), lease.job(), lease.token(),
          delay, truncate(p.reason())));
    } else if (result instanceof StepResult.Wait w) {
      outcome = "wait";
      meters.counter("pando_jobs_waited_total", "kind", kind.label()).increment();
      LOG.debugf("%s: waiting %d ms (%s)", lease, w.delay().toMillis(), w.reason());
      postpone(lease, w.delay());
    } else if (result instanceof StepResult.LostLease) {
      outcome = "lost_lease";
      LOG.warnf("%s: lease was taken over before the step committed", lease);
    } else {
      outcome = ((StepResult.Done) result).outcome();
    }
    sample.stop(meters.timer("pando_job_step_seconds", "kind", kind.label(), "outcome", outcome));
    return result;
  }

  private static String truncate(String s) {
    return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR) + "...";
  }

  /** Releases a lease without using up the attempt; the job is taken up again after {@code delay}. */
  public void postpone(Lease lease, Duration delay) {
    write(lease, "postpone", tx -> tx.leases().postpone(lease.kind().table(), lease.job(),
        lease.token(), delay));
  }

  /** Releases a lease (fenced by its token); the job may be acquired again after {@code delay}. */
  public void release(Lease lease, Duration delay) {
    write(lease, "release", tx -> tx.leases().release(lease.kind().table(), lease.job(),
        lease.token(), delay, null));
  }

  /** One lease write; if it fails the lease expires on its own and the sweeper announces it. */
  private void write(Lease lease, String what, Datastore.TxBody<Boolean> body) {
    try {
      boolean done = datastore.inTransaction(what + "-" + lease.kind().label() + "-job", body);
      if (!done) {
        LOG.debugf("%s: already taken over, nothing to %s", lease, what);
      }
    } catch (RuntimeException e) {
      LOG.warnf("%s: %s failed: %s", lease, what, e.getMessage());
    }
  }

  /** Counts the parked jobs of every kind into the {@code pando_jobs_parked} gauge. */
  public void refreshParkedGauge() {
    for (Map.Entry<JobKind, AtomicLong> e : parked.entrySet()) {
      try {
        long n = datastore.inTransaction("count-parked-" + e.getKey().label() + "-jobs",
            tx -> tx.leases().countParked(e.getKey().table()));
        e.getValue().set(n);
      } catch (RuntimeException ex) {
        LOG.debugf("counting parked %s jobs failed: %s", e.getKey().label(), ex.getMessage());
      }
    }
  }
}
