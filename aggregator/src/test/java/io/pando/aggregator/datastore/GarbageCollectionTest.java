package io.pando.aggregator.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.gc.GarbageCollector;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The garbage collector deletes ended data past its age, and nothing else: not a report still
 * waiting for aggregation, not a job in progress, not an uncollected batch, not a young row.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class GarbageCollectionTest {
  private static final long EXPIRY_AGE = 3600;

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject GarbageCollector gc;

  private TaskId task(Long expiryAge, Long expiration) {
    TaskId id = TaskId.random();
    TaskDefinition d = Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/");
    tasks.put(new TaskDefinition(d.taskId(), d.role(), d.peerEndpoint(), d.queryType(),
        d.maxBatchSize(), d.vdaf(), d.vdafVerifyKey(), d.maxBatchQueryCount(), expiration,
        expiryAge, d.minBatchSize(), d.timePrecision(), d.tolerableClockSkew(),
        d.collectorHpkeConfig(), d.aggregatorAuthToken(), d.collectorAuthToken()));
    return id;
  }

  @Test
  void endedDataPastItsAgeGoesAndEverythingElseStays() {
    long now = System.currentTimeMillis() / 1000;
    long old = now - EXPIRY_AGE - 600;
    long young = now - 60;
    TaskId t = task(EXPIRY_AGE, null);
    TaskId noExpiry = task(null, null);
    TaskId longExpired = task(null, now - 31 * 86400L);
    TaskId justExpired = task(null, now - 86400L);
    datastore.inTransaction("test-seed", tx -> {
      job(tx, t, 1, "FINISHED", old, "FINISHED", true);   // deleted
      job(tx, t, 2, "IN_PROGRESS", old, "START", false);  // in progress: kept
      job(tx, t, 3, "FINISHED", young, "FINISHED", true); // young: kept
      job(tx, noExpiry, 4, "FINISHED", old, "FINISHED", true); // no expiry age: kept
      report(tx, t, 100, old, false); // never aggregated: kept
      batch(tx, t, 1, old, true);     // deleted
      batch(tx, t, 2, old, false);    // not collected: kept
      batch(tx, t, 3, young, true);   // young: kept
      collectionJob(tx, t, 1, "FINISHED", 8);  // deleted
      collectionJob(tx, t, 2, "FINISHED", 1);  // within retention: kept
      collectionJob(tx, t, 3, "START", 30);    // not ended: kept
      return null;
    });

    Map<String, Long> deleted = gc.pass();
    assertTrue(deleted.get("aggregation_jobs") >= 1, deleted.toString());

    assertEquals(2L, count("aggregation_jobs", t));
    assertEquals(2L * JOB, count("report_aggregations", t));
    // Job 2's and job 3's reports, and the one never aggregated.
    assertEquals(2L * JOB + 1, count("client_reports", t));
    assertEquals(1L, countWhere("aggregation_jobs", t, "aggregation_job_id = $2", jobId(2)));
    assertEquals(0L, countWhere("aggregation_jobs", t, "aggregation_job_id = $2", jobId(1)));
    assertEquals(2L * SHARDS, count("batch_aggregations", t));
    assertEquals(0L, countWhere("batch_aggregations", t, "batch_identifier = $2", batchId(1)));
    assertEquals(2L, count("collection_jobs", t));
    assertEquals(0L, countWhere("collection_jobs", t, "collection_job_id = $2", jobId(1)));
    assertEquals(1L, count("aggregation_jobs", noExpiry));
    assertEquals(JOB, count("client_reports", noExpiry));
    assertEquals(0L, count("tasks", longExpired));
    assertEquals(1L, count("tasks", justExpired));

    // Nothing more is due: a second pass deletes none of this task's rows.
    gc.pass();
    assertEquals(2L, count("aggregation_jobs", t));
    assertEquals(2L * JOB + 1, count("client_reports", t));
    assertEquals(2L * SHARDS, count("batch_aggregations", t));
  }

  private static final int JOB = 5;
  private static final int SHARDS = 3;

  private static byte[] jobId(int n) {
    byte[] id = new byte[16];
    id[15] = (byte) n;
    return id;
  }

  private static byte[] batchId(int n) {
    return BatchAggregationStore.intervalIdentifier(n * 3600L);
  }

  /**
   * A job of JOB reports at {@code time}, ended reports scrubbed as the driver does; never due,
   * so that no driver takes it up during the test.
   */
  private static void job(Tx tx, TaskId task, int n, String state, long time, String raState,
      boolean scrubbed) {
    tx.query("""
        INSERT INTO aggregation_jobs (task_id, aggregation_job_id, min_client_timestamp,
            max_client_timestamp, state, updated_by, lease_expiry)
        VALUES ($1, $2, $3, $3, $4, 'test', 'infinity')""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId(n)), time, state));
    for (int i = 0; i < JOB; i++) {
      int report = n * 10 + i;
      report(tx, task, report, time, scrubbed);
      tx.query("""
          INSERT INTO report_aggregations (task_id, aggregation_job_id, ord, report_id,
              client_timestamp, state, updated_by)
          VALUES ($1, $2, $3, $4, $5, $6, 'test')""",
          Tuple.tuple(java.util.List.of(Tx.buf(task.bytes()), Tx.buf(jobId(n)), i,
              Tx.buf(reportId(report)), time, raState)));
    }
  }

  private static byte[] reportId(int n) {
    byte[] id = new byte[16];
    id[14] = (byte) (n >> 8);
    id[15] = (byte) n;
    return id;
  }

  private static void report(Tx tx, TaskId task, int n, long time, boolean scrubbed) {
    tx.query("""
        INSERT INTO client_reports (task_id, report_id, client_timestamp, public_share,
            leader_input_share, helper_encrypted_input_share, aggregation_started, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'test')""",
        Tuple.tuple(java.util.Arrays.asList(Tx.buf(task.bytes()), Tx.buf(reportId(n)), time,
            scrubbed ? null : Tx.buf(new byte[0]), scrubbed ? null : Tx.buf(new byte[48]),
            scrubbed ? null : Tx.buf(new byte[64]), scrubbed)));
  }

  private static void batch(Tx tx, TaskId task, int n, long time, boolean collected) {
    for (int ord = 0; ord < SHARDS; ord++) {
      tx.query("""
          INSERT INTO batch_aggregations (task_id, batch_identifier, ord, aggregate_share,
              report_count, checksum, min_client_timestamp, max_client_timestamp, collected,
              updated_by)
          VALUES ($1, $2, $3, '\\x'::bytea, 1, $4, $5, $5, $6, 'test')""",
          Tuple.tuple(java.util.List.of(Tx.buf(task.bytes()), Tx.buf(batchId(n)), ord,
              Tx.buf(new byte[32]), time, collected)));
    }
  }

  private static void collectionJob(Tx tx, TaskId task, int n, String state, int daysAgo) {
    tx.query("""
        INSERT INTO collection_jobs (task_id, collection_job_id, query, state, updated_by,
            created_at, updated_at, lease_expiry)
        VALUES ($1, $2, '\\x00'::bytea, $3, 'test', now() - $4::bigint * interval '1 day',
                now() - $4::bigint * interval '1 day', 'infinity')""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(jobId(n)), state, (long) daysAgo));
  }

  private long count(String table, TaskId task) {
    return countWhere(table, task, "TRUE", null);
  }

  private long countWhere(String table, TaskId task, String condition, byte[] arg) {
    return datastore.inTransaction("test-count", tx -> tx.query(
        "SELECT count(*) FROM " + table + " WHERE task_id = $1 AND " + condition,
        arg == null ? Tuple.of(Tx.buf(task.bytes()))
            : Tuple.of(Tx.buf(task.bytes()), Tx.buf(arg))).iterator().next().getLong(0));
  }
}
