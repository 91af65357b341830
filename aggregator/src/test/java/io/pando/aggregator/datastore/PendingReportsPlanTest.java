package io.pando.aggregator.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.datastore.AggregationJobStore.LeaderJob;
import io.pando.aggregator.datastore.AggregationJobStore.PendingReport;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job driver's load of a job's reports stays an index lookup by the whole key of
 * {@code client_reports} when the statistics do not know the task: the statistics are taken while
 * only another task has reports, then a new task gets a backlog and a job, as a task provisioned
 * during traffic does before the next ANALYZE.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class PendingReportsPlanTest {
  static final int REPORTS = 2000;
  static final int JOB_SIZE = 500;

  @Inject TaskService tasks;
  @Inject Datastore datastore;

  @Test
  void reportsOfAJobAreLookedUpByTheirKeyWhateverTheStatistics() throws Exception {
    TaskId known = leaderTask(tasks);
    TaskId fresh = leaderTask(tasks);
    byte[] job = new byte[16];

    String plan = datastore.inTransaction("test-plan", tx -> {
      seed(tx, known, job, "FINISHED");
      tx.query("ANALYZE client_reports");
      tx.query("ANALYZE report_aggregations");
      seed(tx, fresh, job, "START");
      return tx.query("EXPLAIN (FORMAT JSON) " + AggregationJobStore.PENDING_REPORTS,
          Tuple.of(Tx.buf(fresh.bytes()), Tx.buf(job))).iterator().next().getValue(0).toString();
    });

    List<JsonNode> scans = new ArrayList<>();
    collect(new ObjectMapper().readTree(plan).get(0).get("Plan"), scans);
    assertEquals(1, scans.size(), plan);
    JsonNode scan = scans.get(0);
    assertTrue(scan.path("Node Type").asText().contains("Index"), plan);
    String cond = scan.path("Index Cond").asText();
    assertTrue(cond.contains("task_id") && cond.contains("report_id"), plan);

    LeaderJob loaded = datastore.inTransaction("test-load",
        tx -> tx.aggregationJobs().load(fresh, job)).orElseThrow();
    assertEquals(JOB_SIZE, loaded.reports().size());
    for (int i = 0; i < JOB_SIZE; i++) {
      PendingReport r = loaded.reports().get(i);
      assertEquals(i, r.ord());
      assertEquals(1000L + i, r.clientTimestamp());
      assertNotNull(r.leaderInputShare());
      assertEquals(48, r.leaderInputShare().length);
    }
  }

  /** A new Prio3Count leader task (its helper is never called). */
  static TaskId leaderTask(TaskService tasks) {
    TaskId id = TaskId.random();
    tasks.put(Tasks.leader(id, Map.of("type", "Prio3Count"), "http://127.0.0.1:9/"));
    return id;
  }

  /** Every plan node that reads {@code client_reports}. */
  private static void collect(JsonNode node, List<JsonNode> out) {
    if ("client_reports".equals(node.path("Relation Name").asText())) {
      out.add(node);
    }
    for (JsonNode child : node.path("Plans")) {
      collect(child, out);
    }
  }

  /** REPORTS reports of the task, the first JOB_SIZE of them in one job, in {@code state}. */
  static void seed(Tx tx, TaskId task, byte[] job, String state) {
    tx.query("""
        INSERT INTO client_reports (task_id, report_id, client_timestamp, public_share,
            leader_input_share, helper_encrypted_input_share, aggregation_started, updated_by)
        SELECT $1, decode(lpad(to_hex(i), 32, '0'), 'hex'), 1000 + i, '\\x'::bytea,
               decode(repeat('11', 48), 'hex'), decode(repeat('22', 120), 'hex'), i < $3, 'test'
          FROM generate_series(0, $2 - 1) i""",
        Tuple.of(Tx.buf(task.bytes()), REPORTS, JOB_SIZE));
    tx.query("""
        INSERT INTO aggregation_jobs (task_id, aggregation_job_id, min_client_timestamp,
            max_client_timestamp, state, updated_by)
        VALUES ($1, $2, 1000, 1000 + $3 - 1, 'FINISHED', 'test')""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(job), JOB_SIZE));
    tx.query("""
        INSERT INTO report_aggregations (task_id, aggregation_job_id, ord, report_id,
            client_timestamp, state, updated_by)
        SELECT $1, $2, i, decode(lpad(to_hex(i), 32, '0'), 'hex'), 1000 + i, $4, 'test'
          FROM generate_series(0, $3 - 1) i""",
        Tuple.of(Tx.buf(task.bytes()), Tx.buf(job), JOB_SIZE, state));
  }
}
