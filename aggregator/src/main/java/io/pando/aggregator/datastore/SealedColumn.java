package io.pando.aggregator.datastore;

import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import java.util.List;
import java.util.function.Function;

/**
 * A column whose values {@link Crypter} seals: its table, the primary-key columns that order a
 * scan and name a row, which rows hold a sealed value, and the AAD row each value is bound to
 * (the same bytes its writer passes to {@link Crypter#encrypt}).
 */
record SealedColumn(String table, String column, List<String> key, String sealedWhere,
    Function<Row, byte[]> aadRow) {

  /** Every sealed column of the schema. */
  static final List<SealedColumn> ALL = List.of(
      new SealedColumn("tasks", "vdaf_verify_key", List.of("task_id"), "TRUE",
          r -> Tx.bytes(r, "task_id")),
      new SealedColumn("tasks", "aggregator_auth_token", List.of("task_id"),
          "aggregator_auth_token IS NOT NULL", r -> Tx.bytes(r, "task_id")),
      new SealedColumn("hpke_keys", "private_key", List.of("config_id"), "TRUE",
          r -> new byte[] {r.getShort("config_id").byteValue()}),
      new SealedColumn("ohttp_keys", "private_key", List.of("key_id"), "TRUE",
          r -> new byte[] {r.getShort("key_id").byteValue()}),
      new SealedColumn("client_reports", "leader_input_share", List.of("task_id", "report_id"),
          "leader_input_share_sealed AND leader_input_share IS NOT NULL",
          r -> Crypter.reportRow(TaskId.of(Tx.bytes(r, "task_id")),
              ReportId.of(Tx.bytes(r, "report_id")))),
      new SealedColumn("batch_aggregations", "aggregate_share",
          List.of("task_id", "batch_identifier", "aggregation_param_hash", "ord"),
          "aggregate_share_sealed AND aggregate_share IS NOT NULL",
          r -> Crypter.batchRow(TaskId.of(Tx.bytes(r, "task_id")),
              BatchAggregationStore.sealedRow(Tx.bytes(r, "batch_identifier"),
                  Tx.bytes(r, "aggregation_param_hash")), r.getInteger("ord"))),
      new SealedColumn("report_aggregations", "prep_state",
          List.of("task_id", "aggregation_job_id", "ord"), "prep_state IS NOT NULL",
          r -> Crypter.reportAggregationRow(TaskId.of(Tx.bytes(r, "task_id")),
              io.pando.dap.messages.AggregationJobId.of(Tx.bytes(r, "aggregation_job_id")),
              r.getInteger("ord"))));

  /** {@code table.column}, for logs and metrics. */
  String name() {
    return table + "." + column;
  }
}
