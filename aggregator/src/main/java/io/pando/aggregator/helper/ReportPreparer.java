package io.pando.aggregator.helper;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.VerifyInit;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.State;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * The helper's work on each report of an aggregation job that needs no datastore: input share
 * decryption (DAP-09 §4.5.1.3), the validation checks that depend on the report alone (§4.5.1.4)
 * and VDAF preparation with {@code ping_pong_helper_init} (§4.5.1.2). Replay and collected-batch
 * checks follow in the job's transaction.
 */
@ApplicationScoped
public class ReportPreparer {
  private static final Logger LOG = Logger.getLogger(ReportPreparer.class);
  private static final byte[] NO_AGG_PARAM = new byte[0];

  private final HpkeKeys keys;

  @Inject
  public ReportPreparer(HpkeKeys keys) {
    this.keys = keys;
  }

  /**
   * One report of an initialization request, whichever draft it came in: its id, its time in
   * seconds (DAP-18's time_precision units converted at the boundary), its public share, the
   * helper's sealed input share with the AAD it was sealed with, the public report extensions
   * (DAP-18 §4.4.3; none on DAP-09) and the leader's first ping-pong message.
   */
  public record ReportInit(ReportId reportId, long time, byte[] publicShare,
      HpkeCiphertext encryptedInputShare, byte[] aad, List<Extension> publicExtensions,
      byte[] payload) {
    /** A DAP-09 {@code PrepareInit} (DAP-09 §4.5.1.2). */
    static ReportInit of(Task task, PrepareInit init) {
      ReportShare share = init.reportShare();
      return new ReportInit(share.metadata().reportId(), share.metadata().time().seconds(),
          share.publicShare(), share.encryptedInputShare(),
          share.inputShareAad(task.id()).encode(), List.of(), init.payload());
    }

    /**
     * A DAP-18 {@code VerifyInit} (DAP-18 §4.5.3.1): its time converted to seconds, the AAD
     * with the task's TaskConfiguration (§4.4.2).
     *
     * @throws ArithmeticException if the time in seconds is out of range
     */
    static ReportInit of(Task task, VerifyInit init) {
      TaskConfiguration configuration = task.dap18().orElseThrow().configuration();
      io.pando.dap.messages.dap18.ReportShare share = init.reportShare();
      return new ReportInit(share.reportId(),
          share.metadata().time().toSeconds(configuration.timePrecision()),
          share.publicShare(), share.encryptedInputShare(),
          share.inputShareAad(task.id(), configuration).encode(),
          share.metadata().publicExtensions(), init.payload());
    }
  }

  /**
   * One report after preparation: either an {@code error}, or the outbound ping-pong message and
   * either the helper's output share or, for a VDAF of more rounds, its prep state.
   */
  public record Prepared(int ord, ReportId reportId, long clientTimestamp, PrepareError error,
      byte[] outbound, Object outputShare, Object prepState) {
    static Prepared failed(int ord, ReportInit report, PrepareError error) {
      return new Prepared(ord, report.reportId(), report.time(), error, null, null, null);
    }

    /** Whether preparation finished with an output share. */
    public boolean finished() {
      return error == null && prepState == null;
    }

    /** Whether the report waits for the leader's next message (multi-round VDAFs). */
    public boolean waiting() {
      return error == null && prepState != null;
    }
  }

  /** Prepares every report of the request, in request order. */
  public List<Prepared> prepareAll(Task task, List<ReportInit> inits, long now) {
    return prepareAll(task, inits, now, NO_AGG_PARAM);
  }

  /** {@link #prepareAll} under the job's aggregation parameter. */
  public List<Prepared> prepareAll(Task task, List<ReportInit> inits, long now,
      byte[] aggParam) {
    DapVdaf vdaf = task.dapVdaf();
    PingPong<Object, Object> pingPong = vdaf.pingPong(task.vdafContext());
    byte[] verifyKey = task.verifyKey().reveal();
    // One thread per request, as on the leader: under load the leader's concurrent jobs keep the
    // cores busy, and a parallel stream's waiting caller spent about 13 % of the helper's CPU
    // spinning in ForkJoinPool.helpComplete (docs/PERFORMANCE.md).
    return IntStream.range(0, inits.size())
        .mapToObj(i -> prepare(task, vdaf, pingPong, verifyKey, aggParam, i, inits.get(i), now))
        .toList();
  }

