package io.pando.aggregator.helper;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.Role;
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
   * One report after preparation: either an {@code error}, or the outbound ping-pong message and
   * either the helper's output share or, for a VDAF of more rounds, its prep state.
   */
  public record Prepared(int ord, ReportId reportId, long clientTimestamp, PrepareError error,
      byte[] outbound, Object outputShare, Object prepState) {
    static Prepared failed(int ord, ReportShare share, PrepareError error) {
      return new Prepared(ord, share.metadata().reportId(), share.metadata().time().seconds(),
          error, null, null, null);
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
  public List<Prepared> prepareAll(Task task, List<PrepareInit> inits, long now) {
    return prepareAll(task, inits, now, NO_AGG_PARAM);
  }

  /** {@link #prepareAll} under the job's aggregation parameter. */
  public List<Prepared> prepareAll(Task task, List<PrepareInit> inits, long now,
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
      byte[] aggParam, int ord, PrepareInit init, long now) {
    ReportShare share = init.reportShare();
    ReportId id = share.metadata().reportId();
    long time = share.metadata().time().seconds();

    // §4.5.1.3: decrypt the input share.
    Optional<HpkeKeypair> key = keys.opener(share.encryptedInputShare().configId());
    if (key.isEmpty()) {
      return Prepared.failed(ord, share, PrepareError.HPKE_UNKNOWN_CONFIG_ID);
    }
    byte[] plaintext;
    try {
      plaintext = key.get().open(ApplicationInfo.inputShare(Role.HELPER),
          share.encryptedInputShare(), share.inputShareAad(task.id()).encode());
    } catch (HpkeException e) {
      return Prepared.failed(ord, share, PrepareError.HPKE_DECRYPT_ERROR);
    }

    // §4.5.1.4: the checks on the report itself.
    PlaintextInputShare input;
    byte[] publicShare = share.publicShare();
    try {
      input = PlaintextInputShare.decode(plaintext);
      vdaf.checkShares(1, publicShare, input.payload());
    } catch (DecodeException e) {
      return Prepared.failed(ord, share, PrepareError.INVALID_MESSAGE);
    }
    if (time > now + task.tolerableClockSkew().seconds()) {
      return Prepared.failed(ord, share, PrepareError.REPORT_TOO_EARLY);
    }
    if (task.taskExpiration().isPresent() && time >= task.taskExpiration().get().seconds()) {
      return Prepared.failed(ord, share, PrepareError.TASK_EXPIRED);
    }
    // §4.5.1.4: a report older than the report expiry age may be dropped; it must be, since
    // the ids of such reports are garbage-collected and no longer protect against replay.
    if (task.reportExpiryAge().isPresent()
        && time < now - task.reportExpiryAge().get().seconds()) {
      return Prepared.failed(ord, share, PrepareError.REPORT_DROPPED);
    }
    // DAP-09 defines no extension, so any is unrecognized (and a repeated one invalid); a
    // taskprov task's reports carry exactly the taskprov one (ReportExtensions).
    if (!io.pando.aggregator.taskprov.ReportExtensions.acceptable(task, input.extensions())) {
      return Prepared.failed(ord, share, PrepareError.INVALID_MESSAGE);
    }

    // §4.5.1.2: ping_pong_helper_init with the leader's initialize message.
    PingPong.Transition<Object, Object> t = pingPong.helperInit(verifyKey, aggParam,
        id.bytes(), publicShare, input.payload(), init.payload());
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
