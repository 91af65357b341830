package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.datastore.AggregationJobStore.NewJob;
import io.pando.aggregator.datastore.AggregationJobStore.NewReportAggregation;
import io.pando.aggregator.datastore.AggregationJobStore;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The leader's invariant between job creation and collection (DAP-09 §4.6.1: the leader
 * completes the aggregation jobs of a batch before it asks the helper for its share): a
 * transaction creating a job for reports of a bucket and a collection marking that bucket
 * collected both write the bucket's guard row, so whatever the interleaving, either the job
 * creation sees the bucket collected or the collection sees the job. The transactions are
 * interleaved by hand; the loser is run again.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class CreationCollectionRaceTest {
  private static final long PRECISION = 3600;

  @Inject Datastore datastore;
  @Inject TaskService tasks;

  private final io.pando.core.vdaf.DapVdaf vdaf =
      new io.pando.core.vdaf.Prio3DapVdaf(Prio3.count());

  private TaskId task(boolean guardRowExists, long bucket) {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/"));
    if (guardRowExists) {
      datastore.inTransaction("test-guard", tx -> {
        tx.batchAggregations().guard(id, BatchAggregationStore.intervalIdentifier(bucket), vdaf);
        return null;
      });
    }
    return id;
  }

  private static long bucket() {
    return (System.currentTimeMillis() / 1000 / PRECISION) * PRECISION;
  }

  /** What the creator does for a bucket it found open: a job with one report, and the guard. */
  private void createJob(Tx tx, TaskId id, long bucket) {
    tx.aggregationJobs().insert(id, new NewJob(AggregationJobId.random().bytes(),
        Optional.empty(), bucket, bucket, AggregationJobStore.JOB_IN_PROGRESS),
        List.of(new NewReportAggregation(0, ReportId.random(), bucket,
            AggregationJobStore.START, null)));
    tx.batchAggregations().guard(id, BatchAggregationStore.intervalIdentifier(bucket), vdaf);
  }

  /** What collection does once it found no job running: mark the bucket collected. */
  private void collect(Tx tx, TaskId id, long bucket) {
    tx.batchAggregations().markCollected(id,
        List.of(BatchAggregationStore.intervalIdentifier(bucket)), vdaf);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aCreatorThatSawTheBucketOpenRunsAgainAfterACollection(boolean guardRowExists)
      throws Exception {
    long bucket = bucket();
    TaskId id = task(guardRowExists, bucket);
    byte[] identifier = BatchAggregationStore.intervalIdentifier(bucket);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch collected = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> creator = CompletableFuture.supplyAsync(() ->
        datastore.inTransaction("test-create", tx -> {
          boolean closed = tx.batchAggregations().isCollected(id, identifier);
          if (attempts.incrementAndGet() == 1) {
            read.countDown();
            Waits.await(collected);
          }
          if (closed) {
            return "collected";
          }
          createJob(tx, id, bucket);
          return "created";
        }));
    Waits.await(read);
    datastore.inTransaction("test-collect", tx -> {
      collect(tx, id, bucket);
      return null;
    });
    collected.countDown();
    assertEquals("collected", creator.get(30, TimeUnit.SECONDS));
    assertEquals(2, attempts.get());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aCollectionThatSawNoJobRunsAgainAfterAJobWasCreated(boolean guardRowExists)
      throws Exception {
    long bucket = bucket();
    TaskId id = task(guardRowExists, bucket);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch created = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> collection = CompletableFuture.supplyAsync(() ->
        datastore.inTransaction("test-collect", tx -> {
          boolean running = tx.aggregationJobs().inProgressOverlapping(id, bucket,
              bucket + PRECISION);
          if (attempts.incrementAndGet() == 1) {
            read.countDown();
            Waits.await(created);
          }
          if (running) {
            return "waits";
          }
          collect(tx, id, bucket);
          return "collected";
        }));
    Waits.await(read);
    datastore.inTransaction("test-create", tx -> {
      createJob(tx, id, bucket);
      return null;
    });
    created.countDown();
    assertEquals("waits", collection.get(30, TimeUnit.SECONDS));
    assertEquals(2, attempts.get());
  }
}
