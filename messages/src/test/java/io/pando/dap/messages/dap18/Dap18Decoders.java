package io.pando.dap.messages.dap18;

import static io.pando.dap.messages.dap18.Dap18Fixtures.BATCH_ID;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_HELPER;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_LEADER;
import static io.pando.dap.messages.dap18.Dap18Fixtures.COLLECTION_JOB_REQ;
import static io.pando.dap.messages.dap18.Dap18Fixtures.INTERVAL;
import static io.pando.dap.messages.dap18.Dap18Fixtures.METADATA_1;
import static io.pando.dap.messages.dap18.Dap18Fixtures.METADATA_2;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_ID_1;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_ID_2;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_SHARE;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_CONFIG;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_ID;

import io.pando.codec.Decoder;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Hex;
import io.pando.dap.messages.ReportIdChecksum;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every DAP-18 message decoder, and one valid encoding of each message as seeds, for the
 * robustness test and the messages module's fuzz target.
 */
public final class Dap18Decoders {
  private Dap18Decoders() {}

  /** Every DAP-18 decoder, by a name starting with {@code dap18 }. */
  public static Map<String, Decoder.Reader<?>> decoders() {
    Map<String, Decoder.Reader<?>> out = new LinkedHashMap<>();
    out.put("dap18 TimePrecision", TimePrecision::decode);
    out.put("dap18 Time", Time::decode);
    out.put("dap18 Duration", Duration::decode);
    out.put("dap18 Interval", Interval::decode);
    out.put("dap18 BatchMode", BatchMode::decode);
    out.put("dap18 ReportError", ReportError::decode);
    out.put("dap18 TaskExtension", TaskExtension::decode);
    out.put("dap18 TaskConfiguration", TaskConfiguration::decode);
    out.put("dap18 ReportMetadata", ReportMetadata::decode);
    out.put("dap18 PlaintextInputShare", PlaintextInputShare::decode);
    out.put("dap18 Report", Report::decode);
    out.put("dap18 UploadRequest", UploadRequest::decode);
    out.put("dap18 InputShareAad", InputShareAad::decode);
    out.put("dap18 ReportUploadStatus", ReportUploadStatus::decode);
    out.put("dap18 UploadErrors", UploadErrors::decode);
    out.put("dap18 ReportShare", ReportShare::decode);
    out.put("dap18 VerifyInit", VerifyInit::decode);
    out.put("dap18 AggregationJobExtension", AggregationJobExtension::decode);
    out.put("dap18 AggregationJobInitReq", AggregationJobInitReq::decode);
    out.put("dap18 VerifyResp", VerifyResp::decode);
    out.put("dap18 AggregationJobResp", AggregationJobResp::decode);
    out.put("dap18 VerifyContinue", VerifyContinue::decode);
    out.put("dap18 AggregationJobContinueReq", AggregationJobContinueReq::decode);
    out.put("dap18 Query", Query::decode);
    out.put("dap18 BatchSelector", BatchSelector::decode);
    out.put("dap18 CollectionJobExtension", CollectionJobExtension::decode);
    out.put("dap18 CollectionJobReq", CollectionJobReq::decode);
    out.put("dap18 CollectionJobResp", CollectionJobResp::decode);
    out.put("dap18 AggregateShareReq", AggregateShareReq::decode);
    out.put("dap18 AggregateShareAad", AggregateShareAad::decode);
    return out;
  }

