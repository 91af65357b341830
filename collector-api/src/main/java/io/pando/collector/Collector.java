package io.pando.collector;

import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.Collection;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.core.http.DapRequestException;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import io.pando.dap.messages.taskprov.TaskConfig;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The DAP-09 collector (§4.6): starts a collection job at the leader, polls it, decrypts the two
 * encrypted aggregate shares with the collector's HPKE key and unshards them with the task's VDAF.
 * Uses only the JDK's {@link HttpClient}. Thread-safe.
 *
 * @param <R> the VDAF's aggregate result type
 */
public final class Collector<R> {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final TaskId taskId;
  private final URI leader;
  private final String authToken;
  private final AuthHeader authHeader;
  private final HpkeKeypair collectorKey;
  /** The Prio3 VDAF; null for a Poplar1 collector ({@link Poplar1Collector}). */
  private final Prio3<?, R> vdaf;
  private final Unsharder<R> unsharder;
  private final HttpClient http;
  /** The {@code dap-taskprov} header of a taskprov task, sent with every request. */
  private final Optional<String> taskprovHeader;
  /** The task's DP strategy: results are then read as signed integers. */
  private final Optional<DpStrategy> dpStrategy;
  /** The queries of the jobs this collector started and has not yet seen finish. */
  private final ConcurrentMap<CollectionJobId, Started> queries = new ConcurrentHashMap<>();

  /** A started job's query and aggregation parameter, which bind its aggregate shares. */
  private record Started(Query<?> query, byte[] aggregationParameter) {}

  /** How the task's VDAF turns the two decrypted aggregate shares into the result. */
  interface Unsharder<R> {
    R unshard(byte[] aggregationParameter, byte[] leaderShare, byte[] helperShare,
        long reportCount) throws DecodeException;

    String name();
  }

  /** The state of a polled collection job. */
  public sealed interface Poll<R> {
    /** Not ready; ask again after {@code retryAfter} (from Retry-After, or a default). */
    record InProgress<R>(Duration retryAfter) implements Poll<R> {}

    /** Done. */
    record Ready<R>(CollectionResult<R> result) implements Poll<R> {}
  }

  public Collector(TaskId taskId, URI leader, String authToken, HpkeKeypair collectorKey,
      Prio3<?, R> vdaf) {
    this(taskId, leader, authToken, collectorKey, vdaf,
        HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
  }

  public Collector(TaskId taskId, URI leader, String authToken, HpkeKeypair collectorKey,
      Prio3<?, R> vdaf, HttpClient http) {
    this(taskId, leader, authToken, AuthHeader.BEARER, collectorKey, vdaf, http);
  }

  /** How the collector token is presented to the leader (DAP-09 §3.1 leaves it open). */
  public enum AuthHeader {
    /** {@code Authorization: Bearer <token>}. */
    BEARER,
    /** {@code DAP-Auth-Token: <token>}, as the DAP interop test design requires. */
    DAP_AUTH_TOKEN
  }

  public Collector(TaskId taskId, URI leader, String authToken, AuthHeader authHeader,
      HpkeKeypair collectorKey, Prio3<?, R> vdaf, HttpClient http) {
    this(taskId, leader, authToken, authHeader, collectorKey, vdaf, http, Optional.empty(),
        Optional.empty());
  }

  /**
   * A collector of a task provisioned in-band (draft-wang-ppm-dap-taskprov-06): the task id and
   * the leader are the TaskConfig's, and every request carries the config in the {@value
   * TaskConfig#HEADER} header, so the leader can provision the task from a collection request
   * too. {@code authToken} is the collector token configured for the leader's helper peer.
   */
  public static <R> Collector<R> taskprov(TaskConfig config, String authToken,
      HpkeKeypair collectorKey, Prio3<?, R> vdaf) {
    return new Collector<>(config.taskId(), URI.create(config.leaderAggregatorEndpoint()),
        authToken, AuthHeader.BEARER, collectorKey, vdaf,
        HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), Optional.of(config.toHeader()),
        Optional.empty());
  }

  private Collector(TaskId taskId, URI leader, String authToken, AuthHeader authHeader,
      HpkeKeypair collectorKey, Prio3<?, R> vdaf, HttpClient http,
      Optional<String> taskprovHeader, Optional<DpStrategy> dpStrategy) {
    this(taskId, leader, authToken, authHeader, collectorKey, Objects.requireNonNull(vdaf),
        prio3Unsharder(vdaf, dpStrategy), http, taskprovHeader, dpStrategy);
  }

  /** A collector whose VDAF is not Prio3: {@code unsharder} opens its aggregate shares. */
  Collector(TaskId taskId, URI leader, String authToken, AuthHeader authHeader,
      HpkeKeypair collectorKey, Unsharder<R> unsharder, HttpClient http) {
    this(taskId, leader, authToken, authHeader, collectorKey, null, unsharder, http,
        Optional.empty(), Optional.empty());
  }

