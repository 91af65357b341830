package io.pando.aggregator.leader;

import io.pando.aggregator.datastore.AggregationJobStore.PendingReport;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.Time;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.State;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The leader's VDAF work on one aggregation job, free of I/O (DAP-09 §4.5.1.1): {@link #prepare}
 * runs {@code ping_pong_leader_init} on each report to build the {@code PrepareInit}s, and {@link
 * #map} checks the helper's {@code AggregationJobResp} against the request and runs {@code
 * ping_pong_leader_continued} on each {@code PrepareResp}. A report either gets an output share
 * or fails with the {@code PrepareError} that is its own fault.
 */
final class LeaderPreparation {
  private static final Logger LOG = Logger.getLogger(LeaderPreparation.class);
  private static final byte[] NO_AGG_PARAM = new byte[0];

  private LeaderPreparation() {}

  /** A report prepared for the request: its leader state and its PrepareInit. */
  record Prepared(PendingReport report, State<Object, Object> state, PrepareInit init) {}

  /** A report whose preparation finished, with the leader's output share. */
  record Output(PendingReport report, Object share) {}

  /** A report that failed, and why. */
  record Failure(PendingReport report, PrepareError error) {}

  /** What {@link #prepare} made of a job's reports. */
  record Initialized(List<Prepared> prepared, List<Failure> failures) {}

  /** What {@link #map} made of the helper's answer. */
  sealed interface Mapped {
    /** Every prepared report finished or failed. */
    record Ended(List<Output> outputs, List<Failure> failures) implements Mapped {}

    /** The answer does not match the request (§4.5.1.1: the leader aborts); nothing is kept. */
    record Mismatch(String why) implements Mapped {}
  }

  /** The leader's initialization of every START report, in request order (§4.5.1.1). */
  static Initialized prepare(byte[] verifyKey, List<PendingReport> reports,
      PingPong<Object, Object> pp) {
    List<Prepared> prepared = new ArrayList<>(reports.size());
    List<Failure> failures = new ArrayList<>();
    for (PendingReport r : reports) {
      if (!r.hasPayload()) {
        failures.add(new Failure(r, PrepareError.REPORT_DROPPED));
        continue;
      }
      HpkeCiphertext helperShare;
      try {
        helperShare = HpkeCiphertext.decode(r.helperEncryptedInputShare());
      } catch (DecodeException e) {
        failures.add(new Failure(r, PrepareError.INVALID_MESSAGE));
        continue;
      }
      PingPong.Transition<Object, Object> t = pp.leaderInit(verifyKey, NO_AGG_PARAM,
          r.reportId().bytes(), r.publicShare(), r.leaderInputShare());
      if (!(t.state() instanceof State.Continued) || t.outbound() == null) {
        LOG.debugf("report %s: leader initialization rejected it: %s", r.reportId(), t.state());
        failures.add(new Failure(r, PrepareError.VDAF_PREP_ERROR));
        continue;
      }
      ReportShare share = new ReportShare(
          new ReportMetadata(r.reportId(), Time.ofSeconds(r.clientTimestamp())),
          r.publicShare(), helperShare);
      prepared.add(new Prepared(r, t.state(), new PrepareInit(share, t.outbound())));
    }
    return new Initialized(prepared, failures);
  }

  /** Maps the helper's AggregationJobResp onto the prepared reports (§4.5.1.1). */
  static Mapped map(byte[] body, List<Prepared> prepared, PingPong<Object, Object> pp) {
    List<PrepareResp> resps;
    try {
      resps = AggregationJobResp.decode(body).prepareResps();
    } catch (DecodeException e) {
      return new Mapped.Mismatch("the helper's response does not decode: " + e.getMessage());
    }
    if (resps.size() != prepared.size()) {
      return new Mapped.Mismatch("the helper answered " + resps.size() + " reports for "
          + prepared.size());
    }
    for (int i = 0; i < resps.size(); i++) {
      if (!resps.get(i).reportId().equals(prepared.get(i).report().reportId())) {
        return new Mapped.Mismatch("the helper's report " + i + " is " + resps.get(i).reportId()
            + ", not " + prepared.get(i).report().reportId());
      }
    }
    List<Output> outputs = new ArrayList<>(resps.size());
    List<Failure> failures = new ArrayList<>();
    for (int i = 0; i < resps.size(); i++) {
      Prepared p = prepared.get(i);
      PrepareStepResult result = resps.get(i).result();
      if (result instanceof PrepareStepResult.Continue c) {
        PingPong.Transition<Object, Object> t =
            pp.leaderContinued(NO_AGG_PARAM, p.state(), c.payload());
        if (t.state() instanceof State.Finished<Object, Object> f && t.outbound() == null) {
          outputs.add(new Output(p.report(), f.outputShare()));
        } else {
          LOG.debugf("report %s: leader continuation did not finish: %s", p.report().reportId(),
              t.state());
          failures.add(new Failure(p.report(), PrepareError.VDAF_PREP_ERROR));
        }
      } else if (result instanceof PrepareStepResult.Reject r) {
        failures.add(new Failure(p.report(), r.error()));
      } else {
        // "finished" answers a continuation, never an initialization.
        failures.add(new Failure(p.report(), PrepareError.VDAF_PREP_ERROR));
      }
    }
    return new Mapped.Ended(outputs, failures);
  }
}
