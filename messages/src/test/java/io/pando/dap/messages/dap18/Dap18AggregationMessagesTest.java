package io.pando.dap.messages.dap18;

import static io.pando.dap.messages.Hex.hex;
import static io.pando.dap.messages.dap18.Dap18Fixtures.BATCH_ID;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_ID_1;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_ID_2;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_SHARE;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_SHARE_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Hex;
import io.pando.dap.messages.RoundTrip;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DAP-18 §4.5 aggregation messages against hex written from the draft's definitions. */
class Dap18AggregationMessagesTest {
  private static final VerifyInit VERIFY_INIT = new VerifyInit(REPORT_SHARE, Hex.bytes("696e6974"));
  private static final String VERIFY_INIT_HEX = hex(
      REPORT_SHARE_HEX, // report_share
      "00000004", "696e6974"); // payload: length, "init"
  private static final VerifyInit VERIFY_INIT_2 = new VerifyInit(
      new ReportShare(Dap18Fixtures.METADATA_2, new byte[0], Dap18Fixtures.CIPHERTEXT_LEADER),
      Hex.bytes("32"));
  private static final String VERIFY_INIT_2_HEX = hex(
      Dap18Fixtures.METADATA_2_HEX, // report_share.report_metadata
      "00000000", // report_share.public_share: empty
      Dap18Fixtures.CIPHERTEXT_LEADER_HEX, // report_share.encrypted_input_share
      "00000001", "32"); // payload: length, bytes

  @Test
  void reportShare() throws DecodeException {
    RoundTrip.check(fixture("ReportShare", REPORT_SHARE, REPORT_SHARE_HEX, ReportShare::decode));
    assertEquals(REPORT_ID_1, REPORT_SHARE.reportId());
  }

  @Test
  void verifyInit() throws DecodeException {
    RoundTrip.check(fixture("VerifyInit", VERIFY_INIT, VERIFY_INIT_HEX, VerifyInit::decode));
    // payload<1..2^32-1>
    assertThrows(DecodeException.class,
        () -> VerifyInit.decode(Hex.bytes(hex(REPORT_SHARE_HEX, "00000000"))));
  }

