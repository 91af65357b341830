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
 * and once it is shutting down. {@link #enabled(JobKind)} narrows it to one kind of job
 * ({@code pando.jobs.aggregation.enabled}, {@code pando.jobs.collection.enabled}), so that
 * aggregation and collection can run on separate driver replicas.
 */
@Singleton
public class JobsEnabled implements Scheduled.SkipPredicate {
  private final boolean enabled;
  private final java.util.Set<JobKind> kinds = java.util.EnumSet.noneOf(JobKind.class);
  private volatile boolean started;
  private volatile boolean stopping;

  @Inject
  public JobsEnabled(PandoConfig config) {
    if (config.jobs().aggregation().enabled()) {
      kinds.add(JobKind.AGGREGATION);
    }
    if (config.jobs().collection().enabled()) {
      kinds.add(JobKind.COLLECTION);
    }
    this.enabled = !kinds.isEmpty();
  }

  /** Whether this process drives jobs of this kind, has started and is not shutting down. */
  public boolean enabled(JobKind kind) {
    return enabled() && kinds.contains(kind);
  }

  /** Whether this process runs job drivers of any kind, has started and is not shutting down. */
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
