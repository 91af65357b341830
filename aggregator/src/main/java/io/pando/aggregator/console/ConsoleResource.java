package io.pando.aggregator.console;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pando.aggregator.datastore.AggregationJobStore;
import io.pando.aggregator.datastore.BatchAggregationStore;
import io.pando.aggregator.datastore.BatchAggregationStore.BatchSummary;
import io.pando.aggregator.datastore.CollectionJobStore;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.ParkedJob;
import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.TaskId;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the operator console ({@code /console/} on the management port) reads besides the admin
 * API: a task's batches with their progress toward the minimum batch size, its jobs with the
 * parked ones first, and a collection run on the operator's behalf as the collector ({@link
 * ConsoleCollector}). Admin token, management port only, like every {@code /admin} route.
 */
@Access(Access.Caller.ADMIN)
@Path("/admin/console")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "console")
public class ConsoleResource {
  /** At most this many batches and jobs of each kind are listed (the newest). */
  static final int LIMIT = 200;

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject ConsoleCollector collector;

  /** One batch: reports aggregated into it so far against the task's minimum batch size. */
  public record Batch(
      @JsonProperty("batch") String batch,
      @JsonProperty("interval_start") Long intervalStart,
      @JsonProperty("report_count") long reportCount,
      @JsonProperty("min_batch_size") long minBatchSize,
      @JsonProperty("collected") boolean collected,
      @JsonProperty("min_client_timestamp") Long minClientTimestamp,
      @JsonProperty("max_client_timestamp") Long maxClientTimestamp) {}

  /** One aggregation or collection job; the parking fields are null unless it is parked. */
  public record Job(
      @JsonProperty("kind") String kind,
      @JsonProperty("job_id") String jobId,
      @JsonProperty("state") String state,
      @JsonProperty("attempts") int attempts,
      @JsonProperty("reports") Long reports,
      @JsonProperty("parked") boolean parked,
      @JsonProperty("parked_reason") String parkedReason,
      @JsonProperty("parked_since") String parkedSince) {}

  @GET
  @Path("/tasks/{taskId}/batches")
  @Blocking
  @Operation(summary = "A task's batches: reports aggregated so far and the minimum batch size")
  public List<Batch> batches(@PathParam("taskId") String taskId) {
    Task task = task(taskId);
    boolean interval = task.queryType() == Task.QueryKind.TIME_INTERVAL;
    List<BatchSummary> rows = datastore.inTransaction("console-batches",
        tx -> tx.batchAggregations().summaries(task.id(), LIMIT));
    return rows.stream().map(b -> new Batch(b64(b.batchIdentifier()),
        interval ? BatchAggregationStore.intervalStart(b.batchIdentifier()) : null,
        b.reportCount(), task.minBatchSize(), b.collected(), b.minClientTimestamp(),
        b.maxClientTimestamp())).toList();
  }

  @GET
  @Path("/tasks/{taskId}/jobs")
  @Blocking
  @Operation(summary = "A task's aggregation and collection jobs, parked ones first")
  public List<Job> jobs(@PathParam("taskId") String taskId) {
    Task task = task(taskId);
    return datastore.inTransaction("console-jobs", tx -> {
      Map<String, ParkedJob> parked = new HashMap<>();
      for (JobKind kind : JobKind.values()) {
        for (ParkedJob p : tx.leases().parked(kind.table(), 1000)) {
          if (p.job().taskId().equals(task.id())) {
            parked.put(kind.label() + "/" + b64(p.job().jobId()), p);
          }
        }
      }
      List<Job> out = new ArrayList<>();
      for (AggregationJobStore.JobSummary j : newest(tx.aggregationJobs().jobs(task.id()))) {
        out.add(job(JobKind.AGGREGATION, j.jobId(), j.state(), j.attempts(), (long) j.reports(),
            parked));
      }
      for (CollectionJobStore.Summary j : newest(tx.collectionJobs().list(task.id()))) {
        out.add(job(JobKind.COLLECTION, j.jobId(), j.state(), j.attempts(), j.reportCount(),
            parked));
      }
      // Parked first (oldest parking first), then the rest as listed: newest last.
      List<Job> sorted = new ArrayList<>(out.stream().filter(Job::parked)
          .sorted(Comparator.comparing(Job::parkedSince)).toList());
      sorted.addAll(out.stream().filter(j -> !j.parked()).toList());
      return sorted;
    });
  }

  @POST
  @Path("/tasks/{taskId}/collect")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Collect as the collector, with its token and key for this request only")
  public ConsoleCollector.Result collect(@PathParam("taskId") String taskId,
      ConsoleCollector.Request request) {
    Task task = task(taskId);
    if (!task.isLeader()) {
      throw ProblemException.badRequest("only a leader task can be collected here");
    }
    if (request == null) {
      throw ProblemException.badRequest("a collect request is required");
    }
    return collector.collect(task, request);
  }

  private static <T> List<T> newest(List<T> oldestFirst) {
    return oldestFirst.subList(Math.max(0, oldestFirst.size() - LIMIT), oldestFirst.size());
  }

  private static Job job(JobKind kind, byte[] id, String state, int attempts, Long reports,
      Map<String, ParkedJob> parked) {
    ParkedJob p = parked.get(kind.label() + "/" + b64(id));
    return new Job(kind.label(), b64(id), state, attempts, reports, p != null,
        p == null ? null : p.reason(), p == null ? null : p.since().toString());
  }

  private Task task(String taskId) {
    TaskId id;
    try {
      id = TaskId.fromBase64Url(taskId);
    } catch (RuntimeException e) {
      throw ProblemException.badRequest("malformed task id");
    }
    return tasks.get(id).orElseThrow(() -> ProblemException.notFound("no such task"));
  }

  static String b64(byte[] b) {
    return b == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
