package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.aggregator.datastore.AggregationJobStore.PendingReport;
import io.pando.aggregator.leader.LeaderPreparation.Finishing;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.dap18.AggregationJobContinueReq;
import io.pando.dap.messages.dap18.AggregationJobResp;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.VerifyResp;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The DAP-18 edge of the leader's driver (draft-ietf-ppm-dap-18 §4.5.3.2, §4.5.4.1). */
class Dap18MessagesTest {
  @Test
  void verifyRespsBecomeTheDriversPerReportResultsInOrder() throws DecodeException {
    ReportId a = ReportId.random();
    ReportId b = ReportId.random();
    ReportId c = ReportId.random();
    byte[] body = new AggregationJobResp(List.of(VerifyResp.continueWith(a, new byte[] {7, 8}),
        VerifyResp.reject(b, ReportError.VDAF_VERIFY_ERROR), VerifyResp.finish(c))).encode();
    List<PrepareResp> resps = Dap18Messages.prepareResps(body);
    assertEquals(List.of(a, b, c), resps.stream().map(PrepareResp::reportId).toList());
    assertArrayEquals(new byte[] {7, 8},
        assertInstanceOf(PrepareStepResult.Continue.class, resps.get(0).result()).payload());
    assertEquals(PrepareError.VDAF_PREP_ERROR,
        assertInstanceOf(PrepareStepResult.Reject.class, resps.get(1).result()).error());
    assertInstanceOf(PrepareStepResult.Finished.class, resps.get(2).result());
    // A body that is not an AggregationJobResp (an unknown VerifyRespType) does not decode.
    byte[] bad = body.clone();
    bad[16] = 9;
    assertThrows(DecodeException.class, () -> Dap18Messages.prepareResps(bad));
  }

  @Test
  void everyReportErrorIsCountedAsTheDap09OutcomeOfTheSameMeaning() {
    Set<PrepareError> seen = EnumSet.noneOf(PrepareError.class);
    for (ReportError e : ReportError.values()) {
      seen.add(Dap18Messages.prepareError(e));
    }
    assertEquals(PrepareError.VDAF_PREP_ERROR,
        Dap18Messages.prepareError(ReportError.VDAF_VERIFY_ERROR));
    assertEquals(PrepareError.TASK_EXPIRED,
        Dap18Messages.prepareError(ReportError.TASK_NOT_STARTED));
    assertEquals(PrepareError.HPKE_UNKNOWN_CONFIG_ID,
        Dap18Messages.prepareError(ReportError.OUTDATED_CONFIG));
    assertEquals(PrepareError.REPORT_REPLAYED,
        Dap18Messages.prepareError(ReportError.REPORT_REPLAYED));
    // batch_saturated is gone from DAP-18; every other DAP-09 outcome is reachable.
    assertEquals(EnumSet.complementOf(EnumSet.of(PrepareError.BATCH_SATURATED)), seen);
  }

  @Test
  void theContinuationIsStepOneWithTheFinishMessagesInOrder() throws DecodeException {
    ReportId a = ReportId.random();
    ReportId b = ReportId.random();
    List<Finishing> finishing = List.of(
        new Finishing(new PendingReport(0, a, 10, null, null, null, false), null, new byte[] {1}),
        new Finishing(new PendingReport(1, b, 10, null, null, null, false), null, new byte[] {2}));
    byte[] body = Dap18Messages.continueReq(finishing);
    AggregationJobContinueReq req = AggregationJobContinueReq.decode(body);
    assertEquals(1, req.step().value());
    assertEquals(List.of(a, b), req.verifyContinues().stream()
        .map(io.pando.dap.messages.dap18.VerifyContinue::reportId).toList());
    assertArrayEquals(new byte[] {2}, req.verifyContinues().get(1).payload());
    // A pure function of the kept states: the resend is byte-identical.
    assertArrayEquals(body, Dap18Messages.continueReq(finishing));
  }
}
