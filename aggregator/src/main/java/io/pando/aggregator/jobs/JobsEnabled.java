package io.pando.aggregator.jobs;

import io.pando.aggregator.config.PandoConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Skips the scheduled job work (creator, sweeper) on replicas that run no job drivers
 * ({@code pando.jobs.drivers-enabled=false}, API-only replicas), and once the application is
 * shutting down.
 */
@Singleton
public class JobsEnabled implements Scheduled.SkipPredicate {
  private final boolean enabled;
  private volatile boolean stopping;

  @Inject
  public JobsEnabled(PandoConfig config) {
    this.enabled = config.jobs().driversEnabled();
  }

  /** Whether this process runs job drivers and is not shutting down. */
  public boolean enabled() {
    return enabled && !stopping;
  }

  @Override
  public boolean test(ScheduledExecution execution) {
    return !enabled();
  }

  void onStop(@Observes ShutdownEvent e) {
    stopping = true;
  }
}
