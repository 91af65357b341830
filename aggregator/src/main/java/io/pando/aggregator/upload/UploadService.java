package io.pando.aggregator.upload;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.datastore.Crypter;
import io.pando.aggregator.datastore.ReportStore.StoredReport;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.http.BodyLimits;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.upload.UploadCounters.Outcome;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.aggregator.taskprov.ReportExtensions;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.Extensions;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportUploadStatus;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.UploadRequest;
import io.pando.dap.messages.problem.DapProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.pando.aggregator.http.Unavailable;
import io.pando.dap.messages.HpkeCiphertext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The leader's upload (DAP-09 §4.4.2; DAP-18 §4.4.2, many reports per request): validates a
 * report and stores it durably, or refuses it with the problem type (DAP-09) or report error
 * (DAP-18) the draft names. Both drafts go through the same checks; nothing is stored for a
 * refused report.
 */
@ApplicationScoped
public class UploadService {
  private static final Logger LOG = Logger.getLogger(UploadService.class);
  private final HpkeKeys keys;
  private final ReportWriter writer;
  private final UploadCounters counters;
  private final Clock clock;
  private final Crypter crypter;

  @Inject
  public UploadService(HpkeKeys keys, ReportWriter writer,
      UploadCounters counters, Clock clock, Crypter crypter) {
    this.crypter = crypter;
    this.keys = keys;
    this.writer = writer;
    this.counters = counters;
    this.clock = clock;
  }

  private DapException reject(TaskId id, Outcome outcome, DapProblemType type, String detail) {
    counters.record(id, outcome);
    return new DapException(type, id, detail);
  }

  /**
   * Handles {@code PUT /tasks/{id}/reports} for the task {@code RequestGuard} found; the stage
   * completes once the report is stored, or fails with the {@link DapException} that refuses it.
   * Everything up to the batched insert runs on the calling (event-loop) thread: the checks are
   * CPU work only.
   */
  public CompletionStage<Void> upload(Task task, byte[] body) {
    return store(task, body);
  }

  private CompletionStage<Void> store(Task task, byte[] body) {
    StoredReport stored;
    try {
      stored = check(task, body);
    } catch (DapException e) {
      return CompletableFuture.failedFuture(e);
    }
    TaskId taskId = task.id();
    return written(taskId, stored).thenApply(isNew -> {
      if (!isNew) {
        counters.recordMetric(taskId, Outcome.DUPLICATE);
        throw new DapException(DapProblemType.REPORT_REJECTED, taskId,
            "a report with this id was already uploaded");
      }
      counters.recordMetric(taskId, Outcome.SUCCESS);
      return null;
    });
  }

