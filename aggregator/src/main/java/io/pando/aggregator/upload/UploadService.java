package io.pando.aggregator.upload;

import io.pando.aggregator.datastore.ReportStore.StoredReport;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.aggregator.upload.UploadCounters.Outcome;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The leader's upload (DAP-09 §4.4.2): validates a report and stores it durably, or refuses it
 * with the problem type the draft names. Nothing is stored for a refused report.
 */
@ApplicationScoped
public class UploadService {
  private final TaskService tasks;
  private final HpkeKeys keys;
  private final ReportWriter writer;
  private final UploadCounters counters;
  private final Clock clock;

  @Inject
  public UploadService(TaskService tasks, HpkeKeys keys, ReportWriter writer,
      UploadCounters counters, Clock clock) {
    this.tasks = tasks;
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
   * Handles {@code PUT /tasks/{id}/reports}; the stage completes once the report is stored, or
   * fails with the {@link DapException} that refuses it. With the task in the cache everything
   * runs on the calling (event-loop) thread up to the batched insert: the checks are CPU work
   * only. Otherwise the task is looked up in the datastore on a worker thread first.
   */
  public CompletionStage<Void> upload(TaskId taskId, byte[] body) {
    Optional<Task> cached = tasks.cached(taskId);
    if (cached.isPresent()) {
      return store(cached.get(), body);
    }
    return CompletableFuture.supplyAsync(() -> tasks.get(taskId),
            Infrastructure.getDefaultWorkerPool())
        .thenCompose(task -> store(task.filter(Task::isLeader)
            .orElseThrow(() -> DapException.unrecognizedTask(taskId)), body));
  }

  private CompletionStage<Void> store(Task task, byte[] body) {
    StoredReport stored;
    try {
      stored = check(task, body);
    } catch (DapException e) {
      return CompletableFuture.failedFuture(e);
    }
    TaskId taskId = task.id();
    return writer.write(stored).orTimeout(30, TimeUnit.SECONDS).thenAccept(isNew -> {
      if (!isNew) {
        throw reject(taskId, Outcome.DUPLICATE, DapProblemType.REPORT_REJECTED,
            "a report with this id was already uploaded");
      }
      counters.record(taskId, Outcome.SUCCESS);
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
      throw reject(taskId, Outcome.INVALID_EXTENSION, DapProblemType.INVALID_MESSAGE,
          "unsupported extension " + ext.extensionType());
    }
    Prio3<?, ?> vdaf = task.prio3();
    try {
      vdaf.decodePublicShare(report.publicShare());
      vdaf.decodeInputShare(0, share.payload());
    } catch (DecodeException e) {
      throw reject(taskId, Outcome.DECODE_FAILURE, DapProblemType.REPORT_REJECTED,
          "input share or public share does not decode for " + task.vdaf().type());
    }

    return new StoredReport(taskId, report.metadata().reportId(), time,
        report.publicShare(), share.payload(), report.helperEncryptedInputShare().encode());
  }
}
