package io.pando.aggregator.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Waits;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.Tx;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The datastore invariant behind batch_collected (DAP-09 §4.5.1.4): once the helper has answered
 * an aggregate share request for a batch, no output share joins it, whatever the interleaving of
 * the aggregation job's and the aggregate share request's transactions. The transactions are
 * interleaved by hand; the loser must be retried and then see the winner's effects.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class BatchCollectionRaceTest {
  private static final int SHARDS = 8;

  @Inject Datastore datastore;
  @Inject TaskService tasks;

  private final io.pando.core.vdaf.DapVdaf vdaf =
      new io.pando.core.vdaf.Prio3DapVdaf(Prio3.count());

  private TaskId task(boolean withRows, byte[] batch) {
    TaskId id = TaskId.random();
    tasks.put(HelperFixture.helperTask(id, Map.of("type", "Prio3Count"), "time_interval", null,
        1, 1));
    if (withRows) {
      datastore.inTransaction("test-shards", tx -> {
        tx.batchAggregations().ensureShards(id, batch, SHARDS, vdaf);
        return null;
      });
    }
    return id;
  }

  /** What a job does once it decided the batch is open: create shards, add one report. */
  private void addOne(Tx tx, TaskId id, byte[] batch) {
    tx.batchAggregations().ensureShards(id, batch, SHARDS, vdaf);
    tx.batchAggregations().accumulate(id, batch, SHARDS, vdaf, vdaf.emptyAggregateShare(new byte[0]), 1,
        new byte[32], 0, 0);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aJobThatSawTheBatchOpenCannotAddAfterCollection(boolean withRows) throws Exception {
    byte[] batch = BatchAggregationStore.intervalIdentifier(HelperFixture.bucketNow());
    TaskId id = task(withRows, batch);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch collected = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> job = CompletableFuture.supplyAsync(() ->
        datastore.inTransaction("test-job", tx -> {
          boolean closed = !tx.helperBatches().collectedAmong(id, List.of(batch)).isEmpty();
          if (attempts.incrementAndGet() == 1) {
            read.countDown();
            Waits.await(collected);
          }
          if (closed) {
            return "collected";
          }
          addOne(tx, id, batch);
          return "added";
        }));
    Waits.await(read);
    datastore.inTransaction("test-collect", tx -> {
      tx.helperBatches().markCollected(id, List.of(batch));
      return null;
    });
    collected.countDown();
    assertEquals("collected", job.get(30, TimeUnit.SECONDS));
    assertEquals(2, attempts.get());
    assertEquals(0, datastore.inTransaction("test-read",
        tx -> tx.helperBatches().read(id, List.of(batch), vdaf)).reportCount());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aCollectionThatReadTheBatchSeesJobsThatCommitBeforeIt(boolean withRows)
      throws Exception {
    byte[] batch = BatchAggregationStore.intervalIdentifier(HelperFixture.bucketNow());
    TaskId id = task(withRows, batch);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch added = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Long> collect = CompletableFuture.supplyAsync(() ->
        datastore.inTransaction("test-collect", tx -> {
          long count = tx.helperBatches().read(id, List.of(batch), vdaf).reportCount();
          if (attempts.incrementAndGet() == 1) {
            read.countDown();
            Waits.await(added);
          }
          tx.helperBatches().markCollected(id, List.of(batch));
          return count;
        }));
    Waits.await(read);
    datastore.inTransaction("test-job", tx -> {
      assertEquals(0, tx.helperBatches().collectedAmong(id, List.of(batch)).size());
      addOne(tx, id, batch);
      return null;
    });
    added.countDown();
    assertEquals(1L, collect.get(30, TimeUnit.SECONDS));
    assertEquals(2, attempts.get());
  }

  @Test
  void jobsOnTheSameBatchBothCommit() throws Exception {
    byte[] batch = BatchAggregationStore.intervalIdentifier(HelperFixture.bucketNow());
    TaskId id = task(false, batch);
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    CompletableFuture<Void> a = CompletableFuture.runAsync(() ->
        datastore.inTransaction("test-job-a", tx -> {
          addOne(tx, id, batch);
          first.countDown();
          Waits.await(second);
          return null;
        }));
    Waits.await(first);
    CompletableFuture<Void> b = CompletableFuture.runAsync(() ->
        datastore.inTransaction("test-job-b", tx -> {
          second.countDown();
          addOne(tx, id, batch);
          return null;
        }));
    a.get(30, TimeUnit.SECONDS);
    b.get(30, TimeUnit.SECONDS);
    assertEquals(2, datastore.inTransaction("test-read",
        tx -> tx.helperBatches().read(id, List.of(batch), vdaf)).reportCount());
  }
}
