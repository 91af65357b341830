package io.pando.aggregator.leader;

import io.pando.aggregator.leader.LeaderPreparation.Finishing;
import io.pando.aggregator.leader.LeaderPreparation.Prepared;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.dap18.AggregationJobContinueReq;
import io.pando.dap.messages.dap18.AggregationJobExtension;
import io.pando.dap.messages.dap18.AggregationJobInitReq;
import io.pando.dap.messages.dap18.AggregationJobResp;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportMetadata;
import io.pando.dap.messages.dap18.ReportShare;
import io.pando.dap.messages.dap18.Time;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.dap18.VerifyContinue;
import io.pando.dap.messages.dap18.VerifyInit;
import io.pando.dap.messages.dap18.VerifyResp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The leader's aggregation messages in DAP-18's encoding (draft-ietf-ppm-dap-18 §4.5.3, §4.5.4):
 * the one place where the driver's DAP-09-shaped work ({@link LeaderPreparation}'s {@code
 * PrepareInit}s, {@code PrepareResp}s and finish messages) meets the DAP-18 wire. The VDAF work
 * itself is the same for both drafts; only the task's VDAF context ({@link Task#vdafContext()})
 * differs.
 */
final class Dap18Messages {
  /** DAP-18 §4.5.3.1: the task's one verification key. */
  static final int VERIFICATION_KEY_ID = 0;

  private Dap18Messages() {}

  /**
   * DAP-18 §4.5.3.1 {@code AggregationJobInitReq}: a {@code VerifyInit} per prepared report (its
   * metadata with the time in time_precision units and no public extensions, which upload
   * refuses; the public share; the helper's encrypted input share exactly as uploaded; the
   * leader's first message), and for a leader-selected job the {@code leader_selected_batch_id}
   * extension (§5.2.2). A pure function of the stored job, so a retry sends identical bytes.
   */
  static byte[] initReq(Task task, Optional<BatchId> batchId, byte[] aggParam,
      List<Prepared> prepared) {
    TimePrecision precision = task.dap18().orElseThrow().configuration().timePrecision();
    List<VerifyInit> inits = new ArrayList<>(prepared.size());
    for (Prepared p : prepared) {
      PrepareInit init = p.init();
      io.pando.dap.messages.ReportShare share = init.reportShare();
      inits.add(new VerifyInit(new ReportShare(
          new ReportMetadata(share.metadata().reportId(),
              Time.ofSeconds(share.metadata().time().seconds(), precision)),
          share.publicShare(), share.encryptedInputShare()), init.payload()));
    }
    List<AggregationJobExtension> extensions = task.queryType() == Task.QueryKind.FIXED_SIZE
        ? List.of(AggregationJobExtension.leaderSelectedBatchId(batchId.orElseThrow(
            () -> new IllegalStateException("leader-selected job without a batch id"))))
        : List.of();
    return new AggregationJobInitReq(VERIFICATION_KEY_ID, aggParam, extensions, inits).encode();
  }

  /** The step of the one continuation a two-round VDAF (Poplar1) takes (§4.5.4.1). */
  static final int CONTINUE_STEP = 1;

  /** DAP-18 §4.5.4.1 {@code AggregationJobContinueReq} of step 1 with the finish messages. */
  static byte[] continueReq(List<Finishing> finishing) {
    List<VerifyContinue> continues = new ArrayList<>(finishing.size());
    for (Finishing f : finishing) {
      continues.add(new VerifyContinue(f.report().reportId(), f.outbound()));
    }
    return new AggregationJobContinueReq(AggregationJobStep.of(CONTINUE_STEP), continues)
        .encode();
  }

  /**
   * DAP-18 §4.5.3.2 {@code AggregationJobResp} as the per-report results the driver maps:
   * continue, finish, or reject with the {@link #prepareError} of the report error.
   */
  static List<PrepareResp> prepareResps(byte[] body) throws DecodeException {
    List<VerifyResp> resps = AggregationJobResp.decode(body).verifyResps();
    List<PrepareResp> out = new ArrayList<>(resps.size());
    for (VerifyResp r : resps) {
      PrepareStepResult result;
      if (r.result() instanceof VerifyResp.Continue c) {
        result = PrepareStepResult.continueWith(c.payload());
      } else if (r.result() instanceof VerifyResp.Reject j) {
        result = PrepareStepResult.reject(prepareError(j.error()));
      } else {
        result = PrepareStepResult.finished();
      }
      out.add(new PrepareResp(r.reportId(), result));
    }
    return out;
  }

  /**
   * The outcome a DAP-18 report error is counted and stored as (report aggregations keep DAP-09
   * codes): renamed ones map by meaning, {@code task_not_started} (before the task interval) to
   * {@code task_expired} (outside it), {@code outdated_config} to {@code hpke_unknown_config_id}.
   */
  static PrepareError prepareError(ReportError error) {
    return switch (error) {
      case BATCH_COLLECTED -> PrepareError.BATCH_COLLECTED;
      case REPORT_REPLAYED -> PrepareError.REPORT_REPLAYED;
      case REPORT_DROPPED -> PrepareError.REPORT_DROPPED;
      case HPKE_UNKNOWN_CONFIG_ID, OUTDATED_CONFIG -> PrepareError.HPKE_UNKNOWN_CONFIG_ID;
      case HPKE_DECRYPT_ERROR -> PrepareError.HPKE_DECRYPT_ERROR;
      case VDAF_VERIFY_ERROR -> PrepareError.VDAF_PREP_ERROR;
      case TASK_EXPIRED, TASK_NOT_STARTED -> PrepareError.TASK_EXPIRED;
      case INVALID_MESSAGE -> PrepareError.INVALID_MESSAGE;
      case REPORT_TOO_EARLY -> PrepareError.REPORT_TOO_EARLY;
    };
  }
}
