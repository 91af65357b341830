package io.pando.aggregator.jobs;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Announces again every leasable job whose lease has expired and that was not announced within
 * the last sweep interval: jobs whose driver died, jobs whose retry time has come, and jobs whose
 * announcement was lost. Concurrent sweepers on several replicas split the jobs between them
 * ({@code SKIP LOCKED}); a job announced twice is still driven once.
 */
@ApplicationScoped
public class JobSweeper {
  private static final Logger LOG = Logger.getLogger(JobSweeper.class);
  private static final int BATCH = 1000;

  private final Datastore datastore;
  private final JobBus bus;
  private final JobRunner runner;
  private final Duration quiet;

  @Inject
  public JobSweeper(Datastore datastore, JobBus bus, JobRunner runner, PandoConfig config) {
    this.datastore = datastore;
    this.bus = bus;
    this.runner = runner;
    this.quiet = config.jobs().sweepInterval();
  }

  @Scheduled(identity = "pando-job-sweeper", every = "${pando.jobs.sweep-interval}",
      delayed = "${pando.jobs.sweep-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = JobsEnabled.class)
  void scheduled() {
    sweep();
  }

  /** One sweep over every kind of job this process drives; returns the jobs announced. */
  public int sweep() {
    int total = 0;
    for (JobKind kind : runner.kinds()) {
      if (!bus.supports(kind)) {
        continue;
      }
      try {
        List<JobKey> due;
        do {
          due = datastore.inTransaction("sweep-" + kind.label() + "-jobs",
              tx -> tx.leases().claimAnnouncements(kind.table(), quiet, BATCH));
          for (JobKey job : due) {
            bus.announce(kind, job, "sweeper");
          }
          total += due.size();
        } while (due.size() == BATCH);
      } catch (RuntimeException e) {
        LOG.warnf("sweeping %s jobs failed: %s", kind.label(), e.getMessage());
      }
    }
    if (total > 0) {
      LOG.debugf("sweeper announced %d jobs", total);
    }
    return total;
  }
}
