package io.pando.aggregator.upload;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.ReportStore.StoredReport;
import io.pando.aggregator.http.Unavailable;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Writes uploaded reports in batches: concurrent uploads share one transaction and one INSERT of
 * up to {@code pando.upload.batch-size} rows, waiting at most {@code pando.upload.batch-delay}
 * for the batch to fill. Each upload learns whether its report was new (or a replay) once the
 * batch has committed, so a 201 always means the report is durable; the per-task counters
 * {@code upload_success} and {@code upload_duplicate} are written in the same transaction.
 */
@ApplicationScoped
public class ReportWriter {
  private static final Logger LOG = Logger.getLogger(ReportWriter.class);

  private record Pending(StoredReport report, CompletableFuture<Boolean> done) {}

  /** How often a filling batch checks whether it is full before its delay is up. */
  private static final long FILL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Datastore datastore;
  private final int batchSize;
  private final long delayNanos;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
  private final Thread[] writers;
  private volatile boolean running = true;

  @Inject
  public ReportWriter(Datastore datastore, PandoConfig config) {
    this.datastore = datastore;
    this.batchSize = config.upload().batchSize();
    this.delayNanos = config.upload().batchDelay().toNanos();
    this.writers = new Thread[2];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = new Thread(this::run, "report-writer-" + i);
      writers[i].setDaemon(true);
      writers[i].start();
    }
  }

  /** Queues a report; the future says whether it was new (false: a replay). */
  public CompletableFuture<Boolean> write(StoredReport report) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    if (!queue.offer(new Pending(report, done))) {
      done.completeExceptionally(new Unavailable(Duration.ofSeconds(1),
          "the upload queue is full; try again shortly"));
    }
    return done;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // Let the batch fill, then take it at once: a writer waiting in poll() would be woken by
        // every single upload, a context switch each.
        long deadline = System.nanoTime() + delayNanos;
        long left;
        while (queue.size() < batchSize - 1 && (left = deadline - System.nanoTime()) > 0) {
          LockSupport.parkNanos(Math.min(left, FILL_CHECK_NANOS));
        }
        queue.drainTo(batch, batchSize - 1);
        flush(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void flush(List<Pending> batch) {
    List<StoredReport> reports = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      reports.add(p.report());
    }
    try {
      // Each upload's outcome, decided in the transaction that stores the reports and counts
      // them per task, so that a crash loses neither a report nor its count.
      boolean[] stored = datastore.inTransaction("put-client-reports", tx -> {
        Set<ReportId> inserted = tx.reports().putIfAbsent(reports);
        // A report id twice in one batch: the first upload wins, the second is a replay.
        Set<String> seen = new java.util.HashSet<>();
        boolean[] isNew = new boolean[batch.size()];
        Map<TaskId, Map<String, Long>> counts = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
          StoredReport r = batch.get(i).report();
          isNew[i] = inserted.contains(r.reportId()) && seen.add(r.taskId() + "/" + r.reportId());
          counts.computeIfAbsent(r.taskId(), t -> new HashMap<>()).merge(
              (isNew[i] ? UploadCounters.Outcome.SUCCESS : UploadCounters.Outcome.DUPLICATE)
                  .counter(), 1L, Long::sum);
        }
        tx.counters().addAll(counts);
        return isNew;
      });
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).done().complete(stored[i]);
      }
    } catch (RuntimeException e) {
      LOG.errorf("writing %d reports failed: %s", batch.size(), e.getMessage());
      for (Pending p : batch) {
        p.done().completeExceptionally(e);
      }
    }
  }

  void onStop(@Observes ShutdownEvent e) {
    running = false;
    for (Thread t : writers) {
      try {
        t.join(5000);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
