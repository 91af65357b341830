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
  private final HttpTransport http;
  private final Clock clock;
  private volatile Sealers sealers;

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
    this.task = Objects.requireNonNull(task);
    this.http = Objects.requireNonNull(http);
    this.clock = Objects.requireNonNull(clock);
  }

  public DapTask<M> task() {
    return task;
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
    Sealers s = sealers();
    ReportId id = ReportId.random();
    long precision = task.timePrecision().seconds();
    long seconds = Math.floorDiv(time.getEpochSecond(), precision) * precision;
    ReportMetadata metadata = new ReportMetadata(id, Time.ofSeconds(seconds));
    Prio3<M, ?> vdaf = task.vdaf();
    Sharded sharded = vdaf.shard(measurement, id.bytes());
    byte[] publicShare = vdaf.encodePublicShare(sharded.publicShare());
    byte[] aad = new InputShareAad(task.id(), metadata, publicShare).encode();
    // draft-wang-ppm-dap-taskprov-06 §3.1: a taskprov task's input shares carry its extension.
    List<Extension> extensions = task.taskprovConfig().isPresent()
        ? List.of(Taskprov.EXTENSION) : List.of();
    HpkeCiphertext leader = s.leader().seal(ApplicationInfo.inputShare(Role.LEADER),
        new PlaintextInputShare(extensions,
            vdaf.encodeInputShare(sharded.inputShares().get(0))).encode(), aad);
    HpkeCiphertext helper = s.helper().seal(ApplicationInfo.inputShare(Role.HELPER),
        new PlaintextInputShare(extensions,
            vdaf.encodeInputShare(sharded.inputShares().get(1))).encode(), aad);
    return new Report(metadata, publicShare, leader, helper);
  }

  /** Uploads an already built report: {@code PUT {leader}/tasks/{task-id}/reports}. */
  public void put(Report report) throws DapClientException {
    URI uri = task.leader().resolve("tasks/" + task.id().toBase64Url() + "/reports");
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Content-Type", MediaTypes.REPORT);
    // draft-wang-ppm-dap-taskprov-06 §4: the leader provisions the task from this header.
    task.taskprovConfig().ifPresent(c -> headers.put(TaskConfig.HEADER, c.toHeader()));
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
      HpkeConfig leader = fetchConfig(task.leader(), task.leaderConfigKey());
      HpkeConfig helper = fetchConfig(task.helper(), task.helperConfigKey());
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
    URI uri = aggregator.resolve(task.taskprovConfig().isPresent() ? "hpke_config"
        : "hpke_config?task_id=" + task.id().toBase64Url());
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
