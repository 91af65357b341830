package io.pando.aggregator.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes job ids on Kafka to wake the job drivers' consumer group. Announcing is best effort:
 * a message that is lost only delays the job until the {@link JobSweeper} announces it again,
 * and one that arrives twice is harmless because the lease in PostgreSQL decides who drives.
 */
@ApplicationScoped
public class JobBus {
  private static final Logger LOG = Logger.getLogger(JobBus.class);

  @Inject
  @Channel("aggregation-jobs-out")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
  Emitter<String> aggregation;

  @Inject
  @Channel("collection-jobs-out")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
  Emitter<String> collection;

  @Inject MeterRegistry meters;

  private final Map<JobKind, Emitter<String>> emitters = new EnumMap<>(JobKind.class);

  @PostConstruct
  void wire() {
    emitters.put(JobKind.AGGREGATION, aggregation);
    emitters.put(JobKind.COLLECTION, collection);
  }

  /** Whether jobs of this kind can be announced (their topic is wired). */
  public boolean supports(JobKind kind) {
    return emitters.containsKey(kind);
  }

  /** Announces a job; {@code source} tags the metric (created, swept, retried). */
  public void announce(JobKind kind, JobKey job, String source) {
    Emitter<String> emitter = emitters.get(kind);
    if (emitter == null) {
      throw new IllegalStateException("no dispatch topic for " + kind.label() + " jobs");
    }
    Message<String> message = Message.of(JobMessage.value(job))
        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(JobMessage.key(job)).build())
        .withAck(() -> CompletableFuture.completedFuture(null))
        .withNack(e -> {
          meters.counter("pando_jobs_announce_failures_total", "kind", kind.label()).increment();
          LOG.debugf("announcing %s job %s failed (the sweeper retries): %s", kind.label(), job,
              e.getMessage());
          return CompletableFuture.completedFuture(null);
        });
    try {
      emitter.send(message);
      meters.counter("pando_jobs_announced_total", "kind", kind.label(), "source", source)
          .increment();
    } catch (RuntimeException e) {
      // Buffer full or channel down: the sweeper announces the job again later.
      meters.counter("pando_jobs_announce_failures_total", "kind", kind.label()).increment();
      LOG.warnf("announcing %s job %s failed (the sweeper retries): %s", kind.label(), job,
          e.getMessage());
    }
  }
}
