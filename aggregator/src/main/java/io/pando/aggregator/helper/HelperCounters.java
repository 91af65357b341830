package io.pando.aggregator.helper;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.datastore.Datastore;
import io.pando.dap.messages.PrepareError;
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
 * Outcomes of the reports the helper prepared (DAP-09 §4.5.1), per task: Prometheus counters
 * ({@code pando_helper_reports_total{task,outcome}}, outcome {@code success} or a PrepareError
 * name such as {@code hpke_decrypt_error}) at once, and the persistent per-task counters
 * ({@code helper_prepare_success}, {@code helper_prepare_<error>}) written in periodic batches, so
 * that the aggregation transaction does not contend on counter rows.
 *
 * <p>Outcomes are recorded once per aggregation job, after its transaction committed; a retried
 * request answered from the stored response records nothing.
 */
@ApplicationScoped
public class HelperCounters {
  private static final Logger LOG = Logger.getLogger(HelperCounters.class);
  static final String SUCCESS = "success";

  private final MeterRegistry meters;
  private final Datastore datastore;
  private final Map<TaskId, Map<String, LongAdder>> pending = new ConcurrentHashMap<>();

  @Inject
  public HelperCounters(MeterRegistry meters, Datastore datastore) {
    this.meters = meters;
    this.datastore = datastore;
  }

  /** The persistent counter for an outcome: {@code helper_prepare_<outcome>}. */
  public static String counterName(String outcome) {
    return "helper_prepare_" + outcome;
  }

  /** The outcome name of a prepare error. */
  public static String outcome(PrepareError error) {
    return error == null ? SUCCESS : error.draftName();
  }

  /** Records {@code n} reports with this outcome. */
  public void record(TaskId task, String outcome, long n) {
    if (n == 0) {
      return;
    }
    meters.counter("pando_helper_reports_total", "task", task.toBase64Url(), "outcome", outcome)
        .increment(n);
    pending.computeIfAbsent(task, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> new LongAdder()).add(n);
  }

  /** Writes the counts gathered since the last flush. */
  @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void flush() {
    Map<TaskId, Map<String, Long>> deltas = new HashMap<>();
    pending.forEach((task, m) -> m.forEach((outcome, adder) -> {
      long n = adder.sumThenReset();
      if (n != 0) {
        deltas.computeIfAbsent(task, t -> new HashMap<>()).merge(counterName(outcome), n,
            Long::sum);
      }
    }));
    if (deltas.isEmpty()) {
      return;
    }
    try {
      datastore.inTransaction("flush-helper-counters", tx -> {
        tx.counters().addAll(deltas);
        return null;
      });
    } catch (RuntimeException e) {
      // Put the counts back; they are written with the next flush.
      String prefix = counterName("");
      deltas.forEach((task, m) -> m.forEach((counter, n) -> pending
          .computeIfAbsent(task, t -> new ConcurrentHashMap<>())
          .computeIfAbsent(counter.substring(prefix.length()), x -> new LongAdder()).add(n)));
      LOG.warnf("helper counters not written yet: %s", e.getMessage());
    }
  }

  void onStop(@Observes ShutdownEvent e) {
    try {
      flush();
    } catch (RuntimeException ex) {
      LOG.warnf("helper counters lost at shutdown: %s", ex.getMessage());
    }
  }
}
