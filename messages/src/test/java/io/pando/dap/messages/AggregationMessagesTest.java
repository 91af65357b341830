package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.codec.DecodeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationMessagesTest {
  @Test
  void reportShare() throws DecodeException {
    RoundTrip.check(Fixtures.reportShare());
  }

  @Test
  void prepareInit() throws DecodeException {
    RoundTrip.check(Fixtures.prepareInit());
  }

  @Test
  void prepareRespContinue() throws DecodeException {
    RoundTrip.check(Fixtures.prepareRespContinue());
  }

  @Test
  void prepareRespFinished() throws DecodeException {
    RoundTrip.check(Fixtures.prepareRespFinished());
  }

  @Test
  void prepareRespReject() throws DecodeException {
    RoundTrip.check(Fixtures.prepareRespReject());
  }

  @Test
  void prepareError() throws DecodeException {
    RoundTrip.check(Fixtures.prepareError());
  }

  @Test
  void prepareContinue() throws DecodeException {
    RoundTrip.check(Fixtures.prepareContinue());
  }

  @Test
  void aggregationJobStep() throws DecodeException {
    RoundTrip.check(Fixtures.aggregationJobStep());
  }

  @Test
  void aggregationJobInitReqTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.aggregationJobInitReqTimeInterval());
  }

  @Test
  void aggregationJobInitReqFixedSize() throws DecodeException {
    RoundTrip.check(Fixtures.aggregationJobInitReqFixedSize());
  }

  @Test
  void aggregationJobContinueReq() throws DecodeException {
    RoundTrip.check(Fixtures.aggregationJobContinueReq());
  }

  @Test
  void aggregationJobResp() throws DecodeException {
    RoundTrip.check(Fixtures.aggregationJobResp());
  }

  @Test
  void prepareErrorCodepoints() {
    PrepareError[] expected = {
      PrepareError.BATCH_COLLECTED, PrepareError.REPORT_REPLAYED, PrepareError.REPORT_DROPPED,
      PrepareError.HPKE_UNKNOWN_CONFIG_ID, PrepareError.HPKE_DECRYPT_ERROR,
      PrepareError.VDAF_PREP_ERROR, PrepareError.BATCH_SATURATED, PrepareError.TASK_EXPIRED,
      PrepareError.INVALID_MESSAGE, PrepareError.REPORT_TOO_EARLY,
    };
    assertEquals(expected.length, PrepareError.values().length);
    for (int code = 0; code < expected.length; code++) {
      assertEquals(code, expected[code].code());
      assertEquals(expected[code], PrepareError.fromCode(code).orElseThrow());
    }
    assertEquals("hpke_decrypt_error", PrepareError.HPKE_DECRYPT_ERROR.draftName());
  }

  @Test
  void unknownPrepareErrorIsRejected() {
    assertThrows(DecodeException.class, () -> PrepareError.decode(Hex.bytes("0a")));
    assertThrows(DecodeException.class, () -> PrepareResp.decode(Hex.bytes(Hex.hex(
        "0102030405060708090a0b0c0d0e0f10", // report_id
        "02", // prepare_resp_state = reject
        "0a")))); // prepare_error = 10, unassigned
  }

  @Test
  void unknownPrepareRespStateIsRejected() {
    assertThrows(DecodeException.class, () -> PrepareResp.decode(Hex.bytes(Hex.hex(
        "0102030405060708090a0b0c0d0e0f10", // report_id
        "03")))); // prepare_resp_state = 3, unassigned
  }

  @Test
  void prepareStepResultVariants() throws DecodeException {
    assertSame(PrepareStepResult.finished(),
        PrepareStepResult.decode(Hex.bytes("01")));
    PrepareStepResult r = PrepareStepResult.decode(Hex.bytes("0209"));
    assertEquals(PrepareError.REPORT_TOO_EARLY,
        assertInstanceOf(PrepareStepResult.Reject.class, r).error());
    assertEquals(0, PrepareStepResult.continueWith(new byte[0]).state());
    assertEquals(1, PrepareStepResult.finished().state());
    assertEquals(2, PrepareStepResult.reject(PrepareError.REPORT_DROPPED).state());
  }

  @Test
  void emptyPrepareListsDecode() throws DecodeException {
    // Janus 0.7 sends an empty continue request when the Leader rejected every report, and the
    // Helper answers with an empty response.
    RoundTrip.check(new Fixture<>("AggregationJobContinueReq(empty)",
        new AggregationJobContinueReq(AggregationJobStep.of(2), List.of()),
        Hex.hex(
            "0002", // step
            "00000000"), // length of prepare_continues (0)
        AggregationJobContinueReq::decode));
    RoundTrip.check(new Fixture<>("AggregationJobResp(empty)",
        new AggregationJobResp(List.of()),
        "00000000", // length of prepare_resps (0)
        AggregationJobResp::decode));
  }

  @Test
  void initReqQueryTypeMismatchIsRejected() throws DecodeException {
    byte[] timeInterval = Fixtures.aggregationJobInitReqTimeInterval().bytes();
    assertThrows(DecodeException.class,
        () -> AggregationJobInitReq.decode(timeInterval, QueryType.FIXED_SIZE));
    byte[] fixedSize = Fixtures.aggregationJobInitReqFixedSize().bytes();
    assertThrows(DecodeException.class,
        () -> AggregationJobInitReq.decode(fixedSize, QueryType.TIME_INTERVAL));
    // Without an expected type, either decodes and reports its own.
    assertSame(QueryType.TIME_INTERVAL, AggregationJobInitReq.decode(timeInterval).queryType());
    assertSame(QueryType.FIXED_SIZE, AggregationJobInitReq.decode(fixedSize).queryType());
  }

  @Test
  void forgedPrepareListLengthFails() {
    assertThrows(DecodeException.class, () -> AggregationJobResp.decode(Hex.bytes(Hex.hex(
        "ffffffff", // length of prepare_resps
        "0102030405060708090a0b0c0d0e0f10", "01")))); // one finished response
    assertThrows(DecodeException.class, () -> AggregationJobInitReq.decode(Hex.bytes(Hex.hex(
        "fffffff0", // agg_param: length, nothing present
        "01", // part_batch_selector
        "00000000")))); // prepare_inits
  }

  @Test
  void stepLimits() {
    assertEquals(AggregationJobStep.of(1), AggregationJobStep.ZERO.next());
    assertThrows(IllegalArgumentException.class, () -> AggregationJobStep.of(0xffff).next());
  }

  @Test
  void initReqToStringIsShort() {
    String s = Fixtures.aggregationJobInitReqFixedSize().value().toString();
    assertEquals("AggregationJobInitReq[aggregationParameter=<5 bytes>, partialBatchSelector="
        + "FixedSize[batchId=" + Fixtures.BATCH_ID + "], prepareInits=2 items]", s);
  }
}