  private Collector(TaskId taskId, URI leader, String authToken, AuthHeader authHeader,
      HpkeKeypair collectorKey, Prio3<?, R> vdaf, Unsharder<R> unsharder, HttpClient http,
      Optional<String> taskprovHeader, Optional<DpStrategy> dpStrategy) {
    this.unsharder = Objects.requireNonNull(unsharder);
    this.taskprovHeader = Objects.requireNonNull(taskprovHeader);
    this.dpStrategy = Objects.requireNonNull(dpStrategy);
    this.authHeader = Objects.requireNonNull(authHeader);
    this.taskId = Objects.requireNonNull(taskId);
    String l = leader.toString();
    this.leader = URI.create(l.endsWith("/") ? l : l + "/");
    this.authToken = Objects.requireNonNull(authToken);
    this.collectorKey = Objects.requireNonNull(collectorKey);
    this.vdaf = vdaf;
    this.http = Objects.requireNonNull(http);
  }

  /**
   * This collector for a task whose aggregators add noise with {@code strategy} (from the task
   * definition): aggregates are read as signed integers (field values above p/2 are negative,
   * {@code Prio3.unshardNoised}) and results carry the strategy.
   */
  public Collector<R> withDpStrategy(DpStrategy strategy) {
    if (vdaf == null) {
      throw new IllegalStateException("only Prio3 tasks take a DP strategy");
    }
    return new Collector<>(taskId, leader, authToken, authHeader, collectorKey, vdaf, http,
        taskprovHeader, Optional.of(strategy));
  }

  private static <R> Unsharder<R> prio3Unsharder(Prio3<?, R> vdaf,
      Optional<DpStrategy> dpStrategy) {
    return new Unsharder<>() {
      @Override
      public R unshard(byte[] aggregationParameter, byte[] leaderShare, byte[] helperShare,
          long reportCount) throws DecodeException {
        List<AggregateShare> shares = List.of(vdaf.decodeAggregateShare(leaderShare),
            vdaf.decodeAggregateShare(helperShare));
        return dpStrategy.isPresent() ? vdaf.unshardNoised(shares)
            : vdaf.unshard(shares, reportCount);
      }

      @Override
      public String name() {
        return vdaf.name();
      }
    };
  }

  private URI jobUri(CollectionJobId id) {
    return leader.resolve("tasks/" + taskId.toBase64Url() + "/collection_jobs/"
        + id.toBase64Url());
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    taskprovHeader.ifPresent(h -> b.header(TaskConfig.HEADER, h));
    return authHeader == AuthHeader.DAP_AUTH_TOKEN ? b.header("DAP-Auth-Token", authToken)
        : b.header("Authorization", "Bearer " + authToken);
  }

  /**
   * Starts a collection job: {@code PUT /tasks/{task}/collection_jobs/{id}} with a CollectionReq
   * (§4.6.1). Returns the new job's id.
   */
  public CollectionJobId start(Query<?> query) throws CollectorException {
    return start(query, new byte[0]);
  }