  /** A valid value of every DAP-18 message, both batch modes where they differ. */
  public static List<Encodable> values() {
    Report report = new Report(METADATA_1, Hex.bytes("7075626c6963"), CIPHERTEXT_LEADER,
        CIPHERTEXT_HELPER);
    VerifyInit init = new VerifyInit(REPORT_SHARE, Hex.bytes("696e6974"));
    AggregationJobExtension batch = AggregationJobExtension.leaderSelectedBatchId(BATCH_ID);
    ReportUploadStatus status = new ReportUploadStatus(REPORT_ID_2, ReportError.OUTDATED_CONFIG);
    TaskConfiguration leaderSelected = TaskConfiguration.of(Hex.bytes("ff"), "h://l", "h://h",
        TimePrecision.ofSeconds(3600), 0, BatchMode.LEADER_SELECTED,
        new VdafConfig.Prio3MultihotCountVec(8, 2, 3), List.of());
    CollectionJobReq leaderSelectedReq =
        new CollectionJobReq(Query.leaderSelected(), Hex.bytes("00"));
    return List.of(
        TimePrecision.ofSeconds(10), Time.of(123456789L), Duration.of(11), INTERVAL,
        BatchMode.LEADER_SELECTED, ReportError.TASK_EXPIRED, TaskExtension.taskInterval(INTERVAL),
        TASK_CONFIG, leaderSelected,
        TaskConfiguration.of(Hex.bytes("01"), "a", "b", TimePrecision.ofSeconds(1), 1,
            BatchMode.TIME_INTERVAL, new VdafConfig.Poplar1(64), List.of()),
        TaskConfiguration.of(Hex.bytes("01"), "a", "b", TimePrecision.ofSeconds(1), 1,
            BatchMode.TIME_INTERVAL, new VdafConfig.Prio3SumVec(4, 9, 2), List.of()),
        TaskConfiguration.of(Hex.bytes("01"), "a", "b", TimePrecision.ofSeconds(1), 1,
            BatchMode.TIME_INTERVAL, new VdafConfig.Prio3Histogram(4, 2), List.of()),
        TaskConfiguration.of(Hex.bytes("01"), "a", "b", TimePrecision.ofSeconds(1), 1,
            BatchMode.TIME_INTERVAL, new VdafConfig.Other(0x1234, Hex.bytes("99")), List.of()),
        METADATA_1, METADATA_2,
        new PlaintextInputShare(METADATA_1.publicExtensions(), Hex.bytes("7368617265")),
        report, new UploadRequest(List.of(report, report)),
        new InputShareAad(TASK_ID, TASK_CONFIG, METADATA_1, Hex.bytes("7075626c6963")),
        status, new UploadErrors(List.of(status, status)),
        REPORT_SHARE, init, batch,
        new AggregationJobInitReq(1, Hex.bytes("6170"), List.of(batch), List.of(init, init)),
        VerifyResp.continueWith(REPORT_ID_1, Hex.bytes("6d7367")), VerifyResp.finish(REPORT_ID_2),
        VerifyResp.reject(REPORT_ID_1, ReportError.HPKE_DECRYPT_ERROR),
        new AggregationJobResp(List.of(VerifyResp.finish(REPORT_ID_1),
            VerifyResp.reject(REPORT_ID_2, ReportError.REPORT_DROPPED))),
        new VerifyContinue(REPORT_ID_2, Hex.bytes("636f6e74")),
        new AggregationJobContinueReq(AggregationJobStep.of(1),
            List.of(new VerifyContinue(REPORT_ID_1, Hex.bytes("61")))),
        Query.timeInterval(INTERVAL), Query.leaderSelected(),
        BatchSelector.timeInterval(INTERVAL), BatchSelector.leaderSelected(BATCH_ID),
        new CollectionJobExtension(7, Hex.bytes("01")), COLLECTION_JOB_REQ, leaderSelectedReq,
        new CollectionJobResp(3, INTERVAL, CIPHERTEXT_LEADER, CIPHERTEXT_HELPER),
        new AggregateShareReq(COLLECTION_JOB_REQ, BatchSelector.timeInterval(INTERVAL), 7,
            ReportIdChecksum.ZERO),
        new AggregateShareReq(leaderSelectedReq, BatchSelector.leaderSelected(BATCH_ID), 1,
            ReportIdChecksum.ZERO),
        new AggregateShareAad(TASK_ID, TASK_CONFIG, COLLECTION_JOB_REQ),
        new AggregateShareAad(TASK_ID, leaderSelected, leaderSelectedReq));
  }

  /** The encodings of {@link #values()}. */
  public static List<byte[]> seeds() {
    return values().stream().map(Encodable::encode).toList();
  }
}
