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
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportUploadStatus;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.UploadErrors;
import io.pando.dap.messages.dap18.UploadRequest;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The DAP upload client (DAP-09 §4.4, DAP-18 §4.4): fetches both aggregators' HPKE configs
 * (cached), shards a measurement with the task's VDAF, encrypts one input share to each
 * aggregator and uploads the report to the leader. When the leader answers {@code outdatedConfig}
 * (DAP-09: a problem document; DAP-18: {@code outdated_config} in its {@code UploadErrors}), the
 * configs are fetched again and the upload is retried once.
 *
 * <p>The task's version ({@link DapTask#version()}) decides the wire: DAP-09 {@code PUT
 * {leader}tasks/{id}/reports} of one {@link Report}, or DAP-18 {@code POST
 * {leader}tasks/{id}/reports} of an {@link UploadRequest} of one or more reports ({@link
 * #uploadAll}), with the task's {@link TaskConfiguration} bound into each input share's AAD and
 * the VDAF context {@code "dap-18" || task_id}.
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
      PublicKey leaderConfigKey, PublicKey helperConfigKey, Optional<TaskConfig> taskprovConfig,
      Optional<TaskConfiguration> dap18) {
    DapVersion version() {
      return dap18.isPresent() ? DapVersion.DAP_18 : DapVersion.DAP_09;
    }
  }

  /** A measurement sharded with the task's VDAF and the report id as nonce, encoded. */
  private record Shares(byte[] publicShare, byte[] leader, byte[] helper) {}

  @FunctionalInterface
  private interface Sharder<M> {
    Shares shard(M measurement, byte[] nonce, byte[] ctx);
  }

  /** The sealers to both aggregators; {@code expires} null: until {@link #refreshConfigs}. */
  private record Sealers(HpkeConfig leaderConfig, HpkeSealer leader, HpkeConfig helperConfig,
      HpkeSealer helper, Instant expires) {}

  /** A fetched config and the response's {@code Cache-Control: max-age}, if any. */
  private record Fetched(HpkeConfig config, Optional<Long> maxAgeSeconds) {}

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
        task.taskprovConfig(), task.dap18Configuration()), prio3Sharder(task.vdaf()), http,
        clock);
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
    return new DapClient<>(null, new Endpoints(task.id(), withSlash(task.leader()),
        withSlash(task.helper()), task.timePrecision(), null, null, Optional.empty(),
        Optional.empty()), poplar1Sharder(task.vdaf()), http, clock);
  }

  /**
   * A client of a DAP-18 Poplar1 task: measurements as for {@link #poplar1(Poplar1Task,
   * HttpTransport, Clock)}, sharded with Poplar1 of draft-irtf-cfrg-vdaf-20 and the context
   * {@code "dap-18" || task_id}.
   *
   * @throws IllegalArgumentException if the configuration's VDAF is not Poplar1
   */
  public static DapClient<String> poplar1(TaskId id, TaskConfiguration configuration,
      HttpTransport http, Clock clock) {
    Poplar1 vdaf = Dap18Vdafs.poplar1(configuration.vdaf());
    return new DapClient<>(null, new Endpoints(id,
        withSlash(URI.create(configuration.leaderAggregatorEndpoint())),
        withSlash(URI.create(configuration.helperAggregatorEndpoint())),
        Duration.ofSeconds(configuration.timePrecision().seconds()), null, null,
        Optional.empty(), Optional.of(configuration)), poplar1Sharder(vdaf), http, clock);
  }

  private static Sharder<String> poplar1Sharder(Poplar1 vdaf) {
    return (bits, nonce, ctx) -> {
      Poplar1Sharded s = vdaf.shard(ctx, Poplar1Bits.parse(bits, vdaf.bits()), nonce);
      return new Shares(vdaf.encodePublicShare(s.publicShare()),
          vdaf.encodeInputShare(s.inputShares().get(0)),
          vdaf.encodeInputShare(s.inputShares().get(1)));
    };
  }

  /** {@link #poplar1(Poplar1Task, HttpTransport, Clock)} with the platform's transport. */
  public static DapClient<String> poplar1(Poplar1Task task) {
    return poplar1(task, HttpTransport.platformDefault(), Clock.systemUTC());
  }

  private static <M> Sharder<M> prio3Sharder(Prio3<M, ?> vdaf) {
    return (measurement, nonce, ctx) -> {
      Sharded sharded = vdaf.shard(ctx, measurement, nonce);
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

  /** The draft the task speaks. */
  public DapVersion version() {
    return endpoints.version();
  }

  /**
   * Shards, encrypts and uploads one measurement with the given time (rounded down). A DAP-18
   * report the leader refuses in its {@code UploadErrors} fails with {@link
   * DapClientException#reportError()} set.
   */
  public ReportId upload(M measurement, Instant time) throws DapClientException {
    if (endpoints.dap18().isPresent()) {
      UploadResult r = uploadAll(List.of(measurement), time);
      ReportId id = r.reportIds().get(0);
      Optional<ReportError> error = r.error(id);
      if (error.isPresent()) {
        throw new DapClientException("the leader refused report " + id + ": "
            + error.get().draftName(), 200, error.get());
      }
      return id;
    }
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
    requireVersion(DapVersion.DAP_09);
    ReportId id = ReportId.random();
    // Shard first: a measurement the VDAF refuses fails before any request is made.
    Shares shares = sharder.shard(measurement, id.bytes(), new byte[0]);
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

  /**
   * DAP-18 §4.4.2: shards, encrypts and uploads several measurements in one {@link
   * UploadRequest}, all timestamped now. Reports refused with {@code outdated_config} are built
   * again with freshly fetched configs and sent once more.
   *
   * @return every report's id and the leader's {@code UploadErrors}
   * @throws DapClientException if the request fails as a whole (transport, problem document)
   * @throws IllegalStateException for a DAP-09 task
   */
  public UploadResult uploadAll(List<M> measurements) throws DapClientException {
    return uploadAll(measurements, clock.instant());
  }

  /** {@link #uploadAll(List)} with the given time (rounded down to the time precision). */
  public UploadResult uploadAll(List<M> measurements, Instant time) throws DapClientException {
    requireVersion(DapVersion.DAP_18);
    List<io.pando.dap.messages.dap18.Report> reports = new ArrayList<>();
    for (M m : measurements) {
      reports.add(prepareDap18Report(m, time));
    }
    List<ReportUploadStatus> refused = new ArrayList<>(post(reports).status());
    List<Integer> outdated = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      ReportId id = reports.get(i).metadata().reportId();
      for (ReportUploadStatus s : refused) {
        if (s.id().equals(id) && s.error() == ReportError.OUTDATED_CONFIG) {
          outdated.add(i);
        }
      }
    }
    if (!outdated.isEmpty()) {
      // §4.4.2: invalidate the cached HpkeConfigList and retry with freshly generated reports.
      sealers = null;
      List<io.pando.dap.messages.dap18.Report> again = new ArrayList<>();
      Set<ReportId> replaced = new HashSet<>();
      for (int i : outdated) {
        replaced.add(reports.get(i).metadata().reportId());
        io.pando.dap.messages.dap18.Report r = prepareDap18Report(measurements.get(i), time);
        reports.set(i, r);
        again.add(r);
      }
      refused.removeIf(s -> replaced.contains(s.id()));
      refused.addAll(post(again).status());
    }
    List<ReportId> ids = new ArrayList<>();
    for (io.pando.dap.messages.dap18.Report r : reports) {
      ids.add(r.metadata().reportId());
    }
    // Request order (§4.4.2), whatever the retry did to it.
    List<ReportUploadStatus> ordered = new ArrayList<>();
    for (ReportId id : ids) {
      for (ReportUploadStatus s : refused) {
        if (s.id().equals(id)) {
          ordered.add(s);
        }
      }
    }
    return new UploadResult(ids, ordered);
  }

  /**
   * DAP-18 §4.4.2: builds the encrypted report for a measurement without sending it. A random
   * report id, which is also the VDAF nonce; the time is {@code floor(time / time_precision)} in
   * time_precision units; the shards are made with the context {@code "dap-18" || task_id}; each
   * input share is a {@code PlaintextInputShare} without private extensions, sealed with {@code
   * "dap-18 input share" || 0x01 || server_role} and the {@code InputShareAad} that binds the
   * task's configuration.
   */
  public io.pando.dap.messages.dap18.Report prepareDap18Report(M measurement, Instant time)
      throws DapClientException {
    requireVersion(DapVersion.DAP_18);
    TaskConfiguration configuration = endpoints.dap18().get();
    ReportId id = ReportId.random();
    // Shard first: a measurement the VDAF refuses fails before any request is made.
    Shares shares = sharder.shard(measurement, id.bytes(),
        DapVersion.DAP_18.vdafContext(endpoints.id()));
    Sealers s = sealers();
    io.pando.dap.messages.dap18.ReportMetadata metadata =
        new io.pando.dap.messages.dap18.ReportMetadata(id,
            io.pando.dap.messages.dap18.Time.ofSeconds(time.getEpochSecond(),
                configuration.timePrecision()));
    byte[] publicShare = shares.publicShare();
    byte[] aad = new io.pando.dap.messages.dap18.InputShareAad(endpoints.id(), configuration,
        metadata, publicShare).encode();
    HpkeCiphertext leader = s.leader().seal(
        ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER),
        new io.pando.dap.messages.dap18.PlaintextInputShare(List.of(), shares.leader()).encode(),
        aad);
    HpkeCiphertext helper = s.helper().seal(
        ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER),
        new io.pando.dap.messages.dap18.PlaintextInputShare(List.of(), shares.helper()).encode(),
        aad);
    return new io.pando.dap.messages.dap18.Report(metadata, publicShare, leader, helper);
  }

  /**
   * Uploads already built DAP-18 reports: {@code POST {leader}tasks/{task-id}/reports} with an
   * {@code upload-req} body. A 2xx with an empty body means all were accepted; otherwise the body
   * is the leader's {@code UploadErrors} (DAP-18 §4.4.2).
   */
  public UploadErrors post(List<io.pando.dap.messages.dap18.Report> reports)
      throws DapClientException {
    requireVersion(DapVersion.DAP_18);
    URI uri = endpoints.leader().resolve("tasks/" + endpoints.id().toBase64Url() + "/reports");
    HttpTransport.Response response = send(new HttpTransport.Request("POST", uri,
        Map.of("Content-Type", io.pando.dap.messages.dap18.MediaTypes.UPLOAD_REQ),
        new UploadRequest(reports).encode()), "upload to " + uri);
    if (response.status() / 100 != 2) {
      throw failure("upload to " + uri, response);
    }
    if (response.body().length == 0) {
      return new UploadErrors(List.of());
    }
    String type = response.header("Content-Type").orElse(null);
    if (!io.pando.dap.messages.dap18.MediaTypes.is(type,
        io.pando.dap.messages.dap18.MediaTypes.Message.UPLOAD_ERRORS)) {
      throw new DapClientException("upload to " + uri + " answered " + response.status()
          + " with " + type + ", not " + io.pando.dap.messages.dap18.MediaTypes.UPLOAD_ERRORS,
          response.status(), null, null);
    }
    UploadErrors errors;
    try {
      errors = UploadErrors.decode(response.body());
    } catch (DecodeException e) {
      throw new DapClientException("malformed UploadErrors from " + uri + ": " + e.getMessage(),
          response.status(), null, e);
    }
    Set<ReportId> sent = new HashSet<>();
    for (io.pando.dap.messages.dap18.Report r : reports) {
      sent.add(r.metadata().reportId());
    }
    for (ReportUploadStatus s : errors.status()) {
      if (!sent.contains(s.id())) {
        throw new DapClientException("UploadErrors from " + uri + " names report " + s.id()
            + ", which was not sent", response.status(), null, null);
      }
    }
    return errors;
  }

  private void requireVersion(DapVersion version) {
    if (endpoints.version() != version) {
      throw new IllegalStateException("this is a " + endpoints.version().tag()
          + " task; the call is " + version.tag() + "'s");
    }
  }

  /** Uploads an already built report: {@code PUT {leader}/tasks/{task-id}/reports}. */
  public void put(Report report) throws DapClientException {
    requireVersion(DapVersion.DAP_09);
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
    Instant now = clock.instant();
    if (s == null || (s.expires() != null && !now.isBefore(s.expires()))) {
      Fetched leader = fetch(endpoints.leader(), endpoints.leaderConfigKey());
      Fetched helper = fetch(endpoints.helper(), endpoints.helperConfigKey());
      // DAP-18 §4.4.1: the lists may be cached for as long as Cache-Control allows.
      Instant expires = null;
      if (endpoints.dap18().isPresent()) {
        for (Fetched f : List.of(leader, helper)) {
          if (f.maxAgeSeconds().isPresent()) {
            Instant e = now.plusSeconds(f.maxAgeSeconds().get());
            expires = expires == null || e.isBefore(expires) ? e : expires;
          }
        }
      }
      try {
        s = new Sealers(leader.config(), Hpke.sealer(leader.config()), helper.config(),
            Hpke.sealer(helper.config()), expires);
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
    return fetch(aggregator, pinned).config();
  }

  /**
   * DAP-09: {@code GET {aggregator}hpke_config?task_id=...}; DAP-18 §4.4.1: {@code GET
   * {aggregator}hpke_config}, the aggregator's global configs, whose {@code Cache-Control:
   * max-age} bounds how long they are used.
   */
  private Fetched fetch(URI aggregator, PublicKey pinned) throws DapClientException {
    boolean dap18 = endpoints.dap18().isPresent();
    URI uri = aggregator.resolve(dap18 || endpoints.taskprovConfig().isPresent() ? "hpke_config"
        : "hpke_config?task_id=" + endpoints.id().toBase64Url());
    HttpTransport.Response response = send(new HttpTransport.Request("GET", uri,
        Map.of("Accept", dap18 ? io.pando.dap.messages.dap18.MediaTypes.HPKE_CONFIG_LIST
            : MediaTypes.HPKE_CONFIG_LIST), new byte[0]), "HPKE config from " + uri);
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
    HpkeConfig config = Hpke.firstSupported(list).orElseThrow(() -> new DapClientException(
        "no supported HPKE config at " + uri + " (offered: " + list.configs() + ")", null));
    return new Fetched(config, maxAge(response.header("Cache-Control").orElse(null)));
  }

  /**
   * The freshness lifetime of RFC 9111 §5.2.2.1 {@code max-age}; {@code no-store} and {@code
   * no-cache} count as 0. Empty without such a directive.
   */
  static Optional<Long> maxAge(String cacheControl) {
    if (cacheControl == null) {
      return Optional.empty();
    }
    Optional<Long> age = Optional.empty();
    for (String d : cacheControl.split(",")) {
      String t = d.trim().toLowerCase(Locale.ROOT);
      if (t.equals("no-store") || t.equals("no-cache")) {
        return Optional.of(0L);
      }
      if (t.startsWith("max-age=")) {
        String v = t.substring("max-age=".length()).replace("\"", "");
        try {
          age = Optional.of(Math.max(0L, Long.parseLong(v)));
        } catch (NumberFormatException e) {
          return Optional.of(0L); // RFC 9111 §4.2.1: an invalid max-age is stale
        }
      }
    }
    return age;
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
