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
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.CollectionJobResp;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
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
 * The DAP collector (DAP-09 §4.6, DAP-18 §4.6): starts a collection job at the leader, polls it,
 * decrypts the two encrypted aggregate shares with the collector's HPKE key and unshards them
 * with the task's VDAF. Uses only the JDK's {@link HttpClient}. Thread-safe.
 *
 * <p>A collector made with {@link #dap18} speaks DAP-18 and takes {@link
 * io.pando.dap.messages.dap18.Query dap18.Query}s: {@code POST {leader}tasks/{id}/collection_jobs}
 * with a {@code CollectionJobReq}; the leader names the job in {@code Location}; a 2xx with an
 * empty body means "not ready" ({@code Retry-After} says when to {@code GET} it again); the
 * finished job is a {@code CollectionJobResp}, whose shares are bound to the task's {@link
 * TaskConfiguration} and the request ({@code AggregateShareAad}). A failed job is a problem
 * document, surfaced as a {@link CollectorException} with its {@link
 * CollectorException#problemType()}.
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
  /** A DAP-18 task's configuration; empty for DAP-09. */
  private final Optional<TaskConfiguration> dap18;
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

  /**
   * A DAP-18 collection job (§4.6.1): where the leader serves it, the request that created it
   * (which binds its aggregate shares), and the finished job if the leader answered at once.
   */
  public record Dap18Job(URI location, CollectionJobReq request,
      Optional<CollectionJobResp> response) {
    public Dap18Job {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(response, "response");
    }

    /**
     * The job id, the last segment of the location when it is a base64url CollectionJobId (as
     * Pando's leader makes it); empty otherwise.
     */
    public Optional<CollectionJobId> id() {
      String path = location.getPath();
      String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
      try {
        return Optional.of(CollectionJobId.fromBase64Url(last));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
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
        Optional.empty(), Optional.empty());
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
        Optional.empty(), Optional.empty());
  }

  /**
   * A collector of a DAP-18 task (draft-ietf-ppm-dap-18): the leader is the configuration's
   * {@code leader_aggregator_endpoint}, and {@code vdaf} must be the draft-20 Prio3 it names
   * ({@link io.pando.core.vdaf.Dap18Vdafs#prio3} builds it from the configuration).
   *
   * @throws IllegalArgumentException if {@code vdaf} is not the configuration's VDAF
   */
  public static <R> Collector<R> dap18(TaskId taskId, TaskConfiguration configuration,
      String authToken, AuthHeader authHeader, HpkeKeypair collectorKey, Prio3<?, R> vdaf,
      HttpClient http) {
    if (!io.pando.core.vdaf.Dap18Vdafs.matches(configuration.vdaf(), vdaf)) {
      throw new IllegalArgumentException("the VDAF " + vdaf.name()
          + " is not the TaskConfiguration's " + configuration.vdaf());
    }
    return new Collector<>(taskId, URI.create(configuration.leaderAggregatorEndpoint()),
        authToken, authHeader, collectorKey, vdaf, http, Optional.empty(), Optional.empty(),
        Optional.of(configuration));
  }

  /** {@link #dap18(TaskId, TaskConfiguration, String, AuthHeader, HpkeKeypair, Prio3,
   * HttpClient)} with a bearer token and a default HTTP client. */
  public static <R> Collector<R> dap18(TaskId taskId, TaskConfiguration configuration,
      String authToken, HpkeKeypair collectorKey, Prio3<?, R> vdaf) {
    return dap18(taskId, configuration, authToken, AuthHeader.BEARER, collectorKey, vdaf,
        HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
  }

  private Collector(TaskId taskId, URI leader, String authToken, AuthHeader authHeader,
      HpkeKeypair collectorKey, Prio3<?, R> vdaf, HttpClient http,
      Optional<String> taskprovHeader, Optional<DpStrategy> dpStrategy,
      Optional<TaskConfiguration> dap18) {
    this(taskId, leader, authToken, authHeader, collectorKey, Objects.requireNonNull(vdaf),
        prio3Unsharder(vdaf, dpStrategy), http, taskprovHeader, dpStrategy, dap18);
  }

  /** A collector whose VDAF is not Prio3: {@code unsharder} opens its aggregate shares. */
  Collector(TaskId taskId, URI leader, String authToken, AuthHeader authHeader,
      HpkeKeypair collectorKey, Unsharder<R> unsharder, HttpClient http) {
    this(taskId, leader, authToken, authHeader, collectorKey, null, unsharder, http,
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A DAP-18 collector whose VDAF is not Prio3. */
  Collector(TaskId taskId, TaskConfiguration configuration, String authToken,
      AuthHeader authHeader, HpkeKeypair collectorKey, Unsharder<R> unsharder, HttpClient http) {
    this(taskId, URI.create(configuration.leaderAggregatorEndpoint()), authToken, authHeader,
        collectorKey, null, unsharder, http, Optional.empty(), Optional.empty(),
        Optional.of(configuration));
  }

  private Collector(TaskId taskId, URI leader, String authToken, AuthHeader authHeader,
      HpkeKeypair collectorKey, Prio3<?, R> vdaf, Unsharder<R> unsharder, HttpClient http,
      Optional<String> taskprovHeader, Optional<DpStrategy> dpStrategy,
      Optional<TaskConfiguration> dap18) {
    this.dap18 = Objects.requireNonNull(dap18);
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
        taskprovHeader, Optional.of(strategy), dap18);
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
    requireVersion(DapVersion.DAP_09);
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
    requireVersion(DapVersion.DAP_09);
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
    requireVersion(DapVersion.DAP_09);
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
    try {
      return await(id, () -> poll(id, query, aggregationParameter), timeout, progress);
    } finally {
      queries.remove(id);
    }
  }

  /** Polls until ready, honouring Retry-After, or fails when the timeout would pass. */
  private CollectionResult<R> await(CollectionJobId id, Poller<R> poller, Duration timeout,
      ProgressListener progress) throws CollectorException {
    Instant deadline = Instant.now().plus(timeout);
    int polls = 0;
    while (true) {
      Poll<R> p = poller.poll();
      polls++;
      if (p instanceof Poll.Ready<R> ready) {
        return ready.result();
      }
      Duration wait = ((Poll.InProgress<R>) p).retryAfter();
      if (Instant.now().plus(wait).isAfter(deadline)) {
        throw new CollectorException("collection job " + (id == null ? "" : id + " ")
            + "not ready after " + timeout + " (" + polls + " polls)", null);
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

  @FunctionalInterface
  private interface Poller<R> {
    Poll<R> poll() throws CollectorException;
  }

  // ---- DAP-18 (draft-ietf-ppm-dap-18 §4.6) -------------------------------------------------

  /** The draft this collector speaks. */
  public DapVersion version() {
    return dap18.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
  }

  private void requireVersion(DapVersion version) {
    if (version() != version) {
      throw new IllegalStateException("this is a " + version().tag()
          + " collector; the call is " + version.tag() + "'s");
    }
  }

  private TaskConfiguration configuration() {
    requireVersion(DapVersion.DAP_18);
    return dap18.get();
  }

  /**
   * A DAP-18 time_interval query (§5.1) for the batch interval {@code [start, start +
   * duration)} given in seconds: converted to time_precision units, so both must be multiples of
   * the task's time precision.
   *
   * @throws IllegalArgumentException if they are not, or the task's batch mode is not
   *     time_interval
   */
  public io.pando.dap.messages.dap18.Query timeIntervalQuery(Instant start, Duration duration) {
    TaskConfiguration c = configuration();
    if (c.batchMode() != BatchMode.TIME_INTERVAL) {
      throw new IllegalArgumentException("the task's batch mode is "
          + c.batchMode().draftName());
    }
    TimePrecision p = c.timePrecision();
    if (start.getNano() != 0 || start.getEpochSecond() % p.seconds() != 0) {
      throw new IllegalArgumentException("the batch interval start " + start
          + " is not a multiple of the time precision " + p);
    }
    if (duration.getNano() != 0 || duration.getSeconds() <= 0) {
      throw new IllegalArgumentException("the batch interval duration must be positive"
          + " whole seconds");
    }
    return io.pando.dap.messages.dap18.Query.timeInterval(new io.pando.dap.messages.dap18.Interval(
        io.pando.dap.messages.dap18.Time.ofSeconds(start.getEpochSecond(), p),
        io.pando.dap.messages.dap18.Duration.ofSeconds(duration.getSeconds(), p)));
  }

  /**
   * A DAP-18 leader_selected query (§5.2): the next batch the leader has ready.
   *
   * @throws IllegalArgumentException if the task's batch mode is not leader_selected
   */
  public io.pando.dap.messages.dap18.Query leaderSelectedQuery() {
    TaskConfiguration c = configuration();
    if (c.batchMode() != BatchMode.LEADER_SELECTED) {
      throw new IllegalArgumentException("the task's batch mode is "
          + c.batchMode().draftName());
    }
    return io.pando.dap.messages.dap18.Query.leaderSelected();
  }

  /**
   * DAP-18 §4.6.1: creates a collection job, {@code POST {leader}tasks/{task-id}/collection_jobs}
   * with a {@code collection-job-req}. The leader answers 2xx with the job's {@code Location},
   * resolved against the request URL, and an empty body (not ready) or the finished job.
   */
  public Dap18Job start(io.pando.dap.messages.dap18.Query query) throws CollectorException {
    return start(query, new byte[0]);
  }

  /** {@link #start(io.pando.dap.messages.dap18.Query)} with an aggregation parameter. */
  Dap18Job start(io.pando.dap.messages.dap18.Query query, byte[] aggregationParameter)
      throws CollectorException {
    TaskConfiguration c = configuration();
    if (query.batchMode() != c.batchMode()) {
      throw new IllegalArgumentException("a " + query.batchMode().draftName()
          + " query for a " + c.batchMode().draftName() + " task");
    }
    CollectionJobReq req = new CollectionJobReq(query, aggregationParameter);
    URI uri = leader.resolve("tasks/" + taskId.toBase64Url() + "/collection_jobs");
    HttpResponse<byte[]> r = send(request(uri)
        .header("Content-Type", io.pando.dap.messages.dap18.MediaTypes.COLLECTION_JOB_REQ)
        .POST(HttpRequest.BodyPublishers.ofByteArray(req.encode())).build(),
        "start collection");
    if (r.statusCode() / 100 != 2) {
      throw failure("start collection", r);
    }
    Optional<String> location = r.headers().firstValue("Location");
    if (location.isEmpty()) {
      throw new CollectorException("start collection: the leader answered "
          + r.statusCode() + " without a Location", r.statusCode(), null, null);
    }
    URI job;
    try {
      job = uri.resolve(location.get().trim());
    } catch (IllegalArgumentException e) {
      throw new CollectorException("start collection: unusable Location " + location.get(),
          r.statusCode(), null, e);
    }
    Optional<CollectionJobResp> done = r.body().length == 0 ? Optional.empty()
        : Optional.of(decodeResp(r));
    return new Dap18Job(job, req, done);
  }

  /**
   * Polls a DAP-18 collection job once: {@code GET} its location. A 2xx with an empty body is
   * {@link Poll.InProgress} (after {@code Retry-After}); a {@code collection-job-resp} is opened;
   * a problem document (the job failed, e.g. {@code invalidBatchSize}) is a {@link
   * CollectorException}.
   */
  public Poll<R> poll(Dap18Job job) throws CollectorException {
    requireVersion(DapVersion.DAP_18);
    if (job.response().isPresent()) {
      return new Poll.Ready<>(open(job.response().get(), job.request()));
    }
    HttpResponse<byte[]> r = send(request(job.location())
        .header("Accept", io.pando.dap.messages.dap18.MediaTypes.COLLECTION_JOB_RESP)
        .GET().build(), "poll collection");
    if (r.statusCode() / 100 != 2) {
      throw failure("poll collection", r);
    }
    if (r.body().length == 0) {
      return new Poll.InProgress<>(retryAfter(r));
    }
    return new Poll.Ready<>(open(decodeResp(r), job.request()));
  }

  /** Deletes a DAP-18 collection job (§4.6.2): {@code DELETE} its location. */
  public void delete(Dap18Job job) throws CollectorException {
    requireVersion(DapVersion.DAP_18);
    HttpResponse<byte[]> r = send(request(job.location()).DELETE().build(),
        "delete collection");
    if (r.statusCode() / 100 != 2) {
      throw failure("delete collection", r);
    }
  }

  /** Starts a DAP-18 job and polls it until ready or the timeout would pass. */
  public CollectionResult<R> collect(io.pando.dap.messages.dap18.Query query, Duration timeout,
      ProgressListener progress) throws CollectorException {
    return collect(query, new byte[0], timeout, progress);
  }

  /** {@link #collect(io.pando.dap.messages.dap18.Query, Duration, ProgressListener)}. */
  CollectionResult<R> collect(io.pando.dap.messages.dap18.Query query,
      byte[] aggregationParameter, Duration timeout, ProgressListener progress)
      throws CollectorException {
    Dap18Job job = start(query, aggregationParameter);
    return await(job.id().orElse(null), () -> poll(job), timeout, progress);
  }

  private static CollectionJobResp decodeResp(HttpResponse<byte[]> r) throws CollectorException {
    Optional<String> type = r.headers().firstValue("Content-Type");
    if (type.isPresent() && !io.pando.dap.messages.dap18.MediaTypes.is(type.get(),
        io.pando.dap.messages.dap18.MediaTypes.Message.COLLECTION_JOB_RESP)) {
      throw new CollectorException("the leader answered " + r.statusCode() + " with "
          + type.get() + ", not " + io.pando.dap.messages.dap18.MediaTypes.COLLECTION_JOB_RESP,
          r.statusCode(), null, null);
    }
    try {
      return CollectionJobResp.decode(r.body());
    } catch (DecodeException e) {
      throw new CollectorException("malformed CollectionJobResp: " + e.getMessage(),
          r.statusCode(), null, e);
    }
  }

  /**
   * DAP-18 §4.6.6 and §4.6.7: decrypts both aggregate shares with {@code "dap-18 aggregate
   * share" || server_role || 0x00} and the {@code AggregateShareAad} of the task id, the task's
   * configuration and the request, then unshards them. The result's interval is in seconds.
   */
  CollectionResult<R> open(CollectionJobResp resp, CollectionJobReq req)
      throws CollectorException {
    TaskConfiguration c = configuration();
    byte[] aad = new io.pando.dap.messages.dap18.AggregateShareAad(taskId, c, req).encode();
    try {
      byte[] leaderShare = collectorKey.open(
          ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.LEADER),
          resp.leaderEncryptedAggregateShare(), aad);
      byte[] helperShare = collectorKey.open(
          ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER),
          resp.helperEncryptedAggregateShare(), aad);
      R result = unsharder.unshard(req.aggregationParameter(), leaderShare, helperShare,
          resp.reportCount());
      TimePrecision p = c.timePrecision();
      io.pando.dap.messages.Interval interval = new io.pando.dap.messages.Interval(
          io.pando.dap.messages.Time.ofSeconds(resp.interval().start().toSeconds(p)),
          io.pando.dap.messages.Duration.ofSeconds(resp.interval().duration().toSeconds(p)));
      return new CollectionResult<>(result, resp.reportCount(), interval, Optional.empty(),
          dpStrategy);
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

  /**
   * Told about every poll that found the job not ready. For a DAP-18 job the id is {@link
   * Dap18Job#id()}, null when the leader's Location does not end in a CollectionJobId.
   */
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
