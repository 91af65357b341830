package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-task counters ({@code task_counters}), sharded by a random ord so that concurrent writers
 * rarely touch the same row.
 */
public final class CounterStore {
  /** Shards per counter. */
  public static final int SHARDS = 16;

  /** Adds to a counter; counts for a task deleted meanwhile are dropped, not retried forever. */
  private static final String UPSERT = """
      INSERT INTO task_counters (task_id, counter, ord, value)
      SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM tasks WHERE task_id = $1)
      ON CONFLICT (task_id, counter, ord) DO UPDATE SET value = task_counters.value + $4""";

  private final Tx tx;

  CounterStore(Tx tx) {
    this.tx = tx;
  }

  /** Adds {@code delta} to a counter. */
  public void add(TaskId taskId, String counter, long delta) {
    if (delta == 0) {
      return;
    }
    tx.query(UPSERT,
        Tuple.of(Tx.buf(taskId.bytes()), counter,
            ThreadLocalRandom.current().nextInt(SHARDS), delta));
  }

  /** Adds many deltas, one statement each. */
  public void addAll(Map<TaskId, Map<String, Long>> deltas) {
    List<Tuple> rows = new ArrayList<>();
    deltas.forEach((task, m) -> m.forEach((counter, delta) -> {
      if (delta != 0) {
        rows.add(Tuple.of(Tx.buf(task.bytes()), counter,
            ThreadLocalRandom.current().nextInt(SHARDS), delta));
      }
    }));
    if (!rows.isEmpty()) {
      tx.batch(UPSERT, rows);
    }
  }

  /** Every counter of a task, summed over shards. */
  public Map<String, Long> get(TaskId taskId) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Row row : tx.query("""
        SELECT counter, sum(value) FROM task_counters WHERE task_id = $1
        GROUP BY counter ORDER BY counter""", Tuple.of(Tx.buf(taskId.bytes())))) {
      out.put(row.getString(0), row.getLong(1));
    }
    return out;
  }
}
