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

  /**
   * A report the leader finished after the helper's first answer whose finish message the
   * helper still has to take (two-round VDAFs, §4.5.2.1).
   */
  record Finishing(PendingReport report, Object share, byte[] outbound) {}

  /** A report that failed, and why. */
  record Failure(PendingReport report, PrepareError error) {}

  /** What {@link #prepare} made of a job's reports. */
  record Initialized(List<Prepared> prepared, List<Failure> failures) {}

  /** What {@link #map} made of the helper's answer. */
  sealed interface Mapped {
    /** Every prepared report finished or failed. */
    record Ended(List<Output> outputs, List<Failure> failures) implements Mapped {}

    /** Some reports go on to a continuation (two-round VDAFs); the others failed. */
    record Continuing(List<Finishing> finishing, List<Failure> failures) implements Mapped {}

    /** The helper refused the continuation. */
    record Refusal(HelperClient.Response.Refused refused) implements Mapped {}

    /** The answer does not match the request (§4.5.1.1: the leader aborts); nothing is kept. */
    record Mismatch(String why) implements Mapped {}
  }

  /** The leader's initialization of every START report, in request order (§4.5.1.1). */
  static Initialized prepare(byte[] verifyKey, List<PendingReport> reports,
      PingPong<Object, Object> pp) {
    return prepare(verifyKey, NO_AGG_PARAM, reports, pp);
  }

  /** {@link #prepare} under the job's aggregation parameter. */
  static Initialized prepare(byte[] verifyKey, byte[] aggParam, List<PendingReport> reports,
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
      PingPong.Transition<Object, Object> t = pp.leaderInit(verifyKey, aggParam,
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
    return map(body, prepared, pp, NO_AGG_PARAM);
  }

  /**
   * {@link #map} under the job's aggregation parameter: a report the leader finishes with a
   * message for the helper (the first round of a two-round VDAF) goes on to the continuation.
   */
  static Mapped map(byte[] body, List<Prepared> prepared, PingPong<Object, Object> pp,
      byte[] aggParam) {
    List<PrepareResp> resps;
    try {
      resps = AggregationJobResp.decode(body).prepareResps();
    } catch (DecodeException e) {
      return new Mapped.Mismatch("the helper's response does not decode: " + e.getMessage());
    }
    return map(resps, prepared, pp, aggParam);
  }

  /**
   * {@link #map} of an answer already decoded (DAP-18's {@code VerifyResp}s arrive as {@code
   * PrepareResp}s, {@link Dap18Messages#prepareResps}). DAP-18 §4.5.3: the same report ids in the
   * same order as the request, or the job is abandoned.
   */
  static Mapped map(List<PrepareResp> resps, List<Prepared> prepared,
      PingPong<Object, Object> pp, byte[] aggParam) {
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
    List<Finishing> finishing = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (int i = 0; i < resps.size(); i++) {
      Prepared p = prepared.get(i);
      PrepareStepResult result = resps.get(i).result();
      if (result instanceof PrepareStepResult.Continue c) {
        PingPong.Transition<Object, Object> t =
            pp.leaderContinued(aggParam, p.state(), c.payload());
        if (t.state() instanceof State.Finished<Object, Object> f && t.outbound() == null) {
          outputs.add(new Output(p.report(), f.outputShare()));
        } else if (t.state() instanceof State.Finished<Object, Object> f && aggParam.length > 0) {
          finishing.add(new Finishing(p.report(), f.outputShare(), t.outbound()));
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
    if (!finishing.isEmpty()) {
      if (!outputs.isEmpty()) {
        return new Mapped.Mismatch("the helper finished some reports in the first round");
      }
      return new Mapped.Continuing(finishing, failures);
    }
    return new Mapped.Ended(outputs, failures);
  }

  /**
   * Maps the helper's answer to the continuation (§4.5.2.1): each report it names must be one
   * sent, in order; "finished" keeps the leader's output share, a reject fails the report, and a
   * report the helper leaves out failed on its side ({@code report_dropped}).
   */
  static Mapped mapContinued(byte[] body, List<Finishing> sent) {
    List<PrepareResp> resps;
    try {
      resps = AggregationJobResp.decode(body).prepareResps();
    } catch (DecodeException e) {
      return new Mapped.Mismatch("the helper's response does not decode: " + e.getMessage());
    }
    return mapContinued(resps, sent);
  }

  /** {@link #mapContinued} of an answer already decoded. */
  static Mapped mapContinued(List<PrepareResp> resps, List<Finishing> sent) {
    List<Output> outputs = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    int next = 0;
    for (PrepareResp resp : resps) {
      while (next < sent.size() && !sent.get(next).report().reportId().equals(resp.reportId())) {
        failures.add(new Failure(sent.get(next).report(), PrepareError.REPORT_DROPPED));
        next++;
      }
      if (next == sent.size()) {
        return new Mapped.Mismatch("the helper answered report " + resp.reportId()
            + ", which was not sent or not in this order");
      }
      Finishing f = sent.get(next++);
      if (resp.result() instanceof PrepareStepResult.Finished) {
        outputs.add(new Output(f.report(), f.share()));
      } else if (resp.result() instanceof PrepareStepResult.Reject r) {
        failures.add(new Failure(f.report(), r.error()));
      } else {
        failures.add(new Failure(f.report(), PrepareError.VDAF_PREP_ERROR));
      }
    }
    for (; next < sent.size(); next++) {
      failures.add(new Failure(sent.get(next).report(), PrepareError.REPORT_DROPPED));
    }
    return new Mapped.Ended(outputs, failures);
  }
}
