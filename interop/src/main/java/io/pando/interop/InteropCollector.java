package io.pando.interop;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.Poplar1Collector;
import io.pando.codec.DecodeException;
import io.pando.collector.CollectorException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.core.vdaf.InteropVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collector of the interop test API (draft-dcook-ppm-dap-interop-test-design, "Collector"):
 * {@code add_task} generates an X25519/HKDF-SHA256/AES-128-GCM key pair for the task (DAP-09
 * §6's mandatory suite) and answers its HPKE config; {@code collection_start} sends the
 * CollectionReq to the leader and answers a handle; {@code collection_poll} polls the leader
 * once and, when the collection is ready, answers the decrypted and unsharded result with VDAF
 * integers as base-10 strings. A Poplar1 task's {@code agg_param} is base64url of its encoded
 * aggregation parameter and its result the prefix counts in the parameter's order. The collector
 * token goes in {@code DAP-Auth-Token}, as the draft
 * requires. State lives in memory for the process's lifetime.
 *
 * <p>Under {@code /dap-18/internal/test/} the same commands serve DAP-18 tasks: {@code add_task}
 * also takes what goes into the task's TaskConfiguration ({@link Dap18Task}) and the collection
 * goes through DAP-18's collection jobs (§4.6); {@code collection_start}'s query is {@code type}
 * 1 (time_interval, {@code batch_interval_start} and {@code batch_interval_duration} in seconds)
 * or 2 (leader_selected: the leader's next batch; {@code subtype} absent or 1); {@code
 * collection_poll} answers as for DAP-09, without {@code batch_id} (DAP-18 collections do not
 * return one).
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

  /**
   * The body of {@code /dap-18/internal/test/add_task}: the DAP-09 fields without {@code
   * query_type}, with {@code helper}, {@code time_precision}, {@code batch_mode}, {@code
   * min_batch_size} and {@code task_info} (optional), which go into the TaskConfiguration;
   * {@code vdaf} with draft-20 parameters.
   */
  public record Dap18AddTaskRequest(
      @JsonProperty("task_id") String taskId,
      @JsonProperty("leader") String leader,
      @JsonProperty("helper") String helper,
      @JsonProperty("vdaf") Map<String, Object> vdaf,
      @JsonProperty("collector_authentication_token") String collectorAuthenticationToken,
      @JsonProperty("time_precision") Long timePrecision,
      @JsonProperty("batch_mode") Integer batchMode,
      @JsonProperty("min_batch_size") Long minBatchSize,
      @JsonProperty("task_info") String taskInfo) {
    @Override
    public String toString() {
      return "Dap18AddTaskRequest[" + taskId + ", " + leader + ", " + vdaf + ", token redacted]";
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

  /** A DAP-18 task: its collector holds the TaskConfiguration and the key pair. */
  private record Dap18CollectorTask(TaskId id, Collector<?> collector,
      Poplar1Collector poplar1) {}

  /** Polls a collection job once. */
  @FunctionalInterface
  private interface PollOnce {
    Collector.Poll<?> poll() throws CollectorException;
  }

  /**
   * A started collection job of a DAP-09 or a DAP-18 task; {@code result} is kept once the
   * leader has answered it.
   */
  private static final class Job {
    final DapVersion version;
    final PollOnce poll;
    volatile CollectionResult<?> result;

    Job(DapVersion version, PollOnce poll) {
      this.version = version;
      this.poll = poll;
    }
  }

  private final Map<TaskId, Dap18CollectorTask> dap18Tasks = new ConcurrentHashMap<>();

  /** The commands, for {@link TestApiServer}. */
  public Map<String, TestApiServer.Command<?>> commands() {
    String v09 = TestApiServer.DAP09;
    String v18 = TestApiServer.DAP18;
    return Map.of(
        v09 + "ready", new TestApiServer.Command<>(Map.class, r -> Map.of()),
        v09 + "add_task", new TestApiServer.Command<>(AddTaskRequest.class, this::addTask),
        v09 + "collection_start",
        new TestApiServer.Command<>(CollectionStartRequest.class, this::collectionStart),
        v09 + "collection_poll", new TestApiServer.Command<>(CollectionPollRequest.class,
            r -> collectionPoll(DapVersion.DAP_09, r)),
        v18 + "ready", new TestApiServer.Command<>(Map.class, r -> Map.of()),
        v18 + "add_task",
        new TestApiServer.Command<>(Dap18AddTaskRequest.class, this::addTaskDap18),
        v18 + "collection_start",
        new TestApiServer.Command<>(CollectionStartRequest.class, this::collectionStartDap18),
        v18 + "collection_poll", new TestApiServer.Command<>(CollectionPollRequest.class,
            r -> collectionPoll(DapVersion.DAP_18, r)));
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

  Object addTaskDap18(Dap18AddTaskRequest r) throws Exception {
    TaskId id = Fields.taskId(r.taskId());
    Dap18Task task = Dap18Task.of(r.leader(), r.helper(), r.vdaf(), r.timePrecision(),
        r.batchMode(), r.minBatchSize(), r.taskInfo());
    String token = Fields.token(r.collectorAuthenticationToken(),
        "collector_authentication_token");
    HpkeKeypair key = HpkeKeypair.generate(HpkeConfigId.of(RANDOM.nextInt(256)),
        HpkeSuite.X25519_SHA256_AES128GCM);
    Poplar1Collector poplar1 = null;
    Collector<?> collector;
    if (task.vdaf() instanceof VdafInstance.Poplar1) {
      poplar1 = Poplar1Collector.dap18(id, task.configuration(), token,
          Collector.AuthHeader.DAP_AUTH_TOKEN, key, http);
      collector = poplar1.collector();
    } else {
      collector = Collector.dap18(id, task.configuration(), token,
          Collector.AuthHeader.DAP_AUTH_TOKEN, key,
          Dap18Vdafs.prio3(task.configuration().vdaf()), http);
    }
    if (dap18Tasks.putIfAbsent(id, new Dap18CollectorTask(id, collector, poplar1)) != null) {
      throw new IllegalArgumentException("task " + id + " was already added");
    }
    return new AddTaskResponse(Status.SUCCESS, Fields.base64url(key.config().encode()));
  }

  Object collectionStart(CollectionStartRequest r) throws CollectorException {
    TaskId id = Fields.taskId(r.taskId());
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
    if (task.vdaf() instanceof VdafInstance.Poplar1 p) {
      Poplar1Collector poplar1 = new Poplar1Collector(task.id(), task.leader(), task.token(),
          Collector.AuthHeader.DAP_AUTH_TOKEN, task.key(), p.bits(), http);
      Poplar1AggParam param = poplar1AggParam(poplar1, r.aggParam());
      CollectionJobId jobId = poplar1.start(query, param);
      return new CollectionStartResponse(Status.SUCCESS,
          handle(new Job(DapVersion.DAP_09, () -> poplar1.collector().poll(jobId))));
    }
    requireEmptyAggParam(r.aggParam());
    Collector<?> collector = new Collector<>(task.id(), task.leader(), task.token(),
        Collector.AuthHeader.DAP_AUTH_TOKEN, task.key(), task.vdaf().prio3(), http);
    CollectionJobId jobId = collector.start(query);
    return new CollectionStartResponse(Status.SUCCESS,
        handle(new Job(DapVersion.DAP_09, () -> collector.poll(jobId, query))));
  }

  Object collectionStartDap18(CollectionStartRequest r) throws CollectorException {
    TaskId id = Fields.taskId(r.taskId());
    Dap18CollectorTask task = dap18Tasks.get(id);
    if (task == null) {
      throw new IllegalArgumentException("task " + id + " was not added to this collector");
    }
    QueryObject q = Fields.required(r.query(), "query");
    Collector<?> collector = task.collector();
    int t = Fields.required(q.type(), "query.type");
    io.pando.dap.messages.dap18.Query query = switch (t) {
      // DAP-18 §5.1: the batch interval, here in seconds (multiples of the time precision).
      case 1 -> collector.timeIntervalQuery(
          Instant.ofEpochSecond(Fields.required(q.batchIntervalStart(),
              "query.batch_interval_start")),
          Duration.ofSeconds(Fields.required(q.batchIntervalDuration(),
              "query.batch_interval_duration")));
      // DAP-18 §5.2: the leader chooses the batch; there is no query by batch id.
      case 2 -> {
        if (q.subtype() != null && q.subtype() != 1) {
          throw new IllegalArgumentException("query.subtype must be absent or 1 (current"
              + " batch) for a DAP-18 leader_selected query, got " + q.subtype());
        }
        yield collector.leaderSelectedQuery();
      }
      default -> throw new IllegalArgumentException(
          "query.type must be 1 (time interval) or 2 (leader selected), got " + t);
    };
    if (task.poplar1() != null) {
      Poplar1AggParam param = poplar1AggParam(task.poplar1(), r.aggParam());
      Collector.Dap18Job job = task.poplar1().start(query, param);
      return new CollectionStartResponse(Status.SUCCESS,
          handle(new Job(DapVersion.DAP_18, () -> collector.poll(job))));
    }
    requireEmptyAggParam(r.aggParam());
    Collector.Dap18Job job = collector.start(query);
    return new CollectionStartResponse(Status.SUCCESS,
        handle(new Job(DapVersion.DAP_18, () -> collector.poll(job))));
  }

  /**
   * A Poplar1 task's {@code agg_param}: base64url of the encoded aggregation parameter (level and
   * prefixes, the VDAF draft's encoding), its prefixes distinct and in increasing order, as the
   * aggregators' is_valid requires; the collection's result lists their counts in that order.
   */
  static Poplar1AggParam poplar1AggParam(Poplar1Collector collector, String aggParam) {
    byte[] encoded = Fields.base64url(aggParam, "agg_param");
    Poplar1AggParam param;
    try {
      param = collector.decodeAggregationParameter(encoded);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("agg_param is not a Poplar1 aggregation parameter of"
          + " this task: " + e.getMessage());
    }
    if (!param.prefixesSortedAndUnique()) {
      throw new IllegalArgumentException("agg_param's prefixes must be distinct and in"
          + " increasing order");
    }
    return param;
  }

  private static void requireEmptyAggParam(String aggParam) {
    if (Fields.base64url(aggParam, "agg_param").length != 0) {
      throw new IllegalArgumentException("agg_param must be empty: Prio3 has no aggregation"
          + " parameter");
    }
  }

  private String handle(Job job) {
    byte[] h = new byte[16];
    RANDOM.nextBytes(h);
    String handle = Fields.base64url(h);
    jobs.put(handle, job);
    return handle;
  }

  Object collectionPoll(DapVersion version, CollectionPollRequest r) {
    Job job = jobs.get(Fields.required(r.handle(), "handle"));
    if (job == null || job.version != version) {
      return CollectionPollResponse.error("unknown handle " + r.handle());
    }
    if (job.result == null) {
      try {
        if (!(job.poll.poll() instanceof Collector.Poll.Ready<?> ready)) {
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
