package io.pando.aggregator.gc;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.GcStore.Deleted;
import io.pando.aggregator.datastore.GcStore.Expiring;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Deletes ended data, incrementally: every {@code pando.gc.interval} a pass deletes, in
 * transactions of at most {@code pando.gc.batch-size} rows of the driving kind,
 *
 * <ul>
 *   <li>for each task with a {@code report_expiry_age}: ended aggregation jobs whose reports are
 *       all older than the expiry age, with their report aggregations and the leader's reports
 *       (whose ids need no replay protection any more: such reports are refused anyway), and
 *       collected batch aggregations whose reports are all that old;
 *   <li>collection jobs that ended {@code pando.gc.collection-job-retention} ago;
 *   <li>tasks {@code pando.gc.expired-task-retention} past their {@code task_expiration}, with
 *       everything stored for them.
 * </ul>
 *
 * A report not yet aggregated, a job in progress and an uncollected batch are never deleted.
 * Several replicas may run passes at once ({@code SKIP LOCKED}). Metrics: {@code
 * pando_gc_deleted_total{kind}} ({@code aggregation_jobs}, {@code report_aggregations}, {@code
 * client_reports}, {@code batch_aggregations}, {@code collection_jobs}, {@code tasks}).
 */
@ApplicationScoped
public class GarbageCollector {
  private static final Logger LOG = Logger.getLogger(GarbageCollector.class);

  private final Datastore datastore;
  private final MeterRegistry meters;
  private final Clock clock;
  private final PandoConfig.Gc config;

  @Inject
  public GarbageCollector(Datastore datastore, MeterRegistry meters, Clock clock,
      PandoConfig config) {
    this.datastore = datastore;
    this.meters = meters;
    this.clock = clock;
    this.config = config.gc();
  }

  @Scheduled(identity = "pando-gc", every = "${pando.gc.interval:PT5M}",
      delayed = "${pando.gc.interval:PT5M}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!config.enabled()) {
      return;
    }
    try {
      Map<String, Long> deleted = pass();
      if (deleted.values().stream().anyMatch(n -> n > 0)) {
        LOG.infof("garbage collection deleted %s", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warnf("garbage collection pass failed (the next one carries on): %s", e.getMessage());
    }
  }

  /** One pass; returns the rows deleted by kind. */
  public Map<String, Long> pass() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String k : List.of("aggregation_jobs", "report_aggregations", "client_reports",
        "batch_aggregations", "collection_jobs", "tasks")) {
      out.put(k, 0L);
    }
    long now = clock.instant().getEpochSecond();
    int batch = Math.max(1, config.batchSize());
    List<Expiring> tasks = datastore.inTransaction("gc-expiring-tasks",
        tx -> tx.gc().expiringTasks(now));
    for (Expiring t : tasks) {
      for (int i = 0; i < config.maxSlicesPerPass(); i++) {
        Deleted d = datastore.inTransaction("gc-aggregation-jobs",
            tx -> tx.gc().expiredAggregationJobs(t.task(), t.cutoff(), batch));
        add(out, "aggregation_jobs", d.jobs());
        add(out, "report_aggregations", d.reportAggregations());
        add(out, "client_reports", d.reports());
        if (d.jobs() < batch) {
          break;
        }
      }
      slices(out, "batch_aggregations", batch, () -> datastore.inTransaction(
          "gc-batch-aggregations", tx -> tx.gc().expiredCollectedBatches(t.task(), t.cutoff(),
              batch)));
    }
    long retention = config.collectionJobRetention().toSeconds();
    slices(out, "collection_jobs", batch, () -> datastore.inTransaction("gc-collection-jobs",
        tx -> tx.gc().endedCollectionJobs(retention, batch)));
    long taskRetention = config.expiredTaskRetention().toSeconds();
    slices(out, "tasks", batch, () -> datastore.inTransaction("gc-tasks",
        tx -> tx.gc().expiredTasks(now, taskRetention, batch)));
    return out;
  }

  private void slices(Map<String, Long> out, String kind, int batch, LongSupplier slice) {
    for (int i = 0; i < config.maxSlicesPerPass(); i++) {
      long n = slice.getAsLong();
      add(out, kind, n);
      if (n == 0) {
        break;
      }
    }
  }

  private void add(Map<String, Long> out, String kind, long n) {
    if (n > 0) {
      out.merge(kind, n, Long::sum);
      meters.counter("pando_gc_deleted_total", "kind", kind).increment(n);
    }
  }
}
