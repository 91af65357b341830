package io.pando.aggregator.jobs;

import io.pando.aggregator.config.PandoConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Skips the scheduled job work (creator, sweeper) on replicas that run no job drivers
 * ({@code pando.jobs.drivers-enabled=false}, API-only replicas), until the application has
 * started (the Kafka channels are wired at start-up, before this bean's start observer runs),
 * and once it is shutting down.
 */
@Singleton
public class JobsEnabled implements Scheduled.SkipPredicate {
  private final boolean enabled;
  private volatile boolean started;
  private volatile boolean stopping;

  @Inject
  public JobsEnabled(PandoConfig config) {
    this.enabled = config.jobs().driversEnabled();
  }

  /** Whether this process runs job drivers, has started and is not shutting down. */
  public boolean enabled() {
    return enabled && started && !stopping;
  }

  @Override
  public boolean test(ScheduledExecution execution) {
    return !enabled();
  }

  void onStart(@Observes StartupEvent e) {
    started = true;
  }

  void onStop(@Observes ShutdownEvent e) {
    stopping = true;
  }
}
