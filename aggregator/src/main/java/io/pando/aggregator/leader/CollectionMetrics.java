package io.pando.aggregator.leader;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The leader's collection outcomes: {@code pando_collection_jobs_total{outcome}} with outcome
 * {@code created}, {@code finished}, {@code failed}, {@code abandoned} or {@code deleted}.
 */
@ApplicationScoped
public class CollectionMetrics {
  private final MeterRegistry meters;

  @Inject
  public CollectionMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  public void job(String outcome) {
    meters.counter("pando_collection_jobs_total", "outcome", outcome).increment();
  }
}
