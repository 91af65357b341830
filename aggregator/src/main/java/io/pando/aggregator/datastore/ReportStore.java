package io.pando.aggregator.datastore;

import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The leader's {@code client_reports}: uploaded reports waiting for aggregation. */
public final class ReportStore {
  private final Tx tx;

  ReportStore(Tx tx) {
    this.tx = tx;
  }

  /** A report as the leader stores it: its own input share decrypted, the helper's sealed. */
  public record StoredReport(TaskId taskId, ReportId reportId, long clientTimestamp,
      byte[] publicShare, byte[] leaderInputShare, byte[] helperEncryptedInputShare) {}

  /**
   * Inserts the reports; a report whose id the task already has is left alone (replay
   * protection, DAP-09 §4.4.2). Returns the ids that were new.
   */
  public Set<ReportId> putIfAbsent(List<StoredReport> reports) {
    Set<ReportId> inserted = new HashSet<>();
    if (reports.isEmpty()) {
      return inserted;
    }
    // One multi-row statement: unnest of parallel arrays keeps it to a single round trip.
    List<byte[]> tasks = new ArrayList<>();
    List<byte[]> ids = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    List<byte[]> publicShares = new ArrayList<>();
    List<byte[]> leaderShares = new ArrayList<>();
    List<byte[]> helperShares = new ArrayList<>();
    for (StoredReport r : reports) {
      tasks.add(r.taskId().bytes());
      ids.add(r.reportId().bytes());
      times.add(r.clientTimestamp());
      publicShares.add(r.publicShare());
      leaderShares.add(r.leaderInputShare());
      helperShares.add(r.helperEncryptedInputShare());
    }
    RowSet<Row> rows = tx.query("""
        INSERT INTO client_reports (task_id, report_id, client_timestamp, public_share,
            leader_input_share, helper_encrypted_input_share, updated_by)
        SELECT t, r, ts, ps, ls, hs, $7
          FROM unnest($1::bytea[], $2::bytea[], $3::int8[], $4::bytea[], $5::bytea[],
                      $6::bytea[]) AS u(t, r, ts, ps, ls, hs)
        ON CONFLICT (task_id, report_id) DO NOTHING
        RETURNING task_id, report_id""",
        Tuple.tuple(List.of(
            Tx.bufs(tasks), Tx.bufs(ids), times.toArray(new Long[0]), Tx.bufs(publicShares),
            Tx.bufs(leaderShares), Tx.bufs(helperShares), tx.name())));
    for (Row row : rows) {
      inserted.add(ReportId.of(Tx.bytes(row, "report_id")));
    }
    return inserted;
  }

  /** Number of reports stored for a task (tests, admin). */
  public long count(TaskId taskId) {
    return tx.query("SELECT count(*) FROM client_reports WHERE task_id = $1",
        Tuple.of(Tx.buf(taskId.bytes()))).iterator().next().getLong(0);
  }
}
