package io.pando.aggregator.upload;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.datastore.Datastore;
import io.pando.dap.messages.TaskId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Upload outcomes per task and reason: Prometheus counters ({@code pando_uploads_total{task,
 * outcome}}) at once, and the persistent per-task counters ({@code task_counters}): those of
 * stored reports and replays in the transaction that stores them ({@link ReportWriter}), those of
 * refusals in periodic batches, so that a rejected request never costs a database write (a crash
 * loses at most {@code 5 s} of refusal counts, never a count of a stored report).
 */
@ApplicationScoped
public class UploadCounters {
  private static final Logger LOG = Logger.getLogger(UploadCounters.class);

  /** Why an upload ended as it did; the counter name is {@code upload_<reason>}. */
  public enum Outcome {
    SUCCESS,
    DECODE_FAILURE,
    DECRYPT_FAILURE,
    OUTDATED_CONFIG,
    TOO_EARLY,
    TASK_EXPIRED,
    REPORT_EXPIRED,
    DUPLICATE,
    INVALID_EXTENSION,
    BATCH_COLLECTED;

    public String counter() {
      return "upload_" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final MeterRegistry meters;
  private final Datastore datastore;
  private final Map<TaskId, Map<Outcome, LongAdder>> pending = new ConcurrentHashMap<>();

  @Inject
  public UploadCounters(MeterRegistry meters, Datastore datastore) {
    this.meters = meters;
    this.datastore = datastore;
  }

  /** Counts a refused upload: the metric now, the persistent counter with the next flush. */
  public void record(TaskId task, Outcome outcome) {
    recordMetric(task, outcome);
    pending.computeIfAbsent(task, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> new LongAdder()).increment();
  }

  /**
   * Counts an upload whose persistent counter was written with the report ({@link
   * ReportWriter}): success or replay.
   */
  public void recordMetric(TaskId task, Outcome outcome) {
    meters.counter("pando_uploads_total", "task", task.toBase64Url(),
        "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).increment();
  }

  /** Writes the counts gathered since the last flush. */
  @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void flush() {
    Map<TaskId, Map<String, Long>> deltas = new HashMap<>();
    pending.forEach((task, m) -> m.forEach((outcome, adder) -> {
      long n = adder.sumThenReset();
      if (n != 0) {
        deltas.computeIfAbsent(task, t -> new HashMap<>()).merge(outcome.counter(), n, Long::sum);
      }
    }));
    if (deltas.isEmpty()) {
      return;
    }
    try {
      datastore.inTransaction("flush-upload-counters", tx -> {
        tx.counters().addAll(deltas);
        return null;
      });
    } catch (RuntimeException e) {
      // Put the counts back; they are written with the next flush.
      deltas.forEach((task, m) -> m.forEach((counter, n) -> {
        Outcome o = Outcome.valueOf(counter.substring("upload_".length())
            .toUpperCase(java.util.Locale.ROOT));
        pending.computeIfAbsent(task, t -> new ConcurrentHashMap<>())
            .computeIfAbsent(o, x -> new LongAdder()).add(n);
      }));
      LOG.warnf("upload counters not written yet: %s", e.getMessage());
    }
  }

  void onStop(@Observes ShutdownEvent e) {
    try {
      flush();
    } catch (RuntimeException ex) {
      LOG.warnf("upload counters lost at shutdown: %s", ex.getMessage());
    }
  }
}