  Prepared prepare(Task task, DapVdaf vdaf, PingPong<Object, Object> pingPong, byte[] verifyKey,
      byte[] aggParam, int ord, ReportInit share, long now) {
    ReportId id = share.reportId();
    long time = share.time();

    // §4.5.1.3 (DAP-18 §4.5.3.3): decrypt the input share. DAP-18 names no separate error for
    // an unknown config id: both are hpke_decrypt_error there (JobResponses).
    Optional<HpkeKeypair> key = keys.opener(share.encryptedInputShare().configId());
    if (key.isEmpty()) {
      return Prepared.failed(ord, share, PrepareError.HPKE_UNKNOWN_CONFIG_ID);
    }
    byte[] plaintext;
    try {
      plaintext = key.get().open(ApplicationInfo.inputShare(task.dapVersion(), Role.HELPER),
          share.encryptedInputShare(), share.aad());
    } catch (HpkeException e) {
      return Prepared.failed(ord, share, PrepareError.HPKE_DECRYPT_ERROR);
    }

    // §4.5.1.4 (DAP-18 §4.5.3.4): the checks on the report itself.
    List<Extension> privateExtensions;
    byte[] payload;
    byte[] publicShare = share.publicShare();
    try {
      if (task.isDap18()) {
        io.pando.dap.messages.dap18.PlaintextInputShare input =
            io.pando.dap.messages.dap18.PlaintextInputShare.decode(plaintext);
        privateExtensions = input.privateExtensions();
        payload = input.payload();
      } else {
        PlaintextInputShare input = PlaintextInputShare.decode(plaintext);
        privateExtensions = input.extensions();
        payload = input.payload();
      }
      vdaf.checkShares(1, publicShare, payload);
    } catch (DecodeException e) {
      return Prepared.failed(ord, share, PrepareError.INVALID_MESSAGE);
    }
    if (time > now + task.tolerableClockSkew().seconds()) {
      return Prepared.failed(ord, share, PrepareError.REPORT_TOO_EARLY);
    }
    if (task.taskExpiration().isPresent() && time >= task.taskExpiration().get().seconds()) {
      return Prepared.failed(ord, share, PrepareError.TASK_EXPIRED);
    }
    // DAP-18 §4.5.3.4: before the task interval is task_not_started (TASK_EXPIRED here, told
    // apart by the time when the response is encoded: JobResponses).
    if (task.dap18().flatMap(Task.Dap18::taskStart).map(s -> time < s.seconds()).orElse(false)) {
      return Prepared.failed(ord, share, PrepareError.TASK_EXPIRED);
    }
    // §4.5.1.4: a report older than the report expiry age may be dropped; it must be, since
    // the ids of such reports are garbage-collected and no longer protect against replay.
    if (task.reportExpiryAge().isPresent()
        && time < now - task.reportExpiryAge().get().seconds()) {
      return Prepared.failed(ord, share, PrepareError.REPORT_DROPPED);
    }
    if (task.isDap18()) {
      // DAP-18 §4.5.3.4: no report extension is recognized on DAP-18 tasks (as at upload), so
      // any, out of order or repeated, makes the report invalid_message.
      if (!share.publicExtensions().isEmpty() || !privateExtensions.isEmpty()) {
        return Prepared.failed(ord, share, PrepareError.INVALID_MESSAGE);
      }
    } else if (!io.pando.aggregator.taskprov.ReportExtensions.acceptable(task,
        privateExtensions)) {
      // DAP-09 defines no extension, so any is unrecognized (and a repeated one invalid); a
      // taskprov task's reports carry exactly the taskprov one (ReportExtensions).
      return Prepared.failed(ord, share, PrepareError.INVALID_MESSAGE);
    }

    // §4.5.1.2: ping_pong_helper_init with the leader's initialize message.
    PingPong.Transition<Object, Object> t = pingPong.helperInit(verifyKey, aggParam,
        id.bytes(), publicShare, payload, share.payload());
    if (t.state() instanceof State.Finished<Object, Object> f) {
      return new Prepared(ord, id, time, null, t.outbound(), f.outputShare(), null);
    }
    if (t.state() instanceof State.Continued<Object, Object> c && vdaf.rounds() > 1) {
      return new Prepared(ord, id, time, null, t.outbound(), null, c.prepState());
    }
    if (t.state() instanceof State.Rejected<Object, Object> r) {
      LOG.debugf("task %s report %s: %s", task.id(), id, r.reason());
    } else {
      LOG.warnf("task %s report %s: a one-round VDAF asked for another round", task.id(), id);
    }
    return Prepared.failed(ord, share, PrepareError.VDAF_PREP_ERROR);
  }
}
