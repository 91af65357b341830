package io.pando.interop;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.core.vdaf.InteropVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collector of the interop test API (draft-dcook-ppm-dap-interop-test-design, "Collector"):
 * {@code add_task} generates an X25519/HKDF-SHA256/AES-128-GCM key pair for the task (DAP-09
 * §6's mandatory suite) and answers its HPKE config; {@code collection_start} sends the
 * CollectionReq to the leader and answers a handle; {@code collection_poll} polls the leader
 * once and, when the collection is ready, answers the decrypted and unsharded result with VDAF
 * integers as base-10 strings. The collector token goes in {@code DAP-Auth-Token}, as the draft
 * requires. State lives in memory for the process's lifetime.
 */
public final class InteropCollector {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<TaskId, CollectorTask> tasks = new ConcurrentHashMap<>();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  /** The body of {@code add_task}. */
  public record AddTaskRequest(
      @JsonProperty("task_id") String taskId,
      @JsonProperty("leader") String leader,
      @JsonProperty("vdaf") Map<String, Object> vdaf,
      @JsonProperty("collector_authentication_token") String collectorAuthenticationToken,
      @JsonProperty("query_type") Integer queryType) {
    @Override
    public String toString() {
      return "AddTaskRequest[" + taskId + ", " + leader + ", " + vdaf + ", token redacted]";
    }
  }

  /** The answer of {@code add_task}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AddTaskResponse(
      @JsonProperty("status") String status,
      @JsonProperty("collector_hpke_config") String collectorHpkeConfig) {}

  /** The {@code query} object (draft "Query"): DAP QueryType code and its parameters. */
  public record QueryObject(
      @JsonProperty("type") Integer type,
      @JsonProperty("batch_interval_start") Long batchIntervalStart,
      @JsonProperty("batch_interval_duration") Long batchIntervalDuration,
      @JsonProperty("subtype") Integer subtype,
      @JsonProperty("batch_id") String batchId) {

    /** The DAP query. */
    Query<?> toQuery() {
      int t = Fields.required(type, "query.type");
      return switch (t) {
        case 1 -> Query.timeInterval(Interval.of(
            Fields.required(batchIntervalStart, "query.batch_interval_start"),
            Fields.required(batchIntervalDuration, "query.batch_interval_duration")));
        case 2 -> switch (Fields.required(subtype, "query.subtype")) {
          case 0 -> {
            byte[] id = Fields.base64url(batchId, "query.batch_id");
            if (id.length != BatchId.LENGTH) {
              throw new IllegalArgumentException("query.batch_id must be " + BatchId.LENGTH
                  + " bytes");
            }
            yield Query.byBatchId(BatchId.of(id));
          }
          case 1 -> Query.currentBatch();
          default -> throw new IllegalArgumentException(
              "query.subtype must be 0 (by batch id) or 1 (current batch), got " + subtype);
        };
        default -> throw new IllegalArgumentException(
            "query.type must be 1 (time interval) or 2 (fixed size), got " + t);
      };
    }
  }

  /** The body of {@code collection_start}. */
  public record CollectionStartRequest(
      @JsonProperty("task_id") String taskId,
      @JsonProperty("agg_param") String aggParam,
      @JsonProperty("query") QueryObject query) {}

  /** The answer of {@code collection_start}. */
  public record CollectionStartResponse(
      @JsonProperty("status") String status,
      @JsonProperty("handle") String handle) {}

  /** The body of {@code collection_poll}. */
  public record CollectionPollRequest(@JsonProperty("handle") String handle) {}

  /**
   * The answer of {@code collection_poll}: status "complete", "in progress" or "error"; once
   * complete the batch id (fixed size), the report count, the collection's interval and the
   * result, a base-10 string or an array of them.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CollectionPollResponse(
      @JsonProperty("status") String status,
      @JsonProperty("error") String error,
      @JsonProperty("batch_id") String batchId,
      @JsonProperty("report_count") Long reportCount,
      @JsonProperty("interval_start") Long intervalStart,
      @JsonProperty("interval_duration") Long intervalDuration,
      @JsonProperty("result") Object result) {
    static final String COMPLETE = "complete";
    static final String IN_PROGRESS = "in progress";

    static CollectionPollResponse inProgress() {
      return new CollectionPollResponse(IN_PROGRESS, null, null, null, null, null, null);
    }

    static CollectionPollResponse error(String message) {
      return new CollectionPollResponse(Status.ERROR, message, null, null, null, null, null);
    }

    static CollectionPollResponse complete(CollectionResult<?> r) {
      return new CollectionPollResponse(COMPLETE, null,
          r.batchId().map(b -> Fields.base64url(b.bytes())).orElse(null), r.reportCount(),
          r.interval().start().seconds(), r.interval().duration().seconds(),
          decimal(r.aggregate()));
    }

    /** "integer values ... encoded as strings in base 10". */
    static Object decimal(Object aggregate) {
      if (aggregate instanceof List<?> l) {
        return l.stream().map(String::valueOf).toList();
      }
      return String.valueOf(aggregate);
    }
  }

  private record CollectorTask(TaskId id, URI leader, VdafInstance vdaf, String token,
      int queryType, HpkeKeypair key) {
    @Override
    public String toString() {
      return "CollectorTask[" + id + ", " + leader + ", " + vdaf.type() + ", secrets redacted]";
    }
  }

  /** A started collection job; {@code result} is kept once the leader has answered it. */
  private static final class Job {
    final Collector<?> collector;
    final CollectionJobId id;
    final Query<?> query;
    volatile CollectionResult<?> result;

    Job(Collector<?> collector, CollectionJobId id, Query<?> query) {
      this.collector = collector;
      this.id = id;
      this.query = query;
    }
  }

  /** The commands, for {@link TestApiServer}. */
  public Map<String, TestApiServer.Command<?>> commands() {
    return Map.of(
        "ready", new TestApiServer.Command<>(Map.class, r -> Map.of()),
        "add_task", new TestApiServer.Command<>(AddTaskRequest.class, this::addTask),
        "collection_start",
        new TestApiServer.Command<>(CollectionStartRequest.class, this::collectionStart),
        "collection_poll",
        new TestApiServer.Command<>(CollectionPollRequest.class, this::collectionPoll));
  }

  Object addTask(AddTaskRequest r) throws Exception {
    TaskId id = Fields.taskId(r.taskId());
    URI leader = Fields.absoluteUrl(r.leader(), "leader");
    VdafInstance vdaf = InteropVdaf.parse(Fields.required(r.vdaf(), "vdaf"));
    String token = Fields.token(r.collectorAuthenticationToken(),
        "collector_authentication_token");
    int queryType = Fields.required(r.queryType(), "query_type");
    if (queryType != 1 && queryType != 2) {
      throw new IllegalArgumentException(
          "query_type must be 1 (time interval) or 2 (fixed size), got " + queryType);
    }
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(RANDOM.nextInt(256)),
        HpkeSuite.X25519_SHA256_AES128GCM);
    if (tasks.putIfAbsent(id, new CollectorTask(id, leader, vdaf, token, queryType, key))
        != null) {
      throw new IllegalArgumentException("task " + id + " was already added");
    }
    return new AddTaskResponse(Status.SUCCESS, Fields.base64url(key.config().encode()));
  }

  Object collectionStart(CollectionStartRequest r) throws CollectorException {
    TaskId id = Fields.taskId(r.taskId());
    if (Fields.base64url(r.aggParam(), "agg_param").length != 0) {
      throw new IllegalArgumentException("agg_param must be empty: Prio3 has no aggregation"
          + " parameter");
    }
    CollectorTask task = tasks.get(id);
    if (task == null) {
      throw new IllegalArgumentException("task " + id + " was not added to this collector");
    }
    Query<?> query = Fields.required(r.query(), "query").toQuery();
    int type = query instanceof Query.TimeInterval ? 1 : 2;
    if (type != task.queryType()) {
      throw new IllegalArgumentException("query.type " + type + " differs from the task's"
          + " query_type " + task.queryType());
    }
    Collector<?> collector = new Collector<>(task.id(), task.leader(), task.token(),
        Collector.AuthHeader.DAP_AUTH_TOKEN, task.key(), task.vdaf().prio3(), http);
    CollectionJobId jobId = collector.start(query);
    byte[] h = new byte[16];
    RANDOM.nextBytes(h);
    String handle = Fields.base64url(h);
    jobs.put(handle, new Job(collector, jobId, query));
    return new CollectionStartResponse(Status.SUCCESS, handle);
  }

  Object collectionPoll(CollectionPollRequest r) {
    Job job = jobs.get(Fields.required(r.handle(), "handle"));
    if (job == null) {
      return CollectionPollResponse.error("unknown handle " + r.handle());
    }
    if (job.result == null) {
      try {
        if (!(job.collector.poll(job.id, job.query) instanceof Collector.Poll.Ready<?> ready)) {
          return CollectionPollResponse.inProgress();
        }
        job.result = ready.result();
      } catch (CollectorException e) {
        return CollectionPollResponse.error(e.getMessage());
      }
    }
    return CollectionPollResponse.complete(job.result);
  }
}