  /**
   * Writes the report: completes with whether it was new (false: a replay), or fails with
   * {@link Unavailable} when the datastore could not take it.
   */
  private CompletableFuture<Boolean> written(TaskId taskId, StoredReport stored) {
    return writer.write(stored).orTimeout(30, TimeUnit.SECONDS).handle((isNew, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause instanceof Unavailable u) {
          throw u;
        }
        // The datastore is unreachable or slow: nothing is known to be stored, and a retry is
        // safe (a report that was stored after all is then refused as a replay).
        LOG.warnf("report of task %s not stored: %s", taskId, cause.toString());
        throw new Unavailable(Duration.ofSeconds(5), "the report could not be stored now");
      }
      return isNew;
    });
  }

  /** Every check of §4.4.2 short of replay: the report as it will be stored, or a refusal. */
  private StoredReport check(Task task, byte[] body) {
    if (!task.isLeader()) {
      throw DapException.unrecognizedTask(task.id());
    }
    TaskId taskId = task.id();
    try {
      Report report;
      try {
        report = Report.decode(body);
      } catch (DecodeException e) {
        throw new Refused(Outcome.DECODE_FAILURE, DapProblemType.INVALID_MESSAGE,
            ReportError.INVALID_MESSAGE, "malformed report: " + e.getMessage());
      }
      long time = report.metadata().time().seconds();
      checkTime(task, time, clock.instant().getEpochSecond());
      byte[] plaintext = open(task, ApplicationInfo.inputShare(Role.LEADER),
          report.leaderEncryptedInputShare(), report.inputShareAad(taskId).encode());
      PlaintextInputShare share;
      try {
        share = PlaintextInputShare.decode(plaintext);
      } catch (DecodeException e) {
        throw new Refused(Outcome.DECODE_FAILURE, DapProblemType.REPORT_REJECTED,
            ReportError.INVALID_MESSAGE, "leader plaintext input share does not decode");
      }
      Set<Integer> types = new HashSet<>();
      for (Extension ext : share.extensions()) {
        if (!types.add(ext.extensionType().code())) {
          throw new Refused(Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
              ReportError.INVALID_MESSAGE, "repeated extension type " + ext.extensionType());
        }
      }
      if (!ReportExtensions.acceptable(task, share.extensions())) {
        throw new Refused(Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
            ReportError.INVALID_MESSAGE, task.isTaskprov()
                ? "a taskprov task's report carries exactly the taskprov extension"
                : "unsupported extension " + share.extensions().get(0).extensionType());
      }
      return checkShares(task, report.metadata().reportId(), time, report.publicShare(),
          share.payload(), report.helperEncryptedInputShare());
    } catch (Refused r) {
      throw reject(taskId, r.outcome, r.problem, r.getMessage());
    }
  }

  /**
   * Handles {@code POST /dap-18/tasks/{id}/reports} (draft-ietf-ppm-dap-18 §4.4.2): each report
   * of the UploadRequest is checked and stored on its own; the stage completes with the refused
   * ones in request order (empty: all stored). A body that does not decode fails the stage with
   * invalidMessage and stores nothing.
   */
  public CompletionStage<List<ReportUploadStatus>> uploadAll(Task task, byte[] body) {
    if (!task.isLeader() || !task.isDap18()) {
      return CompletableFuture.failedFuture(DapException.unrecognizedTask(task.id()));
    }
    TaskId taskId = task.id();
    UploadRequest request;
    try {
      request = UploadRequest.decode(body);
    } catch (DecodeException e) {
      return CompletableFuture.failedFuture(reject(taskId, Outcome.DECODE_FAILURE,
          DapProblemType.INVALID_MESSAGE, "malformed upload request: " + e.getMessage()));
    }
    TaskConfiguration configuration = task.dap18().orElseThrow().configuration();
    long now = clock.instant().getEpochSecond();
    List<CompletableFuture<Optional<ReportError>>> outcomes = new ArrayList<>();
    Set<ReportId> seen = new HashSet<>();
    for (io.pando.dap.messages.dap18.Report report : request.reports()) {
      StoredReport stored;
      try {
        stored = check18(task, configuration, report, now);
      } catch (Refused r) {
        counters.record(taskId, r.outcome);
        outcomes.add(CompletableFuture.completedFuture(Optional.of(r.error)));
        continue;
      }
      if (!seen.add(stored.reportId())) {
        // An accepted report with this id came earlier in the request: this one is a replay.
        counters.record(taskId, Outcome.DUPLICATE);
        outcomes.add(CompletableFuture.completedFuture(Optional.of(ReportError.REPORT_REPLAYED)));
        continue;
      }
      outcomes.add(written(taskId, stored).thenApply(isNew -> {
        counters.recordMetric(taskId, isNew ? Outcome.SUCCESS : Outcome.DUPLICATE);
        return isNew ? Optional.empty() : Optional.of(ReportError.REPORT_REPLAYED);
      }));
    }
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<ReportUploadStatus> refused = new ArrayList<>();
      for (int i = 0; i < outcomes.size(); i++) {
        ReportId id = request.reports().get(i).metadata().reportId();
        outcomes.get(i).join().ifPresent(e -> refused.add(new ReportUploadStatus(id, e)));
      }
      return refused;
    });
  }

  /**
   * The checks of one DAP-18 report (§4.4.2, §4.4.3): those of DAP-09 with the report's time in
   * time_precision units converted to seconds here, the task interval, the draft-18 info string
   * and InputShareAad, and the public and private extensions (in strictly increasing type order,
   * no type twice, none unrecognized: this aggregator recognizes none on DAP-18 tasks, and
   * refuses such a report with invalid_message as §4.5.3.4 has the aggregators do).
   */
  private StoredReport check18(Task task, TaskConfiguration configuration,
      io.pando.dap.messages.dap18.Report report, long now) {
    io.pando.dap.messages.dap18.ReportMetadata metadata = report.metadata();
    long time;
    try {
      time = metadata.time().toSeconds(configuration.timePrecision());
    } catch (ArithmeticException e) {
      throw new Refused(Outcome.DECODE_FAILURE, DapProblemType.INVALID_MESSAGE,
          ReportError.INVALID_MESSAGE, "report time out of range");
    }
    checkTime(task, time, now);
    checkExtensions(metadata.publicExtensions(), List.of());
    byte[] plaintext = open(task, ApplicationInfo.inputShare(task.dapVersion(), Role.LEADER),
        report.leaderEncryptedInputShare(),
        report.inputShareAad(task.id(), configuration).encode());
    io.pando.dap.messages.dap18.PlaintextInputShare share;
    try {
      share = io.pando.dap.messages.dap18.PlaintextInputShare.decode(plaintext);
    } catch (DecodeException e) {
      throw new Refused(Outcome.DECODE_FAILURE, DapProblemType.REPORT_REJECTED,
          ReportError.INVALID_MESSAGE, "leader plaintext input share does not decode");
    }
    checkExtensions(metadata.publicExtensions(), share.privateExtensions());
    return checkShares(task, metadata.reportId(), time, report.publicShare(), share.payload(),
        report.helperEncryptedInputShare());
  }

  /** DAP-18's report extension rules (§4.5.3.4) for the extensions this aggregator sees. */
  private static void checkExtensions(List<Extension> publicExtensions,
      List<Extension> privateExtensions) {
    if (!Extensions.strictlyIncreasing(publicExtensions)
        || !Extensions.strictlyIncreasing(privateExtensions)) {
      throw new Refused(Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
          ReportError.INVALID_MESSAGE, "report extensions out of order");
    }
    Set<Integer> types = new HashSet<>();
    for (List<Extension> list : List.of(publicExtensions, privateExtensions)) {
      for (Extension ext : list) {
        if (!types.add(ext.extensionType().code())) {
          throw new Refused(Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
              ReportError.INVALID_MESSAGE, "repeated extension type " + ext.extensionType());
        }
      }
    }
    if (!types.isEmpty()) {
      throw new Refused(Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
          ReportError.INVALID_MESSAGE, "unrecognized report extension");
    }
  }

  /** The report's time against the clock, the task's interval and its report expiry age. */
  private static void checkTime(Task task, long time, long now) {
    if (time > now + task.tolerableClockSkew().seconds()) {
      throw new Refused(Outcome.TOO_EARLY, DapProblemType.REPORT_TOO_EARLY,
          ReportError.REPORT_TOO_EARLY, "report time is in the future");
    }
    // DAP-18 §4.4.2: a report outside the task interval is dropped (report_dropped).
    if (task.taskExpiration().isPresent() && time >= task.taskExpiration().get().seconds()) {
      throw new Refused(Outcome.TASK_EXPIRED, DapProblemType.REPORT_REJECTED,
          ReportError.REPORT_DROPPED, "report time is past the task's expiration");
    }
    if (task.dap18().flatMap(Task.Dap18::taskStart).map(s -> time < s.seconds()).orElse(false)) {
      throw new Refused(Outcome.TASK_EXPIRED, DapProblemType.REPORT_REJECTED,
          ReportError.REPORT_DROPPED, "report time is before the task interval");
    }
    if (task.reportExpiryAge().isPresent()
        && time < now - task.reportExpiryAge().get().seconds()) {
      throw new Refused(Outcome.REPORT_EXPIRED, DapProblemType.REPORT_REJECTED,
          ReportError.REPORT_DROPPED, "report is older than the task's report expiry age");
    }
  }

  /** Opens the leader's input share with the key its config id names. */
  private byte[] open(Task task, ApplicationInfo info, HpkeCiphertext ciphertext, byte[] aad) {
    Optional<HpkeKeypair> key = keys.opener(ciphertext.configId());
    if (key.isEmpty()) {
      throw new Refused(Outcome.OUTDATED_CONFIG, DapProblemType.OUTDATED_CONFIG,
          ReportError.OUTDATED_CONFIG, "unknown HPKE config " + ciphertext.configId());
    }
    try {
      return key.get().open(info, ciphertext, aad);
    } catch (HpkeException e) {
      throw new Refused(Outcome.DECRYPT_FAILURE, DapProblemType.REPORT_REJECTED,
          ReportError.HPKE_DECRYPT_ERROR, "leader input share does not decrypt");
    }
  }

  /**
   * The VDAF's shares and the helper's ciphertext length, then the report as stored (time in
   * seconds, the leader's input share sealed at rest).
   */
  private StoredReport checkShares(Task task, ReportId reportId, long time, byte[] publicShare,
      byte[] leaderShare, HpkeCiphertext helper) {
    TaskId taskId = task.id();
    DapVdaf vdaf = task.dapVdaf();
    try {
      vdaf.checkShares(0, publicShare, leaderShare);
    } catch (DecodeException e) {
      throw new Refused(Outcome.DECODE_FAILURE, DapProblemType.REPORT_REJECTED,
          ReportError.INVALID_MESSAGE,
          "input share or public share does not decode for " + task.vdaf().type());
    }

    // The helper's share is opaque here, but its length is not: a PlaintextInputShare with no
    // extensions (the leader accepts none either) around the VDAF's helper input share, sealed
    // with a 16-byte AEAD tag (RFC 9180 §7.3), behind an encapsulated key of a known KEM.
    int expected = BodyLimits.inputSharePayloadLength(vdaf, 1)
        + ReportExtensions.encodedLength(task);
    if (helper.payload().length != expected
        || helper.encapsulatedKey().length > BodyLimits.MAX_ENC_LENGTH) {
      throw new Refused(Outcome.DECODE_FAILURE, DapProblemType.INVALID_MESSAGE,
          ReportError.INVALID_MESSAGE, "the helper's encrypted input share is "
              + helper.payload().length + " bytes; " + task.vdaf().type() + " needs " + expected);
    }

    return new StoredReport(taskId, reportId, time, publicShare,
        crypter.sealLeaderInputShare(taskId, reportId, leaderShare), helper.encode(), true);
  }

  /**
   * A report refused by one check: its counter, the DAP-09 problem type and the DAP-18 report
   * error (the two drafts name the same refusals differently). Control flow only: no stack.
   */
  private static final class Refused extends RuntimeException {
    final Outcome outcome;
    final DapProblemType problem;
    final ReportError error;

    Refused(Outcome outcome, DapProblemType problem, ReportError error, String detail) {
      super(detail, null, false, false);
      this.outcome = outcome;
      this.problem = problem;
      this.error = error;
    }
  }
}
