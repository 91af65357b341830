package io.pando.aggregator.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.Claimed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Announces again every leasable job whose lease has expired and that was not announced within
 * the last sweep interval: jobs whose driver died, jobs whose retry time has come, and jobs whose
 * announcement was lost. Concurrent sweepers on several replicas split the jobs between them
 * ({@code SKIP LOCKED}); a job announced twice is still driven once.
 *
 * <p>Kafka only carries hints; PostgreSQL is the truth. A due job that was already announced
 * and still not taken up a sweep interval later (the broker is down, or its consumers are) is
 * driven by the sweeper's own pool instead ({@code pando.jobs.poll-concurrency} at once), so
 * aggregation and collection go on without the bus. Metrics: {@code
 * pando_jobs_polled_total{kind}} counts the jobs driven this way, and the sweeper refreshes the
 * {@code pando_jobs_parked{kind}} gauge.
 */
@ApplicationScoped
public class JobSweeper {
  private static final Logger LOG = Logger.getLogger(JobSweeper.class);
  private static final int BATCH = 1000;

  private final Datastore datastore;
  private final JobBus bus;
  private final JobRunner runner;
  private final MeterRegistry meters;
  private final JobsEnabled enabled;
  private final Duration quiet;
  private final ThreadPoolExecutor pool;

  @Inject
  public JobSweeper(Datastore datastore, JobBus bus, JobRunner runner, MeterRegistry meters,
      PandoConfig config, JobsEnabled enabled) {
    this.datastore = datastore;
    this.enabled = enabled;
    this.bus = bus;
    this.runner = runner;
    this.meters = meters;
    this.quiet = config.jobs().sweepInterval();
    int n = Math.max(1, config.jobs().pollConcurrency());
    AtomicInteger threads = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(4 * n), r -> {
          Thread t = new Thread(r, "pando-job-poller-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    this.pool.allowCoreThreadTimeOut(true);
  }

  void onStop(@Observes ShutdownEvent e) {
    pool.shutdownNow();
  }

  @Scheduled(identity = "pando-job-sweeper", every = "${pando.jobs.sweep-interval}",
      delayed = "${pando.jobs.sweep-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = JobsEnabled.class)
  void scheduled() {
    sweep();
    runner.refreshParkedGauge();
  }

  /** One sweep over every kind of job this process drives; returns the jobs announced or run. */
  public int sweep() {
    int total = 0;
    int polled = 0;
    for (JobKind kind : runner.kinds()) {
      if (!bus.supports(kind) || !enabled.enabled(kind)) {
        continue;
      }
      try {
        List<Claimed> due;
        do {
          due = datastore.inTransaction("sweep-" + kind.label() + "-jobs",
              tx -> tx.leases().claimAnnouncements(kind.table(), quiet, BATCH));
          for (Claimed c : due) {
            if (c.unanswered() && drive(kind, c)) {
              polled++;
            } else {
              bus.announce(kind, c.job(), "sweeper");
            }
          }
          total += due.size();
        } while (due.size() == BATCH);
      } catch (RuntimeException e) {
        LOG.warnf("sweeping %s jobs failed: %s", kind.label(), e.getMessage());
      }
    }
    if (polled > 0) {
      LOG.infof("sweeper drove %d jobs whose announcement went unanswered (is Kafka down?)",
          polled);
    } else if (total > 0) {
      LOG.debugf("sweeper announced %d jobs", total);
    }
    return total;
  }

  /** Runs a job on the poller pool; false if the pool is full (it is announced instead). */
  private boolean drive(JobKind kind, Claimed c) {
    try {
      pool.execute(() -> runner.onMessage(kind, JobMessage.value(c.job())));
      meters.counter("pando_jobs_polled_total", "kind", kind.label()).increment();
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }
}
