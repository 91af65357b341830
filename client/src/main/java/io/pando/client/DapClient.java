package io.pando.client;

import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.ConfigListSignature;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeSealer;
import io.pando.core.http.DapRequestException;
import io.pando.core.taskprov.Taskprov;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.core.vdaf.Poplar1Bits;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The DAP-09 upload client (§4.4): fetches both aggregators' HPKE configs (cached), shards a
 * measurement with the task's VDAF, encrypts one input share to each aggregator and uploads the
 * report to the leader. When the leader answers {@code outdatedConfig}, the configs are fetched
 * again and the upload is retried once.
 *
 * <p>HTTP goes through an {@link HttpTransport}: by default the JDK's {@code java.net.http}
 * where it exists and {@code HttpURLConnection} elsewhere (Android). Thread-safe.
 *
 * @param <M> the VDAF's measurement type
 */
public final class DapClient<M> {
  private final DapTask<M> task;
  private final Endpoints endpoints;
  private final Sharder<M> sharder;
  private final HttpTransport http;
  private final Clock clock;
  private volatile Sealers sealers;

  /** Where a task's reports go and how they are stamped, whatever its VDAF. */
  private record Endpoints(TaskId id, URI leader, URI helper, Duration timePrecision,
      PublicKey leaderConfigKey, PublicKey helperConfigKey, Optional<TaskConfig> taskprovConfig) {}

  /** A measurement sharded with the task's VDAF and the report id as nonce, encoded. */
  private record Shares(byte[] publicShare, byte[] leader, byte[] helper) {}

  @FunctionalInterface
  private interface Sharder<M> {
    Shares shard(M measurement, byte[] nonce);
  }

  private record Sealers(HpkeConfig leaderConfig, HpkeSealer leader, HpkeConfig helperConfig,
      HpkeSealer helper) {}

  /** With {@link HttpTransport#platformDefault()} and the system clock. */
  public DapClient(DapTask<M> task) {
    this(task, HttpTransport.platformDefault(), Clock.systemUTC());
  }

  /** With the given transport and the system clock. */
  public DapClient(DapTask<M> task, HttpTransport http) {
    this(task, http, Clock.systemUTC());
  }

  public DapClient(DapTask<M> task, HttpTransport http, Clock clock) {
    this(Objects.requireNonNull(task), new Endpoints(task.id(), task.leader(), task.helper(),
        task.timePrecision(), task.leaderConfigKey(), task.helperConfigKey(),
        task.taskprovConfig()), prio3Sharder(task.vdaf()), http, clock);
  }

