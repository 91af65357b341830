package io.pando.aggregator.jobs;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The job drivers' Kafka consumers: one consumer group per topic across all replicas, each
 * message a job id handed to the {@link JobRunner}. Messages are handled on the worker pool
 * {@code pando-job-drivers} (its size, {@code smallrye.messaging.worker.pando-job-drivers
 * .max-concurrency}, bounds the jobs a replica drives at once), out of order, and acknowledged
 * once handled.
 */
@ApplicationScoped
public class JobConsumers {
  @Inject JobRunner runner;

  @Incoming("aggregation-jobs")
  @Blocking(value = "pando-job-drivers", ordered = false)
  public void aggregationJob(String value) {
    runner.onMessage(JobKind.AGGREGATION, value);
  }

  @Incoming("collection-jobs")
  @Blocking(value = "pando-job-drivers", ordered = false)
  public void collectionJob(String value) {
    runner.onMessage(JobKind.COLLECTION, value);
  }
}
