package io.pando.aggregator.leader;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.CollectionJobStore;
import io.pando.aggregator.datastore.CollectionJobStore.Job;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.http.PandoProblem;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.jobs.JobBus;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Collection;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.FixedSizeQuery;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.pando.core.vdaf.DapVdaf;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The collector's side of the leader's collection jobs (DAP-09 §4.6.1): creating a job ({@code
 * PUT}), polling it ({@code POST}) and deleting it ({@code DELETE}). The job itself is run by
 * the {@link CollectionJobDriver}.
 *
 * <p>Creation checks, in this order, and stores nothing when one fails: the body decodes as a
 * {@code CollectionReq} of the task's query type with an empty aggregation parameter ({@code
 * invalidMessage}); a job with this id exists: the same query is answered as created again and
 * changes nothing, another one is 409 Conflict (§4.6.1 asks for "an HTTP client error status
 * code"; Janus 0.7 answers 409); then the batch validation of §4.6.6 that is decidable now:
 * time-interval boundaries ({@code batchInvalid}), a {@code by_batch_id} batch returned by an
 * earlier collection ({@code batchInvalid}), query counts ({@code batchQueriedTooManyTimes}) and
 * overlap ({@code batchOverlap}). The size check waits for the job to run (§4.6.6: "Leaders
 * SHOULD wait for more reports").
 *
 * <p>A VDAF with an aggregation parameter (Poplar1, time-interval tasks): the parameter must
 * decode and pass {@code is_valid} after the parameters of the interval's earlier collection
 * jobs (draft-08 §5.3; DAP-09 §4.5.1.4 and §4.6.6 allow a batch to be collected again with
 * another parameter), else {@code invalidMessage}; the job keeps it (migration V96).
 */
@ApplicationScoped
public class CollectionJobs {
  private final Datastore datastore;
  private final JobBus bus;
  private final CollectionMetrics metrics;
  private final Duration retryAfter;

  @Inject
  public CollectionJobs(Datastore datastore, JobBus bus,
      CollectionMetrics metrics, PandoConfig config) {
    this.datastore = datastore;
    this.bus = bus;
    this.metrics = metrics;
    long seconds = (config.collection().waitInterval().toMillis() + 999) / 1000;
    this.retryAfter = Duration.ofSeconds(Math.max(1, seconds));
  }

  /**
   * A decoded collection request: the query in seconds (a DAP-18 query converted by {@link
   * Dap18Collection#inSeconds}), its aggregation parameter, what the job stores in its {@code
   * query} column (DAP-09: the {@code Query}; DAP-18: the whole {@code CollectionJobReq}), and
   * the DAP-18 request itself.
   */
  private record Request(Query<?> query, byte[] aggParam, byte[] stored,
      Optional<CollectionJobReq> dap18) {}

  /** Decodes a CollectionReq of the task's query type (§4.6.1). */
  static CollectionReq<?> decode(Task task, byte[] body) {
    CollectionReq<?> req;
    try {
      req = task.queryType() == Task.QueryKind.FIXED_SIZE
          ? CollectionReq.decode(body, QueryType.FIXED_SIZE)
          : CollectionReq.decode(body, QueryType.TIME_INTERVAL);
    } catch (DecodeException | IllegalArgumentException e) {
      throw DapException.invalidMessage(task.id(), "malformed CollectionReq for a "
          + task.queryType().name().toLowerCase(Locale.ROOT) + " task: " + e.getMessage());
    }
    checkAggregationParameter(task, req.aggregationParameter());
    return req;
  }

  /** Prio3 takes the empty parameter; another VDAF's must be valid on its own. */
  private static void checkAggregationParameter(Task task, byte[] aggParam) {
    DapVdaf vdaf = task.dapVdaf();
    if (!vdaf.takesAggregationParameter()) {
      if (aggParam.length != 0) {
        throw new DapException(aggregationParameterProblem(task), task.id(),
            "Prio3 takes an empty aggregation parameter");
      }
    } else {
      checkAggregationParameter(task, vdaf, aggParam, List.of());
    }
  }

  /**
   * The problem of an invalid aggregation parameter: DAP-09 has none of its own ({@code
   * invalidMessage}); DAP-18 §4.6.1 names {@code invalidAggregationParameter}.
   */
  private static DapProblemType aggregationParameterProblem(Task task) {
    return DapProblemType.INVALID_AGGREGATION_PARAMETER.existsIn(task.dapVersion())
        ? DapProblemType.INVALID_AGGREGATION_PARAMETER : DapProblemType.INVALID_MESSAGE;
  }

  /**
   * A batch queried {@code max_batch_query_count} times: DAP-09's {@code
   * batchQueriedTooManyTimes}; DAP-18 has no such type and calls a query of collected batch
   * buckets {@code batchOverlap} (§4.6.1).
   */
  static DapProblemType queriedTooOftenProblem(Task task) {
    return DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES.existsIn(task.dapVersion())
        ? DapProblemType.BATCH_QUERIED_TOO_MANY_TIMES : DapProblemType.BATCH_OVERLAP;
  }

  /**
   * Decodes the parameter and checks it after {@code previous} (draft-08 §5.3 is_valid; DAP-18
   * §4.2 "Aggregation Parameter Validation" runs it with no previous parameter, which is the
   * first collection of a batch here).
   */
  static void checkAggregationParameter(Task task, DapVdaf vdaf, byte[] aggParam,
      List<byte[]> previous) {
    DapProblemType problem = aggregationParameterProblem(task);
    try {
      if (!vdaf.isValid(aggParam, previous)) {
        throw new DapException(problem, task.id(), previous.isEmpty()
            ? "the aggregation parameter is not valid"
            : "the aggregation parameter is not valid after the " + previous.size()
                + " earlier collection(s) of this batch");
      }
    } catch (DecodeException e) {
      throw new DapException(problem, task.id(), "the aggregation parameter does not decode: "
          + e.getMessage());
    }
  }

  private static Request request(Task task, byte[] body) {
    if (task.isDap18()) {
      CollectionJobReq req = Dap18Collection.decode(task, body);
      checkAggregationParameter(task, req.aggregationParameter());
      return new Request(Dap18Collection.inSeconds(task, req), req.aggregationParameter(),
          req.encode(), Optional.of(req));
    }
    CollectionReq<?> req = decode(task, body);
    return new Request(req.query(), req.aggregationParameter(), req.query().encode(),
        Optional.empty());
  }

  /** {@code PUT}: creates the job (state START) and announces it; true if it was new. */
  public boolean create(Task task, CollectionJobId id, byte[] body) {
    return create(task, id, request(task, body));
  }

  /**
   * DAP-18 {@code POST} to the creation URL (§4.6.1, §3 "Resource Creation"): the job's id
   * follows from the request ({@link Dap18Collection#jobId}), so an identical request finds
   * the job it created and creates nothing. Returns the id.
   */
  public CollectionJobId create(Task task, byte[] body) {
    Request req = request(task, body);
    CollectionJobId id = Dap18Collection.jobId(task.id(), body);
    create(task, id, req);
    return id;
  }

  private boolean create(Task task, CollectionJobId id, Request req) {
    Query<?> query = req.query();
    byte[] encodedQuery = req.stored();
    byte[] jobId = id.bytes();
    byte[] aggParam = req.aggParam();
    boolean withParam = task.dapVdaf().takesAggregationParameter();
    boolean created = datastore.inTransaction("create-collection-job", tx -> {
      Optional<Job> existing = tx.collectionJobs().get(task.id(), jobId);
      if (existing.isPresent()) {
        if (Arrays.equals(existing.get().query(), encodedQuery) && (!withParam
            || Arrays.equals(tx.collectionJobs().aggregationParam(task.id(), jobId)
                .orElseThrow(), aggParam))) {
          return false;
        }
        throw ProblemException.conflict("collection job " + id
            + " exists with a different request");
      }
      Long start = null;
      Long end = null;
      byte[] batch = null;
      if (query instanceof Query.TimeInterval ti) {
        Interval interval = ti.batchInterval();
        List<byte[]> buckets = BatchValidation.buckets(task, interval);
        BatchValidation.checkQueryCount(tx, task, buckets);
        BatchValidation.checkOverlap(tx, task, jobId, interval);
        start = interval.start().seconds();
        end = interval.end().seconds();
        if (withParam) {
          checkAggregationParameter(task, task.dapVdaf(), aggParam, tx.collectionJobs()
              .aggregationParamsOfInterval(task.id(), jobId, start, end));
        }
      } else if (query instanceof Query.FixedSize fs
          && fs.fixedSizeQuery() instanceof FixedSizeQuery.ByBatchId by) {
        // §4.6.6.1.2: the batch id must come from an earlier collection of this task.
        if (!tx.collectionJobs().batchReturned(task.id(), by.batchId())) {
          throw new DapException(DapProblemType.BATCH_INVALID, task.id(),
              "no collection of this task returned batch " + by.batchId());
        }
        BatchValidation.checkQueryCount(tx, task, List.of(by.batchId().bytes()));
        batch = by.batchId().bytes();
      }
      // DAP-18 §4.6.1 checks the extensions last; none is supported here.
      req.dap18().ifPresent(r -> Dap18Collection.checkExtensions(task, r));
      return withParam
          ? tx.collectionJobs().insert(task.id(), jobId, encodedQuery, aggParam, start, end,
              batch)
          : tx.collectionJobs().insert(task.id(), jobId, encodedQuery, start, end, batch);
    });
    if (created) {
      metrics.job("created");
      bus.announce(JobKind.COLLECTION, new JobKey(task.id(), jobId), "created");
    }
    return created;
  }

  /** What a poll finds. */
  public sealed interface Status {
    /** Not finished yet: 202 Accepted with Retry-After. */
    record Pending(Duration retryAfter) implements Status {}

    /** Finished: 200 with the encoded {@code Collection}. */
    record Ready(byte[] collection) implements Status {}

    /** Failed or abandoned: the problem document and its status. */
    record Failed(ProblemDocument problem) implements Status {}

    /** Deleted by the collector: 204 No Content (§4.6.1, "MAY respond with HTTP status 204"). */
    record Deleted() implements Status {}
  }

  /** {@code POST}: the job's state; an unknown job is 404. */
  public Status poll(Task task, CollectionJobId id) {
    Job job = datastore.inTransaction("poll-collection-job",
        tx -> tx.collectionJobs().get(task.id(), id.bytes()))
        .orElseThrow(() -> unknown(id));
    return switch (job.state()) {
      case CollectionJobStore.START, CollectionJobStore.COLLECTABLE -> new Status.Pending(
          retryAfter);
      case CollectionJobStore.FINISHED -> new Status.Ready(task.isDap18()
          ? Dap18Collection.collectionJobResp(task, job) : collection(task, job));
      case CollectionJobStore.FAILED -> new Status.Failed(storedProblem(task, job));
      case CollectionJobStore.DELETED -> new Status.Deleted();
      default -> new Status.Failed(new ProblemDocument(
          PandoProblem.JOB_ABANDONED.uri(), PandoProblem.JOB_ABANDONED.title(), 500, "the collection job failed too often and was "
              + "abandoned; it will not finish", null, task.id().toBase64Url()));
    };
  }

  /**
   * {@code DELETE}: the job becomes DELETED (its driver stops at its next write); deleting it
   * again changes nothing.
   */
  public void delete(Task task, CollectionJobId id) {
    Optional<Boolean> changed = datastore.inTransaction("delete-collection-job", tx -> {
      Optional<Job> job = tx.collectionJobs().get(task.id(), id.bytes());
      if (job.isEmpty()) {
        return Optional.empty();
      }
      if (CollectionJobStore.DELETED.equals(job.get().state())) {
        return Optional.of(false);
      }
      tx.collectionJobs().delete(task.id(), id.bytes());
      return Optional.of(true);
    });
    if (changed.isEmpty()) {
      throw unknown(id);
    }
    if (changed.get()) {
      metrics.job("deleted");
    }
  }

  private static ProblemException unknown(CollectionJobId id) {
    return ProblemException.notFound("unknown collection job " + id);
  }

  private static ProblemDocument storedProblem(Task task, Job job) {
    int status = job.problemStatus() == null ? 500 : job.problemStatus();
    String type = job.problemType() == null ? PandoProblem.forStatus(status).uri()
        : job.problemType();
    String title = DapProblemType.fromUri(type, task.dapVersion())
        .map(DapProblemType::description)
        .orElse("Collection job failed");
    return new ProblemDocument(type, title, status, job.problemDetail(), null,
        task.id().toBase64Url());
  }

  /** The {@code Collection} of a finished job (§4.6.1). */
  static byte[] collection(Task task, Job job) {
    PartialBatchSelector<?> selector = task.queryType() == Task.QueryKind.FIXED_SIZE
        ? PartialBatchSelector.fixedSize(BatchId.of(job.batchIdentifier()))
        : PartialBatchSelector.timeInterval();
    try {
      return encode(selector, job.reportCount(),
          Interval.of(job.intervalStart(), job.intervalDuration()),
          HpkeCiphertext.decode(job.leaderEncryptedShare()),
          HpkeCiphertext.decode(job.helperEncryptedShare()));
    } catch (DecodeException e) {
      throw new IllegalStateException("stored aggregate share does not decode", e);
    }
  }

  private static <Q extends QueryType> byte[] encode(PartialBatchSelector<Q> selector,
      long reportCount, Interval interval, HpkeCiphertext leader, HpkeCiphertext helper) {
    return new Collection<>(selector, reportCount, interval, leader, helper).encode();
  }
}
