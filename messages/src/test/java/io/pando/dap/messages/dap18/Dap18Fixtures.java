package io.pando.dap.messages.dap18;

import static io.pando.dap.messages.Hex.hex;

import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.ExtensionType;
import io.pando.dap.messages.Fixture;
import io.pando.dap.messages.Hex;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import java.util.List;

/**
 * Hex fixtures for the DAP-18 wire types, one commented line per field, laid out from the
 * structure definitions of draft-ietf-ppm-dap-18 §4 and Appendix B.
 */
final class Dap18Fixtures {
  private Dap18Fixtures() {}

  // ----- shared values -----

  static final TaskId TASK_ID =
      TaskId.of(Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  static final ReportId REPORT_ID_1 = ReportId.of(Hex.bytes("0102030405060708090a0b0c0d0e0f10"));
  static final ReportId REPORT_ID_2 = ReportId.of(Hex.bytes("100f0e0d0c0b0a090807060504030201"));
  static final BatchId BATCH_ID =
      BatchId.of(Hex.bytes("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"));

  /** §4.1.1's example: a precision of 10 s. */
  static final TimePrecision PRECISION = TimePrecision.ofSeconds(10);

  /** §4.1.1's example interval: start 123456789, duration 11 (POSIX 1234567890 + 110 s). */
  static final Interval INTERVAL = Interval.of(123456789L, 11L);

  static final HpkeCiphertext CIPHERTEXT_LEADER =
      new HpkeCiphertext(HpkeConfigId.of(42), Hex.bytes("656e6321"), Hex.bytes("7061796c6f6164"));
  static final HpkeCiphertext CIPHERTEXT_HELPER =
      new HpkeCiphertext(HpkeConfigId.of(7), Hex.bytes("6c6561"), Hex.bytes("68656c706572"));

  /** Hex of {@link #CIPHERTEXT_LEADER}. */
  static final String CIPHERTEXT_LEADER_HEX = hex(
      "2a", // config_id
      "0004", "656e6321", // enc: length, bytes
      "00000007", "7061796c6f6164"); // payload: length, bytes

  /** Hex of {@link #CIPHERTEXT_HELPER}. */
  static final String CIPHERTEXT_HELPER_HEX = hex(
      "07", // config_id
      "0003", "6c6561", // enc: length, bytes
      "00000006", "68656c706572"); // payload: length, bytes

  static final Extension REPORT_EXTENSION =
      new Extension(ExtensionType.of(0x0102), Hex.bytes("657874"));

  static final ReportMetadata METADATA_1 =
      new ReportMetadata(REPORT_ID_1, Time.of(123456789L), List.of(REPORT_EXTENSION));

  /** Hex of {@link #METADATA_1}. */
  static final String METADATA_1_HEX = hex(
      "0102030405060708090a0b0c0d0e0f10", // report_id
      "00000000075bcd15", // time = 123456789 time precisions
      "0007", // public_extensions: length (7)
      "0102", "0003", "657874"); // public_extensions[0]: type 0x0102, data "ext"

  static final ReportMetadata METADATA_2 = new ReportMetadata(REPORT_ID_2, Time.of(0x0102L));

  /** Hex of {@link #METADATA_2}. */
  static final String METADATA_2_HEX = hex(
      "100f0e0d0c0b0a090807060504030201", // report_id
      "0000000000000102", // time
      "0000"); // public_extensions: empty

  static final TaskConfiguration TASK_CONFIG = TaskConfiguration.of(
      Hex.bytes("7461736b"),
      "https://leader.example/",
      "https://helper.example/",
      PRECISION,
      100,
      BatchMode.TIME_INTERVAL,
      new VdafConfig.Prio3Sum(255),
      List.of(TaskExtension.taskInterval(Interval.of(123456789L, 8640L))));

  /** Hex of {@link #TASK_CONFIG}. */
  static final String TASK_CONFIG_HEX = hex(
      "04", "7461736b", // task_info: length, "task"
      "0017", "68747470733a2f2f6c65616465722e6578616d706c652f", // leader_aggregator_endpoint
      "0017", "68747470733a2f2f68656c7065722e6578616d706c652f", // helper_aggregator_endpoint
      "000000000000000a", // time_precision = 10 s
      "0000000000000064", // min_batch_size = 100
      "01", // batch_mode = time_interval
      "0000", // batch_config: empty
      "00000002", // vdaf_type = Prio3Sum
      "0008", "00000000000000ff", // vdaf_configuration: length, max_measurement = 255
      "0014", // extensions: length (20)
      "0001", // extensions[0].extension_type = task_interval
      "0010", // extensions[0].extension_data: length (16)
      "00000000075bcd15", "00000000000021c0"); // task_interval: start, duration = 8640

  static final ReportShare REPORT_SHARE =
      new ReportShare(METADATA_1, Hex.bytes("7075626c6963"), CIPHERTEXT_HELPER);

  /** Hex of {@link #REPORT_SHARE}. */
  static final String REPORT_SHARE_HEX = hex(
      METADATA_1_HEX, // report_metadata
      "00000006", "7075626c6963", // public_share: length, "public"
      CIPHERTEXT_HELPER_HEX); // encrypted_input_share

  static final CollectionJobReq COLLECTION_JOB_REQ = new CollectionJobReq(
      Query.timeInterval(INTERVAL),
      Hex.bytes("6167"),
      List.of(new CollectionJobExtension(0x0a0b, Hex.bytes("7878"))));

  /** Hex of {@link #COLLECTION_JOB_REQ}. */
  static final String COLLECTION_JOB_REQ_HEX = hex(
      "01", // query.batch_mode = time_interval
      "0010", // query.config: length (16)
      "00000000075bcd15", "000000000000000b", // query.config.batch_interval: start, duration
      "00000002", "6167", // agg_param: length, bytes
      "0006", // extensions: length (6)
      "0a0b", "0002", "7878"); // extensions[0]: type, data length, data

  // ----- fixtures -----

  static <T extends io.pando.dap.messages.Encodable> Fixture<T> fixture(
      String name, T value, String hex, io.pando.codec.Decoder.Reader<T> reader) {
    return new Fixture<>("dap18 " + name, value, hex, reader);
  }
}
