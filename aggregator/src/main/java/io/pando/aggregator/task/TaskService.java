package io.pando.aggregator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.datastore.Crypter;
import io.pando.aggregator.datastore.HibernateReactive;
import io.pando.codec.DecodeException;
import io.pando.core.SecretBytes;
import io.pando.core.vdaf.DpStrategies;
import io.pando.core.vdaf.DapVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.Interval;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TaskExtension;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.dap18.VdafConfig;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.dp.DpStrategy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Tasks: provisioning (admin API and task file), validation, and an in-memory cache for the
 * request paths. The {@code tasks} table is reached through Hibernate Reactive. Blocking methods
 * must be called from worker threads.
 *
 * <p>The cache, "unknown task" answers included, is kept coherent across replicas by the {@link
 * io.pando.aggregator.datastore.ChangeFeed}: every change of the table drops the entry on every
 * replica. Entries live {@value #CACHE_MILLIS} ms while the feed listens and {@value
 * #UNCOHERENT_CACHE_MILLIS} ms while it does not (before start-up, or its connection is down).
 */
@ApplicationScoped
public class TaskService {
  private static final Logger LOG = Logger.getLogger(TaskService.class);
  static final long CACHE_MILLIS = 30_000;
  /** How long an entry lives while changes made elsewhere might go unnoticed. */
  public static final long UNCOHERENT_CACHE_MILLIS = 1_000;

  private final Crypter crypter;
  private final ObjectMapper json;
  /** Known tasks: bounded by what the operator provisioned. */
  private final Map<TaskId, Cached> cache = new ConcurrentHashMap<>();
  /** Task ids found unknown (bounded). */
  private final UnknownTasks unknown = new UnknownTasks(10_000);

  private record Cached(Optional<Task> task, long loadedAt) {}

  private volatile long ttl = UNCOHERENT_CACHE_MILLIS;
  /**
   * Counts invalidations: a load that an invalidation overtook does not enter the cache, so a
   * change committed while it ran is not hidden behind a stale entry.
   */
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();

  @Inject
  public TaskService(Crypter crypter, ObjectMapper json) {
    this.crypter = crypter;
    this.json = json;
  }

  /**
   * The task when the cache holds it and is fresh, without touching the datastore (callable on
   * an event-loop thread); empty otherwise, including for unknown tasks: ask {@link #get}.
   */
  public Optional<Task> cached(TaskId id) {
    Cached c = cache.get(id);
    return c != null && System.currentTimeMillis() - c.loadedAt < ttl
        ? c.task : Optional.empty();
  }

  /** Drops one task's cache entries (the change feed, and this replica's own writes). */
  public void invalidate(TaskId id) {
    generation.incrementAndGet();
    cache.remove(id);
    unknown.remove(id);
  }

  /** Drops every cache entry (the change feed, after notifications may have been missed). */
  public void invalidateAll() {
    generation.incrementAndGet();
    cache.clear();
    unknown.clear();
  }

  /** Whether changes made on other replicas are notified: long-lived entries, else short. */
  public void setCoherent(boolean coherent) {
    ttl = coherent ? CACHE_MILLIS : UNCOHERENT_CACHE_MILLIS;
  }

  /** The task, from the cache or the datastore. */
  public Optional<Task> get(TaskId id) {
    Cached c = cache.get(id);
    long now = System.currentTimeMillis();
    long ttl = this.ttl;
    if (c != null && now - c.loadedAt < ttl) {
      return c.task;
    }
    if (unknown.knownUnknown(id, now, ttl)) {
      return Optional.empty();
    }
    long before = generation.get();
    Optional<Task> t = load(id);
    if (t.isPresent()) {
      cache.put(id, new Cached(t, now));
      unknown.remove(id);
    } else {
      cache.remove(id);
      unknown.add(id, now);
    }
    if (generation.get() != before) {
      // A change was notified while loading: answer, but keep no entry that may predate it.
      cache.remove(id);
      unknown.remove(id);
    }
    return t;
  }

  private Optional<Task> load(TaskId id) {
    TaskEntity e = HibernateReactive.await(() -> Panache.withSession(
        () -> TaskEntity.<TaskEntity>find("taskId", (Object) id.bytes()).firstResult()));
    return Optional.ofNullable(e).map(this::toTask);
  }

  /** Every task (for job drivers and the admin API). */
  public List<Task> all() {
    List<TaskEntity> es = HibernateReactive.await(() -> Panache.withSession(() -> TaskEntity.<TaskEntity>listAll()));
    return es.stream().map(this::toTask).toList();
  }

  /** A change the stored data of a task does not allow; the admin API answers 409. */
  public static final class ImmutableFieldsException extends RuntimeException {
    public ImmutableFieldsException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The fields stored data depends on: reports were encrypted and prepared under the VDAF and
   * verify key, batches were cut by the query type, time precision and max batch size, and jobs
   * were created for one role. Empty if {@code a} and {@code b} agree on all of them.
   */
  static List<String> immutableChanges(Task a, Task b) {
    List<String> changed = new java.util.ArrayList<>();
    if (a.dapVersion() != b.dapVersion()) {
      changed.add("dap_version");
    }
    if (!java.util.Arrays.equals(a.dap18().map(Task.Dap18::taskConfiguration).orElse(null),
        b.dap18().map(Task.Dap18::taskConfiguration).orElse(null))) {
      changed.add("task configuration");
    }
    if (a.role() != b.role()) {
      changed.add("role");
    }
    if (!a.vdaf().equals(b.vdaf())) {
      changed.add("vdaf");
    }
    if (!a.verifyKey().equalsSecret(b.verifyKey())) {
      changed.add("vdaf_verify_key");
    }
    if (a.queryType() != b.queryType()) {
      changed.add("query_type");
    }
    if (!a.maxBatchSize().equals(b.maxBatchSize())) {
      changed.add("max_batch_size");
    }
    if (!a.timePrecision().equals(b.timePrecision())) {
      changed.add("time_precision");
    }
    return changed;
  }

  /**
   * Creates or replaces a task. A task that already holds data (reports, jobs, batch
   * aggregations) keeps its role, VDAF, verify key, query type, max batch size and time
   * precision; everything else (tokens, endpoints, expiry, limits) may change.
   *
   * @throws IllegalArgumentException if the definition is invalid (the message says why)
   * @throws ImmutableFieldsException if it changes a field the task's data depends on
   */
  public Task put(TaskDefinition d) {
    return store(toEntity(d));
  }

  /**
   * Creates a task provisioned in-band by taskprov (draft-wang-ppm-dap-taskprov-06): as {@link
   * #put}, but the token this aggregator checks (the helper's aggregator token, the leader's
   * collector token) comes as the hash the peer configuration keeps, and the task keeps its
   * encoded TaskConfig. {@code d} carries any strong placeholder for that token.
   */
  public Task putTaskprov(TaskDefinition d, byte[] checkedTokenHash, byte[] taskConfig) {
    TaskEntity fresh = toEntity(d);
    if (Task.Role.valueOf(fresh.role) == Task.Role.LEADER) {
      fresh.collectorAuthTokenHash = checkedTokenHash.clone();
    } else {
      fresh.aggregatorAuthTokenHash = checkedTokenHash.clone();
    }
    fresh.taskprovConfig = taskConfig.clone();
    fresh.updatedBy = "taskprov";
    return store(fresh);
  }

  private Task store(TaskEntity fresh) {
    Task task = toTask(fresh);
    HibernateReactive.await(() -> Panache.withTransaction(() -> TaskEntity
        .<TaskEntity>find("taskId", (Object) fresh.taskId).withLock(
            jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult()
        .chain(existing -> {
          if (existing == null) {
            return fresh.persist();
          }
          List<String> changed = immutableChanges(toTask(existing), task);
          if (changed.isEmpty()) {
            copy(fresh, existing);
            return Uni.createFrom().item(existing);
          }
          return Panache.getSession().chain(session -> session.createNativeQuery("""
              SELECT (EXISTS (SELECT 1 FROM client_reports WHERE task_id = :t)
                   OR EXISTS (SELECT 1 FROM aggregation_jobs WHERE task_id = :t)
                   OR EXISTS (SELECT 1 FROM batch_aggregations WHERE task_id = :t)
                   OR EXISTS (SELECT 1 FROM collection_jobs WHERE task_id = :t))::text""",
              String.class).setParameter("t", fresh.taskId).getSingleResult())
              .chain(hasData -> {
                if ("true".equals(hasData)) {
                  throw new ImmutableFieldsException("task " + task.id() + " holds data, so "
                      + String.join(", ", changed) + " cannot change; create a new task");
                }
                copy(fresh, existing);
                return Uni.createFrom().item(existing);
              });
        })));
    invalidate(task.id());
    LOG.infof("task %s provisioned: %s, %s, %s%s", task.id(), task.role(), task.vdaf().type(),
        task.queryType(), task.dpStrategy().map(s -> ", noise " + s.type() + " "
            + s.budgetName() + "=" + s.budget()).orElse(""));
    return task;
  }

  /** Deletes a task and everything stored for it; false if there was none. */
  public boolean delete(TaskId id) {
    Long n = HibernateReactive.await(() -> Panache.withTransaction(
        () -> TaskEntity.delete("taskId", (Object) id.bytes())));
    invalidate(id);
    return n > 0;
  }

  /** The task as JSON for the admin API, without any secret. */
  public Map<String, Object> describe(Task t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", t.id().toBase64Url());
    m.put("role", t.role().name().toLowerCase(Locale.ROOT));
    m.put("peer_endpoint", t.peerEndpoint().toString());
    m.put("query_type", t.queryType().name().toLowerCase(Locale.ROOT));
    t.maxBatchSize().ifPresent(v -> m.put("max_batch_size", v));
    Map<String, Object> vdaf = new LinkedHashMap<>();
    vdaf.put("type", t.vdaf().type());
    vdaf.putAll(t.vdaf().parameters());
    m.put("vdaf", vdaf);
    m.put("max_batch_query_count", t.maxBatchQueryCount());
    t.taskExpiration().ifPresent(v -> m.put("task_expiration", v.seconds()));
    t.reportExpiryAge().ifPresent(v -> m.put("report_expiry_age", v.seconds()));
    m.put("min_batch_size", t.minBatchSize());
    m.put("time_precision", t.timePrecision().seconds());
    m.put("tolerable_clock_skew", t.tolerableClockSkew().seconds());
    m.put("collector_hpke_config", b64(t.collectorHpkeConfig().encode()));
    t.dpStrategy().ifPresent(s -> m.put("dp_strategy", DpStrategies.toJson(s)));
    t.taskprovConfig().ifPresent(c -> m.put("taskprov_config", b64(c)));
    if (t.isDap18()) {
      Task.Dap18 d = t.dap18().orElseThrow();
      m.put("dap_version", t.dapVersion().tag());
      m.put("task_info", b64(d.configuration().taskInfo()));
      m.put("leader_aggregator_endpoint", d.configuration().leaderAggregatorEndpoint());
      m.put("helper_aggregator_endpoint", d.configuration().helperAggregatorEndpoint());
      m.put("batch_mode", t.queryType() == Task.QueryKind.TIME_INTERVAL
          ? "time_interval" : "leader_selected");
      d.taskStart().ifPresent(s -> m.put("task_interval", Map.of("start", s.seconds(),
          "duration", t.taskExpiration().orElseThrow().seconds() - s.seconds())));
      m.put("task_configuration", b64(d.taskConfiguration()));
      m.remove("query_type");
    }
    return m;
  }

  // ---- conversions -------------------------------------------------------------------------

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] unb64(String s, String field) {
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not base64url");
    }
  }

  private static <T> T required(T v, String field) {
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  private static DapVersion versionOf(TaskDefinition d) {
    if (d.dapVersion() == null) {
      return DapVersion.DAP_09;
    }
    return DapVersion.ofTag(d.dapVersion()).orElseThrow(
        () -> new IllegalArgumentException("dap_version must be dap-09 or dap-18"));
  }

  /**
   * A DAP-18 definition's fields in the shape of a DAP-09 one (peer endpoint from the two
   * endpoints, query type from the batch mode, task expiration the end of the task interval),
   * so one validation and one mapping serve both; the TaskConfiguration is built in {@link
   * #dap18Entity}.
   */
  private static TaskDefinition asDap09Shape(TaskDefinition d) {
    for (String[] f : new String[][] {{d.peerEndpoint(), "peer_endpoint"},
        {d.queryType(), "query_type"}, {d.taskExpiration() == null ? null : "", "task_expiration"}}) {
      if (f[0] != null) {
        throw new IllegalArgumentException(f[1] + " is not a DAP-18 task field (see "
            + "leader_aggregator_endpoint, helper_aggregator_endpoint, batch_mode, task_interval)");
      }
    }
    String role = required(d.role(), "role").toLowerCase(Locale.ROOT);
    String peer = role.equals("leader")
        ? required(d.helperAggregatorEndpoint(), "helper_aggregator_endpoint")
        : required(d.leaderAggregatorEndpoint(), "leader_aggregator_endpoint");
    String mode = required(d.batchMode(), "batch_mode").toLowerCase(Locale.ROOT);
    String queryType = switch (mode) {
      case "time_interval" -> "time_interval";
      case "leader_selected" -> "fixed_size";
      default -> throw new IllegalArgumentException(
          "batch_mode must be time_interval or leader_selected");
    };
    Long expiration = null;
    if (d.taskInterval() != null) {
      Long start = d.taskInterval().get("start");
      Long duration = d.taskInterval().get("duration");
      if (start == null || duration == null || d.taskInterval().size() != 2) {
        throw new IllegalArgumentException("task_interval is {\"start\": s, \"duration\": s}");
      }
      expiration = start + duration;
    }
    return new TaskDefinition(d.taskId(), d.role(), peer, queryType, d.maxBatchSize(), d.vdaf(),
        d.vdafVerifyKey(), d.maxBatchQueryCount(), expiration, d.reportExpiryAge(),
        d.minBatchSize(), d.timePrecision(), d.tolerableClockSkew(), d.collectorHpkeConfig(),
        d.aggregatorAuthToken(), d.collectorAuthToken(), d.dpStrategy());
  }

  private TaskEntity toEntity(TaskDefinition d) {
    DapVersion version = versionOf(d);
    if (version == DapVersion.DAP_18) {
      return dap18Entity(d);
    }
    if (d.taskInfo() != null || d.leaderAggregatorEndpoint() != null
        || d.helperAggregatorEndpoint() != null || d.batchMode() != null
        || d.taskInterval() != null) {
      throw new IllegalArgumentException("task_info, leader_aggregator_endpoint, "
          + "helper_aggregator_endpoint, batch_mode and task_interval need dap_version dap-18");
    }
    return dap09Entity(d, VdafVersion.DRAFT_08);
  }

  private TaskEntity dap18Entity(TaskDefinition d) {
    if (d.vdaf() != null && "poplar1".equalsIgnoreCase(String.valueOf(d.vdaf().get("type")))
        && "leader_selected".equalsIgnoreCase(String.valueOf(d.batchMode()))) {
      // Collection-driven aggregation (see AggregationJobCreator) forms time-interval batches.
      throw new IllegalArgumentException("Poplar1 DAP-18 tasks must use batch_mode time_interval"
          + " (leader_selected is not served for Poplar1)");
    }
    TaskEntity e = dap09Entity(asDap09Shape(d), VdafVersion.DRAFT_20);
    TimePrecision precision = TimePrecision.ofSeconds(e.timePrecision);
    List<TaskExtension> extensions = new java.util.ArrayList<>();
    if (d.taskInterval() != null) {
      long start = d.taskInterval().get("start");
      long duration = d.taskInterval().get("duration");
      if (start < 0 || duration <= 0 || start % e.timePrecision != 0
          || duration % e.timePrecision != 0) {
        throw new IllegalArgumentException(
            "task_interval start and duration must be positive multiples of time_precision");
      }
      // §4.1.1: the wire counts time_precision units; the definition says seconds.
      extensions.add(TaskExtension.taskInterval(Interval.of(start / e.timePrecision,
          duration / e.timePrecision)));
    }
    TaskConfiguration c = TaskConfiguration.of(
        unb64(required(d.taskInfo(), "task_info"), "task_info"),
        required(d.leaderAggregatorEndpoint(), "leader_aggregator_endpoint"),
        required(d.helperAggregatorEndpoint(), "helper_aggregator_endpoint"),
        precision, e.minBatchSize,
        Task.QueryKind.valueOf(e.queryType) == Task.QueryKind.TIME_INTERVAL
            ? BatchMode.TIME_INTERVAL : BatchMode.LEADER_SELECTED,
        vdafConfig(vdafOf(VdafVersion.DRAFT_20, readVdaf(e.vdaf))), extensions);
    e.dapVersion = DapVersion.DAP_18.tag();
    e.taskConfiguration = c.encode();
    return e;
  }

  /** A draft-20 VDAF as DAP-18 Appendix B encodes it in a TaskConfiguration. */
  private static VdafConfig vdafConfig(VdafInstance vdaf) {
    return io.pando.core.vdaf.Dap18Vdafs.config(vdaf);
  }

  private TaskEntity dap09Entity(TaskDefinition d, VdafVersion vdafVersion) {
    TaskEntity e = new TaskEntity();
    byte[] id = unb64(required(d.taskId(), "task_id"), "task_id");
    if (id.length != TaskId.LENGTH) {
      throw new IllegalArgumentException("task_id must be 32 bytes");
    }
    e.taskId = id;
    String role = required(d.role(), "role").toUpperCase(Locale.ROOT);
    Task.Role r;
    try {
      r = Task.Role.valueOf(role);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("role must be leader or helper");
    }
    e.role = r.name();
    URI peer = URI.create(required(d.peerEndpoint(), "peer_endpoint"));
    if (peer.getScheme() == null || !peer.getScheme().startsWith("http")) {
      throw new IllegalArgumentException("peer_endpoint must be an http(s) URL");
    }
    e.peerEndpoint = peer.toString();
    String qt = required(d.queryType(), "query_type").toUpperCase(Locale.ROOT);
    try {
      e.queryType = Task.QueryKind.valueOf(qt).name();
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("query_type must be time_interval or fixed_size");
    }
    e.maxBatchSize = d.maxBatchSize();
    Map<String, Object> vdaf = required(d.vdaf(), "vdaf");
    VdafInstance v = vdafOf(vdafVersion, vdaf);
    if (v instanceof VdafInstance.Poplar1 && Task.QueryKind.valueOf(e.queryType)
        == Task.QueryKind.FIXED_SIZE) {
      // Collection-driven aggregation (see AggregationJobCreator) forms time-interval batches.
      throw new IllegalArgumentException("Poplar1 tasks must use query_type time_interval");
    }
    try {
      e.vdaf = json.writeValueAsString(vdafJson(v));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
    byte[] verifyKey = unb64(required(d.vdafVerifyKey(), "vdaf_verify_key"), "vdaf_verify_key");
    if (verifyKey.length != DapVdaf.of(v).verifyKeySize()) {
      throw new IllegalArgumentException("vdaf_verify_key must be "
          + DapVdaf.of(v).verifyKeySize() + " bytes for " + v.type());
    }
    e.vdafVerifyKey = crypter.encrypt("tasks", "vdaf_verify_key", id, verifyKey);
    e.maxBatchQueryCount = positive(d.maxBatchQueryCount(), 1L, "max_batch_query_count");
    e.taskExpiration = d.taskExpiration();
    e.reportExpiryAge = d.reportExpiryAge();
    e.minBatchSize = positive(d.minBatchSize(), null, "min_batch_size");
    e.timePrecision = positive(d.timePrecision(), null, "time_precision");
    e.tolerableClockSkew = d.tolerableClockSkew() == null ? 60 : d.tolerableClockSkew();
    if (e.tolerableClockSkew < 0) {
      throw new IllegalArgumentException("tolerable_clock_skew must not be negative");
    }
    if (Task.QueryKind.valueOf(e.queryType) == Task.QueryKind.FIXED_SIZE
        && e.maxBatchSize != null && e.maxBatchSize < e.minBatchSize) {
      throw new IllegalArgumentException("max_batch_size must be at least min_batch_size");
    }
    byte[] collectorConfig = unb64(required(d.collectorHpkeConfig(), "collector_hpke_config"),
        "collector_hpke_config");
    try {
      HpkeConfig.decode(collectorConfig);
    } catch (DecodeException ex) {
      throw new IllegalArgumentException("collector_hpke_config is not an encoded HpkeConfig");
    }
    e.collectorHpkeConfig = collectorConfig;
    String aggToken = required(d.aggregatorAuthToken(), "aggregator_auth_token");
    AuthTokens.requireStrong("aggregator_auth_token", aggToken);
    if (r == Task.Role.LEADER) {
      e.aggregatorAuthToken = crypter.encrypt("tasks", "aggregator_auth_token", id,
          aggToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String collectorToken = required(d.collectorAuthToken(), "collector_auth_token");
      AuthTokens.requireStrong("collector_auth_token", collectorToken);
      e.collectorAuthTokenHash = AuthTokens.hash(collectorToken);
    } else {
      e.aggregatorAuthTokenHash = AuthTokens.hash(aggToken);
    }
    if (d.dpStrategy() != null) {
      DpStrategy s = DpStrategies.fromJson(d.dpStrategy());
      DpStrategies.check(s, v);
      try {
        e.dpStrategy = json.writeValueAsString(DpStrategies.toJson(s));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }
    e.updatedBy = "put-task";
    return e;
  }

  private static long positive(Long v, Long dflt, String field) {
    Long x = v == null ? dflt : v;
    if (x == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (x <= 0) {
      throw new IllegalArgumentException(field + " must be positive");
    }
    return x;
  }

  private static VdafInstance vdafOf(VdafVersion version, Map<String, Object> vdaf) {
    Object type = vdaf.get("type");
    if (!(type instanceof String s)) {
      throw new IllegalArgumentException("vdaf.type is required");
    }
    Map<String, Number> params = new LinkedHashMap<>();
    for (Map.Entry<String, Object> p : vdaf.entrySet()) {
      if (p.getKey().equals("type")) {
        continue;
      }
      if (p.getValue() instanceof Number n) {
        params.put(p.getKey(), n);
      } else if (p.getValue() instanceof String str && str.matches("\\d{1,9}")) {
        params.put(p.getKey(), Integer.parseInt(str));
      } else {
        throw new IllegalArgumentException("vdaf." + p.getKey() + " must be an integer");
      }
    }
    return VdafInstance.of(version, s, params);
  }

  private Map<String, Object> readVdaf(String stored) {
    try {
      return json.readValue(stored, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("stored VDAF of task is not JSON", ex);
    }
  }

  private static Map<String, Object> vdafJson(VdafInstance v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", v.type());
    m.putAll(v.parameters());
    return m;
  }

  private static void copy(TaskEntity from, TaskEntity to) {
    to.role = from.role;
    to.peerEndpoint = from.peerEndpoint;
    to.queryType = from.queryType;
    to.maxBatchSize = from.maxBatchSize;
    to.vdaf = from.vdaf;
    to.vdafVerifyKey = from.vdafVerifyKey;
    to.maxBatchQueryCount = from.maxBatchQueryCount;
    to.taskExpiration = from.taskExpiration;
    to.reportExpiryAge = from.reportExpiryAge;
    to.minBatchSize = from.minBatchSize;
    to.timePrecision = from.timePrecision;
    to.tolerableClockSkew = from.tolerableClockSkew;
    to.collectorHpkeConfig = from.collectorHpkeConfig;
    to.aggregatorAuthToken = from.aggregatorAuthToken;
    to.aggregatorAuthTokenHash = from.aggregatorAuthTokenHash;
    to.collectorAuthTokenHash = from.collectorAuthTokenHash;
    to.taskprovConfig = from.taskprovConfig;
    to.dpStrategy = from.dpStrategy;
    to.dapVersion = from.dapVersion;
    to.taskConfiguration = from.taskConfiguration;
    to.updatedBy = from.updatedBy;
  }

  Task toTask(TaskEntity e) {
    Map<String, Object> vdaf = readVdaf(e.vdaf);
    DapVersion version = DapVersion.ofTag(e.dapVersion).orElseThrow(
        () -> new IllegalStateException("stored dap_version is unknown: " + e.dapVersion));
    Optional<Task.Dap18> dap18 = Optional.empty();
    if (version == DapVersion.DAP_18) {
      try {
        dap18 = Optional.of(new Task.Dap18(TaskConfiguration.decode(e.taskConfiguration)));
      } catch (DecodeException | NullPointerException ex) {
        throw new IllegalStateException("stored task configuration does not decode", ex);
      }
    }
    HpkeConfig collector;
    try {
      collector = HpkeConfig.decode(e.collectorHpkeConfig);
    } catch (DecodeException ex) {
      throw new IllegalStateException("stored collector HPKE config does not decode", ex);
    }
    return new Task(
        TaskId.of(e.taskId),
        Task.Role.valueOf(e.role),
        URI.create(e.peerEndpoint.endsWith("/") ? e.peerEndpoint : e.peerEndpoint + "/"),
        Task.QueryKind.valueOf(e.queryType),
        Optional.ofNullable(e.maxBatchSize),
        vdafOf(version.vdafVersion(), vdaf),
        SecretBytes.copyOf(crypter.decrypt("tasks", "vdaf_verify_key", e.taskId,
            e.vdafVerifyKey)),
        e.maxBatchQueryCount,
        Optional.ofNullable(e.taskExpiration).map(Time::ofSeconds),
        Optional.ofNullable(e.reportExpiryAge).map(Duration::ofSeconds),
        e.minBatchSize,
        Duration.ofSeconds(e.timePrecision),
        Duration.ofSeconds(e.tolerableClockSkew),
        collector,
        Optional.ofNullable(e.aggregatorAuthToken).map(ct -> SecretBytes.copyOf(
            crypter.decrypt("tasks", "aggregator_auth_token", e.taskId, ct))),
        Optional.ofNullable(e.aggregatorAuthTokenHash),
        Optional.ofNullable(e.collectorAuthTokenHash),
        Optional.ofNullable(e.dpStrategy).map(this::dpStrategyOf),
        Optional.ofNullable(e.taskprovConfig),
        version,
        dap18);
  }

  private DpStrategy dpStrategyOf(String stored) {
    try {
      return DpStrategies.fromJson(json.readValue(stored,
          new TypeReference<Map<String, Object>>() {}));
    } catch (JsonProcessingException | IllegalArgumentException ex) {
      throw new IllegalStateException("stored dp_strategy of task is unusable", ex);
    }
  }
}
