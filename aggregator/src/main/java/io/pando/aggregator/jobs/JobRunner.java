package io.pando.aggregator.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.Acquisition;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs leased jobs: for each announced job id, tries to acquire that job's lease and, if it gets
 * it, runs one step of its {@link JobHandler}. Another driver's lease, a job waiting for its
 * retry time or a job no longer leasable means the message is simply dropped; the lease decides,
 * so redelivered and duplicated messages are harmless. A job that has used up {@code
 * pando.jobs.max-attempts} is abandoned instead of run.
 *
 * <p>Metrics: {@code pando_jobs_acquired_total{kind}}, {@code pando_jobs_skipped_total{kind}},
 * {@code pando_jobs_retried_total{kind}}, {@code pando_jobs_waited_total{kind}}, {@code
 * pando_jobs_abandoned_total{kind}} and the timer {@code pando_job_step_seconds{kind,outcome}}.
 */
@ApplicationScoped
public class JobRunner {
  private static final Logger LOG = Logger.getLogger(JobRunner.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Datastore datastore;
  private final MeterRegistry meters;
  private final Map<JobKind, JobHandler> handlers = new EnumMap<>(JobKind.class);
  private final Duration leaseDuration;
  private final int maxAttempts;
  private final JobsEnabled enabled;
  private final JobRetryConfig retry;

  @Inject
  public JobRunner(Datastore datastore, MeterRegistry meters, Instance<JobHandler> handlers,
      PandoConfig config, JobRetryConfig retry, JobsEnabled enabled) {
    this.datastore = datastore;
    this.meters = meters;
    for (JobHandler h : handlers) {
      if (this.handlers.put(h.kind(), h) != null) {
        throw new IllegalStateException("two handlers for " + h.kind().label() + " jobs");
      }
    }
    this.leaseDuration = config.jobs().leaseDuration();
    this.maxAttempts = config.jobs().maxAttempts();
    this.enabled = enabled;
    this.retry = retry;
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
   * the job was not acquired (held elsewhere, waiting, finished, or just abandoned).
   */
  public Optional<Lease> run(JobKind kind, JobKey job) {
    JobHandler handler = handlers.get(kind);
    if (handler == null || !enabled.enabled()) {
      return Optional.empty();
    }
    Optional<Lease> lease = acquire(handler, job);
    if (lease.isEmpty()) {
      return lease;
    }
    step(handler, lease.get());
    return lease;
  }

  /** Tries to acquire one job's lease; abandons the job if its attempts are used up. */
  public Optional<Lease> acquire(JobHandler handler, JobKey job) {
    JobKind kind = handler.kind();
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    Acquisition a = datastore.inTransaction("acquire-" + kind.label() + "-job", tx -> {
      Acquisition r = tx.leases().tryAcquire(kind.table(), job, leaseDuration, maxAttempts,
          token);
      if (r instanceof Acquisition.Exhausted) {
        tx.leases().close(kind.table(), job, "ABANDONED");
        handler.abandoned(tx, job, ((Acquisition.Exhausted) r).attempts());
      }
      return r;
    });
    if (a instanceof Acquisition.Acquired acq) {
      meters.counter("pando_jobs_acquired_total", "kind", kind.label()).increment();
      return Optional.of(new Lease(kind, job, acq.token(), acq.attempts(), acq.expiry()));
    }
    if (a instanceof Acquisition.Exhausted ex) {
      meters.counter("pando_jobs_abandoned_total", "kind", kind.label()).increment();
      LOG.warnf("%s job %s abandoned after %d attempts", kind.label(), job, ex.attempts());
      try {
        handler.afterAbandoned(job);
      } catch (RuntimeException e) {
        LOG.debugf("clean-up of abandoned %s job %s failed: %s", kind.label(), job,
            e.getMessage());
      }
      return Optional.empty();
    }
    meters.counter("pando_jobs_skipped_total", "kind", kind.label()).increment();
    return Optional.empty();
  }

  /** Runs one step under a lease and releases the lease on a transient failure. */
  public StepResult step(JobHandler handler, Lease lease) {
    JobKind kind = handler.kind();
    Timer.Sample sample = Timer.start(meters);
    StepResult result;
    try {
      result = handler.step(lease);
    } catch (RuntimeException e) {
      LOG.warnf(e, "%s: step failed", lease);
      result = new StepResult.Retry(Optional.empty(), e.toString());
    }
    String outcome;
    if (result instanceof StepResult.Retry r) {
      outcome = "retry";
      Duration delay = r.delay().orElseGet(() -> retry.backoff(lease.attempts()));
      meters.counter("pando_jobs_retried_total", "kind", kind.label()).increment();
      LOG.infof("%s: retrying in %d ms (%s)", lease, delay.toMillis(), r.reason());
      release(lease, delay);
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

  /** Releases a lease without using up the attempt; the job is taken up again after {@code delay}. */
  public void postpone(Lease lease, Duration delay) {
    try {
      boolean done = datastore.inTransaction("postpone-" + lease.kind().label() + "-job",
          tx -> tx.leases().postpone(lease.kind().table(), lease.job(), lease.token(), delay));
      if (!done) {
        LOG.debugf("%s: already taken over, nothing to postpone", lease);
      }
    } catch (RuntimeException e) {
      LOG.warnf("%s: postponing failed: %s", lease, e.getMessage());
    }
  }

  /** Releases a lease (fenced by its token); the job may be acquired again after {@code delay}. */
  public void release(Lease lease, Duration delay) {
    try {
      boolean released = datastore.inTransaction("release-" + lease.kind().label() + "-job",
          tx -> tx.leases().release(lease.kind().table(), lease.job(), lease.token(), delay));
      if (!released) {
        LOG.debugf("%s: already taken over, nothing to release", lease);
      }
    } catch (RuntimeException e) {
      // The lease expires on its own; the sweeper announces the job again then.
      LOG.warnf("%s: release failed: %s", lease, e.getMessage());
    }
  }
}
