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
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.pando.aggregator.http.Unavailable;
import io.pando.dap.messages.HpkeCiphertext;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The leader's upload (DAP-09 §4.4.2): validates a report and stores it durably, or refuses it
 * with the problem type the draft names. Nothing is stored for a refused report.
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
      if (!isNew) {
        counters.recordMetric(taskId, Outcome.DUPLICATE);
        throw new DapException(DapProblemType.REPORT_REJECTED, taskId,
            "a report with this id was already uploaded");
      }
      counters.recordMetric(taskId, Outcome.SUCCESS);
      return null;
    });
  }

  /** Every check of §4.4.2 short of replay: the report as it will be stored, or a refusal. */
  private StoredReport check(Task task, byte[] body) {
    if (!task.isLeader()) {
      throw DapException.unrecognizedTask(task.id());
    }
    TaskId taskId = task.id();
    Report report;
    try {
      report = Report.decode(body);
    } catch (DecodeException e) {
      throw reject(taskId, Outcome.DECODE_FAILURE, DapProblemType.INVALID_MESSAGE,
          "malformed report: " + e.getMessage());
    }

    long now = clock.instant().getEpochSecond();
    long time = report.metadata().time().seconds();
    if (time > now + task.tolerableClockSkew().seconds()) {
      throw reject(taskId, Outcome.TOO_EARLY, DapProblemType.REPORT_TOO_EARLY,
          "report time is in the future");
    }
    if (task.taskExpiration().isPresent() && time >= task.taskExpiration().get().seconds()) {
      throw reject(taskId, Outcome.TASK_EXPIRED, DapProblemType.REPORT_REJECTED,
          "report time is past the task's expiration");
    }
    if (task.reportExpiryAge().isPresent()
        && time < now - task.reportExpiryAge().get().seconds()) {
      throw reject(taskId, Outcome.REPORT_EXPIRED, DapProblemType.REPORT_REJECTED,
          "report is older than the task's report expiry age");
    }

    Optional<HpkeKeypair> key = keys.opener(report.leaderEncryptedInputShare().configId());
    if (key.isEmpty()) {
      throw reject(taskId, Outcome.OUTDATED_CONFIG, DapProblemType.OUTDATED_CONFIG,
          "unknown HPKE config " + report.leaderEncryptedInputShare().configId());
    }
    byte[] plaintext;
    try {
      plaintext = key.get().open(ApplicationInfo.inputShare(Role.LEADER),
          report.leaderEncryptedInputShare(), report.inputShareAad(taskId).encode());
    } catch (HpkeException e) {
      throw reject(taskId, Outcome.DECRYPT_FAILURE, DapProblemType.REPORT_REJECTED,
          "leader input share does not decrypt");
    }
    PlaintextInputShare share;
    try {
      share = PlaintextInputShare.decode(plaintext);
    } catch (DecodeException e) {
      throw reject(taskId, Outcome.DECODE_FAILURE, DapProblemType.REPORT_REJECTED,
          "leader plaintext input share does not decode");
    }
    Set<Integer> types = new HashSet<>();
    for (Extension ext : share.extensions()) {
      if (!types.add(ext.extensionType().code())) {
        throw reject(taskId, Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
            "repeated extension type " + ext.extensionType());
      }
    }
    if (!ReportExtensions.acceptable(task, share.extensions())) {
      throw reject(taskId, Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
          task.isTaskprov() ? "a taskprov task's report carries exactly the taskprov extension"
              : "unsupported extension " + share.extensions().get(0).extensionType());
    }
    DapVdaf vdaf = task.dapVdaf();
    try {
      vdaf.checkShares(0, report.publicShare(), share.payload());
    } catch (DecodeException e) {
      throw reject(taskId, Outcome.DECODE_FAILURE, DapProblemType.REPORT_REJECTED,
          "input share or public share does not decode for " + task.vdaf().type());
    }

    // The helper's share is opaque here, but its length is not: a PlaintextInputShare with no
    // extensions (the leader accepts none either) around the VDAF's helper input share, sealed
    // with a 16-byte AEAD tag (RFC 9180 §7.3), behind an encapsulated key of a known KEM.
    HpkeCiphertext helper = report.helperEncryptedInputShare();
    int expected = BodyLimits.inputSharePayloadLength(vdaf, 1)
        + ReportExtensions.encodedLength(task);
    if (helper.payload().length != expected
        || helper.encapsulatedKey().length > BodyLimits.MAX_ENC_LENGTH) {
      throw reject(taskId, Outcome.DECODE_FAILURE, DapProblemType.INVALID_MESSAGE,
          "the helper's encrypted input share is " + helper.payload().length
              + " bytes; " + task.vdaf().type() + " needs " + expected);
    }

    return new StoredReport(taskId, report.metadata().reportId(), time, report.publicShare(),
        crypter.sealLeaderInputShare(taskId, report.metadata().reportId(), share.payload()),
        report.helperEncryptedInputShare().encode(), true);
  }
}
