package io.pando.aggregator.datastore;

import io.pando.dap.messages.TaskId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code helper_deferred_requests} (V101): the DAP-18 requests the asynchronous helper answered
 * with "processing" (DAP-18 §3, "Asynchronous Request Handling"), until its driver has handled
 * them. A row is claimed with a lease, so that replicas share the work and a crashed driver's row
 * is taken up again; handling is idempotent, so handling a row twice changes nothing.
 */
public final class DeferredRequestStore {
  private final Tx tx;

  DeferredRequestStore(Tx tx) {
    this.tx = tx;
  }

  /** The helper resources whose creation may be deferred. */
  public enum Resource {
    AGGREGATION_JOB("aggregation_job"),
    AGGREGATE_SHARE("aggregate_share");

    private final String column;

    Resource(String column) {
      this.column = column;
    }

    static Resource of(String column) {
      for (Resource r : values()) {
        if (r.column.equals(column)) {
          return r;
        }
      }
      throw new IllegalStateException("unknown deferred resource " + column);
    }
  }

  /** A deferred request. */
  public record Deferred(TaskId taskId, Resource resource, byte[] resourceId, byte[] body,
      int attempts) {}

  /** What a failed request met, to answer a GET of its resource. */
  public record Failure(String source, String type, String detail) {}

  /** Where a deferred resource stands. */
  public sealed interface Status {
    record Pending() implements Status {}

    record Failed(Failure failure) implements Status {}
  }

  /** Records a request to handle later; false if one with this resource id is there already. */
  public boolean insert(TaskId task, Resource resource, byte[] resourceId, byte[] body) {
    return tx.query("""
        INSERT INTO helper_deferred_requests (task_id, resource, resource_id, body)
        VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
        Tuple.of(Tx.buf(task.bytes()), resource.column, Tx.buf(resourceId), Tx.buf(body)))
        .rowCount() == 1;
  }

  /** The request's body, if it is deferred (pending or failed). */
  public Optional<byte[]> body(TaskId task, Resource resource, byte[] resourceId) {
    for (Row row : tx.query("""
        SELECT body FROM helper_deferred_requests
         WHERE task_id = $1 AND resource = $2 AND resource_id = $3""",
        Tuple.of(Tx.buf(task.bytes()), resource.column, Tx.buf(resourceId)))) {
      return Optional.of(Tx.bytes(row, "body"));
    }
    return Optional.empty();
  }

  /** Whether the resource waits for the driver or failed there; empty: not deferred. */
  public Optional<Status> status(TaskId task, Resource resource, byte[] resourceId) {
    for (Row row : tx.query("""
        SELECT state, problem_source, problem_type, problem_detail FROM helper_deferred_requests
         WHERE task_id = $1 AND resource = $2 AND resource_id = $3""",
        Tuple.of(Tx.buf(task.bytes()), resource.column, Tx.buf(resourceId)))) {
      return Optional.of(row.getString("state").equals("pending")
          ? new Status.Pending()
          : new Status.Failed(new Failure(row.getString("problem_source"),
              row.getString("problem_type"), row.getString("problem_detail"))));
    }
    return Optional.empty();
  }

  /**
   * Leases up to {@code limit} pending requests whose lease is free or expired, oldest first;
   * rows other transactions are claiming are skipped.
   */
  public List<Deferred> claim(Duration lease, int limit) {
    List<Deferred> out = new ArrayList<>();
    for (Row row : tx.query("""
        UPDATE helper_deferred_requests d
           SET lease_expiry = now() + $1 * interval '1 millisecond', attempts = d.attempts + 1
          FROM (SELECT task_id, resource, resource_id FROM helper_deferred_requests
                 WHERE state = 'pending' AND (lease_expiry IS NULL OR lease_expiry < now())
                 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) c
         WHERE d.task_id = c.task_id AND d.resource = c.resource
           AND d.resource_id = c.resource_id
        RETURNING d.task_id, d.resource, d.resource_id, d.body, d.attempts""",
        Tuple.of(lease.toMillis(), limit))) {
      out.add(new Deferred(TaskId.of(Tx.bytes(row, "task_id")),
          Resource.of(row.getString("resource")), Tx.bytes(row, "resource_id"),
          Tx.bytes(row, "body"), row.getInteger("attempts")));
    }
    return out;
  }

  /** The request was handled: its resource now answers for itself. */
  public void done(TaskId task, Resource resource, byte[] resourceId) {
    tx.query("""
        DELETE FROM helper_deferred_requests
         WHERE task_id = $1 AND resource = $2 AND resource_id = $3""",
        Tuple.of(Tx.buf(task.bytes()), resource.column, Tx.buf(resourceId)));
  }

  /** The request failed for a reason its sender caused: GET answers {@code failure}. */
  public void failed(TaskId task, Resource resource, byte[] resourceId, Failure failure) {
    tx.query("""
        UPDATE helper_deferred_requests
           SET state = 'failed', lease_expiry = NULL, problem_source = $4, problem_type = $5,
               problem_detail = $6
         WHERE task_id = $1 AND resource = $2 AND resource_id = $3""",
        Tuple.of(Tx.buf(task.bytes()), resource.column, Tx.buf(resourceId))
            .addString(failure.source()).addString(failure.type()).addString(failure.detail()));
  }

  /** A transient failure: the request is taken up again after {@code delay}. */
  public void retryAfter(TaskId task, Resource resource, byte[] resourceId, Duration delay) {
    tx.query("""
        UPDATE helper_deferred_requests SET lease_expiry = now() + $4 * interval '1 millisecond'
         WHERE task_id = $1 AND resource = $2 AND resource_id = $3 AND state = 'pending'""",
        Tuple.of(Tx.buf(task.bytes()), resource.column, Tx.buf(resourceId), delay.toMillis()));
  }

  /** Deletes failures older than {@code age}; returns how many. */
  public int deleteFailuresOlderThan(Duration age) {
    return tx.query("""
        DELETE FROM helper_deferred_requests
         WHERE state = 'failed' AND created_at < now() - $1 * interval '1 millisecond'""",
        Tuple.of(age.toMillis())).rowCount();
  }
}