  @Test
  void aggregationJobExtension() throws DecodeException {
    AggregationJobExtension x = AggregationJobExtension.leaderSelectedBatchId(BATCH_ID);
    RoundTrip.check(fixture("AggregationJobExtension", x,
        hex(
            "0001", // extension_type = leader_selected_batch_id (§5.2.2)
            "0020", // extension_data: length (32)
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"), // batch_id
        AggregationJobExtension::decode));
    assertEquals(BATCH_ID, x.leaderSelectedBatchId());
    AggregationJobExtension shortId = new AggregationJobExtension(1, new byte[31]);
    assertThrows(DecodeException.class, shortId::leaderSelectedBatchId);
  }

  @Test
  void aggregationJobInitReqRunsToTheEndOfTheBody() throws DecodeException {
    AggregationJobInitReq req = new AggregationJobInitReq(3, Hex.bytes("6170"),
        List.of(AggregationJobExtension.leaderSelectedBatchId(BATCH_ID)),
        List.of(VERIFY_INIT, VERIFY_INIT_2));
    RoundTrip.check(fixture("AggregationJobInitReq", req,
        hex(
            "03", // verification_key_id
            "00000002", "6170", // agg_param: length, bytes
            "0024", // extensions: length (36)
            "0001", "0020", // extensions[0]: leader_selected_batch_id, length
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", // batch_id
            VERIFY_INIT_HEX, // verify_inits[0], no length prefix
            VERIFY_INIT_2_HEX), // verify_inits[1]
        AggregationJobInitReq::decode));
    assertEquals(Optional.of(BATCH_ID), req.leaderSelectedBatchId());
  }

  @Test
  void aggregationJobInitReqWithoutReports() throws DecodeException {
    AggregationJobInitReq req =
        new AggregationJobInitReq(0, new byte[0], List.of(), List.of());
    RoundTrip.check(fixture("AggregationJobInitReq", req,
        hex(
            "00", // verification_key_id
            "00000000", // agg_param: empty
            "0000"), // extensions: empty; no verify_inits
        AggregationJobInitReq::decode));
    assertEquals(Optional.empty(), req.leaderSelectedBatchId());
    assertThrows(IllegalArgumentException.class,
        () -> new AggregationJobInitReq(256, new byte[0], List.of(), List.of()));
  }

  @Test
  void aggregationJobExtensionOrderIsChecked() {
    AggregationJobExtension a = new AggregationJobExtension(1, new byte[0]);
    AggregationJobExtension b = new AggregationJobExtension(2, new byte[0]);
    assertTrue(AggregationJobExtension.strictlyIncreasing(List.of(a, b)));
    assertFalse(AggregationJobExtension.strictlyIncreasing(List.of(b, a)));
    assertFalse(AggregationJobExtension.strictlyIncreasing(List.of(a, a)));
  }

  @Test
  void verifyResp() throws DecodeException {
    RoundTrip.check(fixture("VerifyResp", VerifyResp.continueWith(REPORT_ID_1, Hex.bytes("6d7367")),
        hex(
            "0102030405060708090a0b0c0d0e0f10", // report_id
            "00", // verify_resp_type = continue
            "00000003", "6d7367"), // payload: length, "msg"
        VerifyResp::decode));
    RoundTrip.check(fixture("VerifyResp", VerifyResp.finish(REPORT_ID_2),
        hex(
            "100f0e0d0c0b0a090807060504030201", // report_id
            "01"), // verify_resp_type = finish, Empty
        VerifyResp::decode));
    RoundTrip.check(fixture("VerifyResp",
        VerifyResp.reject(REPORT_ID_1, ReportError.VDAF_VERIFY_ERROR),
        hex(
            "0102030405060708090a0b0c0d0e0f10", // report_id
            "02", // verify_resp_type = reject
            "06"), // report_error = vdaf_verify_error
        VerifyResp::decode));
    // An unknown type and an empty continue payload are refused.
    assertThrows(DecodeException.class,
        () -> VerifyResp.decode(Hex.bytes("0102030405060708090a0b0c0d0e0f1003")));
    assertThrows(DecodeException.class,
        () -> VerifyResp.decode(Hex.bytes("0102030405060708090a0b0c0d0e0f100000000000")));
  }

  @Test
  void aggregationJobRespRunsToTheEndOfTheBody() throws DecodeException {
    RoundTrip.check(fixture("AggregationJobResp",
        new AggregationJobResp(List.of(VerifyResp.finish(REPORT_ID_1),
            VerifyResp.reject(REPORT_ID_2, ReportError.REPORT_REPLAYED))),
        hex(
            "0102030405060708090a0b0c0d0e0f10", "01", // verify_resps[0]: finish
            "100f0e0d0c0b0a090807060504030201", "02", "02"), // verify_resps[1]: reject, replayed
        AggregationJobResp::decode));
    assertEquals(new AggregationJobResp(List.of()), AggregationJobResp.decode(new byte[0]));
  }

  @Test
  void verifyContinue() throws DecodeException {
    RoundTrip.check(fixture("VerifyContinue",
        new VerifyContinue(REPORT_ID_2, Hex.bytes("636f6e74")),
        hex(
            "100f0e0d0c0b0a090807060504030201", // report_id
            "00000004", "636f6e74"), // payload: length, "cont"
        VerifyContinue::decode));
    assertThrows(IllegalArgumentException.class,
        () -> new VerifyContinue(REPORT_ID_2, new byte[0]));
  }

  @Test
  void aggregationJobContinueReqRunsToTheEndOfTheBody() throws DecodeException {
    RoundTrip.check(fixture("AggregationJobContinueReq",
        new AggregationJobContinueReq(AggregationJobStep.of(1),
            List.of(new VerifyContinue(REPORT_ID_1, Hex.bytes("61")),
                new VerifyContinue(REPORT_ID_2, Hex.bytes("6263")))),
        hex(
            "0001", // step
            "0102030405060708090a0b0c0d0e0f10", "00000001", "61", // verify_continues[0]
            "100f0e0d0c0b0a090807060504030201", "00000002", "6263"), // verify_continues[1]
        AggregationJobContinueReq::decode));
    assertEquals(new AggregationJobContinueReq(AggregationJobStep.of(2), List.of()),
        AggregationJobContinueReq.decode(Hex.bytes("0002")));
  }

  @Test
  void theDraftsAggregationJobInitExample() throws DecodeException {
    // §4.5.3.5 "Example": agg_param [0x00, 0x01, 0x02, 0x04, ...] cut to the bytes shown, a
    // leader_selected_batch_id extension with BatchID [0x1f, 0x1e, ..., 0x00], verify_inits left
    // out; the draft omits verification_key_id, taken here as 0.
    BatchId batchId = BatchId.of(
        Hex.bytes("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"));
    AggregationJobInitReq req = new AggregationJobInitReq(0, Hex.bytes("00010204"),
        List.of(AggregationJobExtension.leaderSelectedBatchId(batchId)), List.of());
    RoundTrip.check(fixture("AggregationJobInitReq (draft example)", req,
        hex(
            "00", // verification_key_id
            "00000004", "00010204", // agg_param: length, bytes
            "0024", // extensions: length (36)
            "0001", // extension_type = leader_selected_batch_id
            "0020", // extension_data: length (32), the encoded BatchID
            "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100"),
        AggregationJobInitReq::decode));
    assertEquals(Optional.of(batchId), req.leaderSelectedBatchId());
  }
}
