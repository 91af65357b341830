package io.pando.aggregator.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.datastore.ReportStore.StoredReport;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the foreign keys of the per-report tables gave, kept without them (migration V40): no
 * report is stored for a task that does not exist, and deleting a task deletes its reports and
 * report aggregations.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class PerReportRowsTest {
  @Inject TaskService tasks;
  @Inject Datastore datastore;

  @Test
  void aReportOfAMissingTaskIsNotStoredAndTheOthersOfItsBatchAre() {
    TaskId live = PendingReportsPlanTest.leaderTask(tasks);
    TaskId missing = TaskId.random();
    ReportId a = ReportId.random();
    ReportId b = ReportId.random();
    Set<ReportId> inserted = datastore.inTransaction("test-put", tx -> tx.reports().putIfAbsent(
        List.of(report(live, a), report(missing, b))));
    assertEquals(Set.of(a), inserted);
    assertEquals(1L, rows("client_reports", live));
    assertEquals(0L, rows("client_reports", missing));
  }

  @Test
  void deletingATaskDeletesItsReportsAndReportAggregations() {
    TaskId doomed = PendingReportsPlanTest.leaderTask(tasks);
    TaskId kept = PendingReportsPlanTest.leaderTask(tasks);
    byte[] job = new byte[16];
    datastore.inTransaction("test-seed", tx -> {
      PendingReportsPlanTest.seed(tx, doomed, job, "START");
      PendingReportsPlanTest.seed(tx, kept, job, "START");
      return null;
    });
    assertEquals(PendingReportsPlanTest.REPORTS, rows("client_reports", doomed));
    assertEquals(PendingReportsPlanTest.JOB_SIZE, rows("report_aggregations", doomed));

    assertTrue(tasks.delete(doomed));

    for (String table : List.of("client_reports", "report_aggregations", "aggregation_jobs")) {
      assertEquals(0L, rows(table, doomed), table);
    }
    assertEquals(PendingReportsPlanTest.REPORTS, rows("client_reports", kept));
    assertEquals(PendingReportsPlanTest.JOB_SIZE, rows("report_aggregations", kept));
  }

  private static StoredReport report(TaskId task, ReportId id) {
    return new StoredReport(task, id, 1_700_000_000L, new byte[0], new byte[48], new byte[64]);
  }

  private long rows(String table, TaskId task) {
    return datastore.inTransaction("test-count", tx -> tx.query(
        "SELECT count(*) FROM " + table + " WHERE task_id = $1", Tuple.of(Tx.buf(task.bytes())))
        .iterator().next().getLong(0));
  }
}