  private DapClient(DapTask<M> task, Endpoints endpoints, Sharder<M> sharder, HttpTransport http,
      Clock clock) {
    this.task = task;
    this.endpoints = endpoints;
    this.sharder = sharder;
    this.http = Objects.requireNonNull(http);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * A client of a DAP-09 Poplar1 task: a measurement is a bit string of the task's {@code bits}
   * characters '0'/'1', first the most significant (e.g. {@code "0110"}); a string of another
   * length or with another character is refused with {@link IllegalArgumentException} before
   * anything is sent. Sharded with Poplar1 of draft-irtf-cfrg-vdaf-08, the report id as nonce.
   */
  public static DapClient<String> poplar1(Poplar1Task task, HttpTransport http, Clock clock) {
    Poplar1 vdaf = task.vdaf();
    Sharder<String> sharder = (bits, nonce) -> {
      Poplar1Sharded s = vdaf.shard(Poplar1Bits.parse(bits, vdaf.bits()), nonce);
      return new Shares(vdaf.encodePublicShare(s.publicShare()),
          vdaf.encodeInputShare(s.inputShares().get(0)),
          vdaf.encodeInputShare(s.inputShares().get(1)));
    };
    return new DapClient<>(null, new Endpoints(task.id(), withSlash(task.leader()),
        withSlash(task.helper()), task.timePrecision(), null, null, Optional.empty()), sharder,
        http, clock);
  }

  /** {@link #poplar1(Poplar1Task, HttpTransport, Clock)} with the platform's transport. */
  public static DapClient<String> poplar1(Poplar1Task task) {
    return poplar1(task, HttpTransport.platformDefault(), Clock.systemUTC());
  }

  private static <M> Sharder<M> prio3Sharder(Prio3<M, ?> vdaf) {
    return (measurement, nonce) -> {
      Sharded sharded = vdaf.shard(measurement, nonce);
      return new Shares(vdaf.encodePublicShare(sharded.publicShare()),
          vdaf.encodeInputShare(sharded.inputShares().get(0)),
          vdaf.encodeInputShare(sharded.inputShares().get(1)));
    };
  }

  private static URI withSlash(URI u) {
    String s = u.toString();
    return s.endsWith("/") ? u : URI.create(s + "/");
  }

  /**
   * The Prio3 task this client uploads to.
   *
   * @throws IllegalStateException for a Poplar1 client ({@link #poplar1}), which has no Prio3
   *     task
   */
  public DapTask<M> task() {
    if (task == null) {
      throw new IllegalStateException("a Poplar1 client has no Prio3 task");
    }
    return task;
  }

  /** The id of the task this client uploads to. */
  public TaskId taskId() {
    return endpoints.id();
  }

  /** Shards, encrypts and uploads one measurement, timestamped now; returns the report id. */
  public ReportId upload(M measurement) throws DapClientException {
    return upload(measurement, clock.instant());
  }

  /** Shards, encrypts and uploads one measurement with the given time (rounded down). */
  public ReportId upload(M measurement, Instant time) throws DapClientException {
    Report report = prepareReport(measurement, time);
    try {
      put(report);
    } catch (DapClientException e) {
      if (e.problemType().orElse(null) != DapProblemType.OUTDATED_CONFIG) {
        throw e;
      }
      // The leader rotated its keys: fetch the configs again and retry once (§4.4.2).
      sealers = null;
      report = prepareReport(measurement, time);
      put(report);
    }
    return report.metadata().reportId();
  }

  /**
   * Builds the encrypted report for a measurement (§4.4.2) without sending it: a random report
   * id, which is also the VDAF nonce, and the time rounded down to the task's time precision.
   */
  public Report prepareReport(M measurement, Instant time) throws DapClientException {
    ReportId id = ReportId.random();
    // Shard first: a measurement the VDAF refuses fails before any request is made.
    Shares shares = sharder.shard(measurement, id.bytes());
    Sealers s = sealers();
    long precision = endpoints.timePrecision().seconds();
    long seconds = Math.floorDiv(time.getEpochSecond(), precision) * precision;
    ReportMetadata metadata = new ReportMetadata(id, Time.ofSeconds(seconds));
    byte[] publicShare = shares.publicShare();
    byte[] aad = new InputShareAad(endpoints.id(), metadata, publicShare).encode();
    // draft-wang-ppm-dap-taskprov-06 §3.1: a taskprov task's input shares carry its extension.
    List<Extension> extensions = endpoints.taskprovConfig().isPresent()
        ? List.of(Taskprov.EXTENSION) : List.of();
    HpkeCiphertext leader = s.leader().seal(ApplicationInfo.inputShare(Role.LEADER),
        new PlaintextInputShare(extensions, shares.leader()).encode(), aad);
    HpkeCiphertext helper = s.helper().seal(ApplicationInfo.inputShare(Role.HELPER),
        new PlaintextInputShare(extensions, shares.helper()).encode(), aad);
    return new Report(metadata, publicShare, leader, helper);
  }

  /** Uploads an already built report: {@code PUT {leader}/tasks/{task-id}/reports}. */
  public void put(Report report) throws DapClientException {
    URI uri = endpoints.leader().resolve("tasks/" + endpoints.id().toBase64Url() + "/reports");
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Content-Type", MediaTypes.REPORT);
    // draft-wang-ppm-dap-taskprov-06 §4: the leader provisions the task from this header.
    endpoints.taskprovConfig().ifPresent(c -> headers.put(TaskConfig.HEADER, c.toHeader()));
    HttpTransport.Response response = send(new HttpTransport.Request("PUT", uri, headers,
        report.encode()), "upload to " + uri);
    if (response.status() / 100 != 2) {
      throw failure("upload to " + uri, response);
    }
  }

  /** Forgets the cached HPKE configs; the next upload fetches them again. */
  public void refreshConfigs() {
    sealers = null;
  }

  private Sealers sealers() throws DapClientException {
    Sealers s = sealers;
    if (s == null) {
      HpkeConfig leader = fetchConfig(endpoints.leader(), endpoints.leaderConfigKey());
      HpkeConfig helper = fetchConfig(endpoints.helper(), endpoints.helperConfigKey());
      try {
        s = new Sealers(leader, Hpke.sealer(leader), helper, Hpke.sealer(helper));
      } catch (HpkeException e) {
        throw new DapClientException("unusable HPKE config: " + e.getMessage(), e);
      }
      sealers = s;
    }
    return s;
  }

  /**
   * {@code GET {aggregator}/hpke_config?task_id=...} and the first supported config. A taskprov
   * task is unknown to the aggregators until its first upload, so its configs are asked for
   * without a task id (the aggregator's global configs, DAP-09 §4.4.1).
   */
  HpkeConfig fetchConfig(URI aggregator) throws DapClientException {
    return fetchConfig(aggregator, null);
  }

  /**
   * As {@link #fetchConfig(URI)}; with a pinned key the body must carry its valid signature
   * ({@link ConfigListSignature}), checked before the body is decoded.
   */
  HpkeConfig fetchConfig(URI aggregator, PublicKey pinned) throws DapClientException {
    URI uri = aggregator.resolve(endpoints.taskprovConfig().isPresent() ? "hpke_config"
        : "hpke_config?task_id=" + endpoints.id().toBase64Url());
    HttpTransport.Response response = send(new HttpTransport.Request("GET", uri,
        Map.of("Accept", MediaTypes.HPKE_CONFIG_LIST), new byte[0]), "HPKE config from " + uri);
    if (response.status() != 200) {
      throw failure("HPKE config from " + uri, response);
    }
    String signature = response.header(ConfigListSignature.HEADER).orElse(null);
    if (pinned != null && !ConfigListSignature.verifies(pinned, response.body(), signature)) {
      throw new DapClientException("HPKE config list from " + uri + " is "
          + (signature == null ? "not signed" : "not signed by the pinned key") + " ("
          + ConfigListSignature.HEADER + ")", response.status(), null, null);
    }
    HpkeConfigList list;
    try {
      list = HpkeConfigList.decode(response.body());
    } catch (DecodeException e) {
      throw new DapClientException("malformed HPKE config list from " + uri + ": "
          + e.getMessage(), response.status(), null, e);
    }
    return Hpke.firstSupported(list).orElseThrow(() -> new DapClientException(
        "no supported HPKE config at " + uri + " (offered: " + list.configs() + ")", null));
  }

  private HttpTransport.Response send(HttpTransport.Request request, String what)
      throws DapClientException {
    try {
      return http.send(request);
    } catch (IOException e) {
      throw new DapClientException(what + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DapClientException(what + " interrupted", e);
    }
  }

  private static DapClientException failure(String what, HttpTransport.Response r) {
    ProblemDocument problem = DapRequestException.problemOf(
        r.header("Content-Type").orElse(null), r.body());
    return new DapClientException(DapRequestException.describe(what, r.status(), problem),
        r.status(), problem, null);
  }

}
