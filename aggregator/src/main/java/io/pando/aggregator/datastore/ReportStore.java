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
      byte[] publicShare, byte[] leaderInputShare, byte[] helperEncryptedInputShare,
      boolean leaderInputShareSealed) {
    /** A report whose leader input share is in the clear (tests). */
    public StoredReport(TaskId taskId, ReportId reportId, long clientTimestamp,
        byte[] publicShare, byte[] leaderInputShare, byte[] helperEncryptedInputShare) {
      this(taskId, reportId, clientTimestamp, publicShare, leaderInputShare,
          helperEncryptedInputShare, false);
    }
  }

  /**
   * Inserts the reports; a report whose id the task already has is left alone (replay
   * protection, DAP-09 §4.4.2), and so is a report whose task is gone. Returns the ids that were
   * new. The reports' tasks are locked as a foreign key would (migration V40), once per task
   * instead of once per report.
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
    List<Boolean> sealed = new ArrayList<>();
    for (StoredReport r : reports) {
      sealed.add(r.leaderInputShareSealed());
      tasks.add(r.taskId().bytes());
      ids.add(r.reportId().bytes());
      times.add(r.clientTimestamp());
      publicShares.add(r.publicShare());
      leaderShares.add(r.leaderInputShare());
      helperShares.add(r.helperEncryptedInputShare());
    }
    RowSet<Row> rows = tx.query("""
        WITH live AS (
          SELECT task_id FROM tasks WHERE task_id = ANY($1::bytea[]) FOR KEY SHARE)
        INSERT INTO client_reports (task_id, report_id, client_timestamp, public_share,
            leader_input_share, helper_encrypted_input_share, leader_input_share_sealed,
            updated_by)
        SELECT t, r, ts, ps, ls, hs, sl, $7
          FROM unnest($1::bytea[], $2::bytea[], $3::int8[], $4::bytea[], $5::bytea[],
                      $6::bytea[], $8::bool[]) AS u(t, r, ts, ps, ls, hs, sl)
          JOIN live ON live.task_id = u.t
        ON CONFLICT (task_id, report_id) DO NOTHING
        RETURNING task_id, report_id""",
        Tuple.tuple(List.of(
            Tx.bufs(tasks), Tx.bufs(ids), times.toArray(new Long[0]), Tx.bufs(publicShares),
            Tx.bufs(leaderShares), Tx.bufs(helperShares), tx.name(),
            sealed.toArray(new Boolean[0]))));
    for (Row row : rows) {
      inserted.add(ReportId.of(Tx.bytes(row, "report_id")));
    }
    return inserted;
  }

  /** Number of reports stored for a task (tests, admin). */
  /**
   * The reports of the task with client times in {@code [start, end)} that still hold their
   * shares, in time order: the reports a collection with an aggregation parameter aggregates.
   */
  public List<UnaggregatedReport> inInterval(TaskId taskId, long start, long end) {
    List<UnaggregatedReport> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT report_id, client_timestamp FROM client_reports
         WHERE task_id = $1 AND client_timestamp >= $2 AND client_timestamp < $3
           AND public_share IS NOT NULL
         ORDER BY client_timestamp, report_id""",
        Tuple.of(Tx.buf(taskId.bytes()), start, end))) {
      out.add(new UnaggregatedReport(ReportId.of(Tx.bytes(row, "report_id")),
          row.getLong("client_timestamp"), false));
    }
    return out;
  }

  public long count(TaskId taskId) {
    return tx.query("SELECT count(*) FROM client_reports WHERE task_id = $1",
        Tuple.of(Tx.buf(taskId.bytes()))).iterator().next().getLong(0);
  }

  /** An uploaded report not yet in an aggregation job; stale once it waited past the limit. */
  public record UnaggregatedReport(ReportId reportId, long clientTimestamp, boolean stale) {}

  /**
   * Locks up to {@code limit} of the task's unaggregated reports, oldest client time first,
   * skipping rows another transaction holds. They stay unaggregated unless {@link
   * #markAggregationStarted} is called in the same transaction. A report is stale when it was
   * stored more than {@code staleAfter} ago.
   */
  public List<UnaggregatedReport> lockUnaggregated(TaskId taskId, int limit,
      java.time.Duration staleAfter) {
    List<UnaggregatedReport> out = new ArrayList<>();
    for (Row row : tx.query("""
        SELECT report_id, client_timestamp,
               created_at <= now() - $3::bigint * interval '1 millisecond' AS stale
          FROM client_reports
         WHERE task_id = $1 AND aggregation_started = FALSE
         ORDER BY client_timestamp
         LIMIT $2
           FOR UPDATE SKIP LOCKED""",
        Tuple.of(Tx.buf(taskId.bytes()), (long) limit, staleAfter.toMillis()))) {
      out.add(new UnaggregatedReport(ReportId.of(Tx.bytes(row, "report_id")),
          row.getLong("client_timestamp"), row.getBoolean("stale")));
    }
    return out;
  }

  /** Marks reports as taken by an aggregation job. */
  public void markAggregationStarted(TaskId taskId, List<ReportId> reportIds) {
    if (reportIds.isEmpty()) {
      return;
    }
    tx.query("""
        UPDATE client_reports SET aggregation_started = TRUE, updated_by = $3
         WHERE task_id = $1 AND report_id = ANY($2)""",
        Tuple.of(Tx.buf(taskId.bytes()), Tx.bufs(reportIds.stream().map(ReportId::bytes)
            .toList()), tx.name()));
  }

  /** Drops the payload of reports whose aggregation has ended; the id stays for replays. */
  public void scrub(TaskId taskId, List<ReportId> reportIds) {
    if (reportIds.isEmpty()) {
      return;
    }
    tx.query("""
        UPDATE client_reports
           SET public_share = NULL, leader_input_share = NULL,
               helper_encrypted_input_share = NULL, updated_by = $3
         WHERE task_id = $1 AND report_id = ANY($2)""",
        Tuple.of(Tx.buf(taskId.bytes()), Tx.bufs(reportIds.stream().map(ReportId::bytes)
            .toList()), tx.name()));
  }

  /** Number of the task's reports not yet in an aggregation job (tests, admin). */
  public long countUnaggregated(TaskId taskId) {
    return tx.query("""
        SELECT count(*) FROM client_reports WHERE task_id = $1 AND aggregation_started = FALSE""",
        Tuple.of(Tx.buf(taskId.bytes()))).iterator().next().getLong(0);
  }

  /** Whether reports of the task with times in {@code [start, end)} wait for aggregation. */
  public boolean anyUnaggregated(TaskId taskId, long start, long end) {
    return tx.query("""
        SELECT 1 FROM client_reports
         WHERE task_id = $1 AND aggregation_started = FALSE
           AND client_timestamp >= $2 AND client_timestamp < $3
         LIMIT 1""", Tuple.of(Tx.buf(taskId.bytes()), start, end)).size() > 0;
  }
}