  /** {@link #start(Query)} with the VDAF's encoded aggregation parameter (§4.6.1). */
  CollectionJobId start(Query<?> query, byte[] aggregationParameter) throws CollectorException {
    CollectionJobId id = CollectionJobId.random();
    byte[] body = new CollectionReq<>(query, aggregationParameter).encode();
    HttpResponse<byte[]> r = send(request(jobUri(id))
        .header("Content-Type", MediaTypes.COLLECT_REQ)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), "start collection");
    if (r.statusCode() / 100 != 2) {
      throw failure("start collection", r);
    }
    queries.put(id, new Started(query, aggregationParameter.clone()));
    return id;
  }

  /**
   * Polls a collection job this collector started once: {@code POST
   * /tasks/{task}/collection_jobs/{id}} (§4.6.2). The job's query decides the AAD of the
   * aggregate shares (§4.6.4); for a job started elsewhere, use {@link #poll(CollectionJobId,
   * Query)}.
   */
  public Poll<R> poll(CollectionJobId id) throws CollectorException {
    Started started = queries.get(id);
    return started == null ? poll(id, null)
        : poll(id, started.query(), started.aggregationParameter());
  }

  /**
   * Polls a collection job once, given the query it was started with. For time-interval tasks
   * the aggregate shares are bound to the query's batch interval, which can be longer than the
   * interval the {@code Collection} reports (§4.6.4); without the query ({@code null}) the
   * collection's interval is used, which is right only when the reports span the whole query.
   */
  public Poll<R> poll(CollectionJobId id, Query<?> query) throws CollectorException {
    return poll(id, query, new byte[0]);
  }

  /** {@link #poll(CollectionJobId, Query)} of a job started with the aggregation parameter. */
  Poll<R> poll(CollectionJobId id, Query<?> query, byte[] aggregationParameter)
      throws CollectorException {
    HttpResponse<byte[]> r = send(request(jobUri(id))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), "poll collection");
    if (r.statusCode() == 202) {
      return new Poll.InProgress<>(retryAfter(r));
    }
    if (r.statusCode() != 200) {
      throw failure("poll collection", r);
    }
    Collection<?> collection;
    try {
      collection = Collection.decode(r.body());
    } catch (DecodeException e) {
      throw new CollectorException("malformed Collection: " + e.getMessage(), 200, null, e);
    }
    Poll<R> ready = new Poll.Ready<>(open(collection, query, aggregationParameter));
    queries.remove(id);
    return ready;
  }

  /** Deletes a collection job: {@code DELETE /tasks/{task}/collection_jobs/{id}}. */
  public void delete(CollectionJobId id) throws CollectorException {
    HttpResponse<byte[]> r = send(request(jobUri(id)).DELETE().build(), "delete collection");
    if (r.statusCode() / 100 != 2) {
      throw failure("delete collection", r);
    }
    queries.remove(id);
  }

  /** Starts a job and polls it, honouring Retry-After, until it is ready or the timeout passes. */
  public CollectionResult<R> collect(Query<?> query, Duration timeout, ProgressListener progress)
      throws CollectorException {
    return collect(query, new byte[0], timeout, progress);
  }

  /** {@link #collect(Query, Duration, ProgressListener)} with an aggregation parameter. */
  CollectionResult<R> collect(Query<?> query, byte[] aggregationParameter, Duration timeout,
      ProgressListener progress) throws CollectorException {
    CollectionJobId id = start(query, aggregationParameter);
    Instant deadline = Instant.now().plus(timeout);
    int polls = 0;
    while (true) {
      Poll<R> p = poll(id, query, aggregationParameter);
      polls++;
      if (p instanceof Poll.Ready<R> ready) {
        return ready.result();
      }
      Duration wait = ((Poll.InProgress<R>) p).retryAfter();
      if (Instant.now().plus(wait).isAfter(deadline)) {
        queries.remove(id);
        throw new CollectorException("collection job " + id + " not ready after " + timeout
            + " (" + polls + " polls)", null);
      }
      if (progress != null) {
        progress.waiting(id, polls, wait);
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CollectorException("interrupted while waiting for " + id, e);
      }
    }
  }

  /** Told about every poll that found the job not ready. */
  @FunctionalInterface
  public interface ProgressListener {
    void waiting(CollectionJobId id, int polls, Duration nextPollIn);
  }

  /**
   * Decrypts both aggregate shares (§4.6.4) and unshards them. The AAD's batch selector is the
   * query's batch interval for time-interval tasks and the collection's batch id for fixed-size
   * tasks.
   */
  CollectionResult<R> open(Collection<?> c, Query<?> query) throws CollectorException {
    return open(c, query, new byte[0]);
  }

  /** {@link #open(Collection, Query)}; the aggregation parameter is part of the AAD. */
  CollectionResult<R> open(Collection<?> c, Query<?> query, byte[] aggregationParameter)
      throws CollectorException {
    BatchSelector<?> selector;
    Optional<io.pando.dap.messages.BatchId> batchId = Optional.empty();
    PartialBatchSelector<?> partial = c.partialBatchSelector();
    if (partial instanceof PartialBatchSelector.FixedSize fs) {
      selector = BatchSelector.fixedSize(fs.batchId());
      batchId = Optional.of(fs.batchId());
    } else if (query instanceof Query.TimeInterval ti) {
      selector = BatchSelector.timeInterval(ti.batchInterval());
    } else {
      selector = BatchSelector.timeInterval(c.interval());
    }
    byte[] aad = new AggregateShareAad<>(taskId, aggregationParameter, selector).encode();
    try {
      byte[] leaderShare = collectorKey.open(
          ApplicationInfo.aggregateShare(Role.LEADER), c.leaderEncryptedAggregateShare(), aad);
      byte[] helperShare = collectorKey.open(
          ApplicationInfo.aggregateShare(Role.HELPER), c.helperEncryptedAggregateShare(), aad);
      R result = unsharder.unshard(aggregationParameter, leaderShare, helperShare,
          c.reportCount());
      return new CollectionResult<>(result, c.reportCount(), c.interval(), batchId, dpStrategy);
    } catch (HpkeException e) {
      throw new CollectorException("an aggregate share does not decrypt with the collector key: "
          + e.getMessage(), e);
    } catch (DecodeException e) {
      throw new CollectorException("an aggregate share does not decode for " + unsharder.name(), e);
    } catch (ArithmeticException e) {
      throw new CollectorException("the aggregate does not fit its result type: "
          + e.getMessage(), e);
    }
  }

  private static Duration retryAfter(HttpResponse<?> r) {
    Optional<String> h = r.headers().firstValue("Retry-After");
    if (h.isPresent()) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(h.get().trim())));
      } catch (NumberFormatException ignored) {
        // an HTTP date: fall through to the default
      }
    }
    return Duration.ofSeconds(1);
  }

  private HttpResponse<byte[]> send(HttpRequest request, String what) throws CollectorException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CollectorException(what + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectorException(what + " interrupted", e);
    }
  }

  private static CollectorException failure(String what, HttpResponse<byte[]> r) {
    ProblemDocument problem = DapRequestException.problemOf(
        r.headers().firstValue("Content-Type").orElse(null), r.body());
    return new CollectorException(DapRequestException.describe(what, r.statusCode(), problem),
        r.statusCode(), problem, null);
  }

}
