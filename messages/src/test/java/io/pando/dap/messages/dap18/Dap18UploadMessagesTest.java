package io.pando.dap.messages.dap18;

import static io.pando.dap.messages.Hex.hex;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_HELPER;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_HELPER_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_LEADER;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_LEADER_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.METADATA_1;
import static io.pando.dap.messages.dap18.Dap18Fixtures.METADATA_1_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.METADATA_2;
import static io.pando.dap.messages.dap18.Dap18Fixtures.METADATA_2_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_EXTENSION;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_ID_1;
import static io.pando.dap.messages.dap18.Dap18Fixtures.REPORT_ID_2;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_CONFIG;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_CONFIG_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_ID;
import static io.pando.dap.messages.dap18.Dap18Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.ExtensionType;
import io.pando.dap.messages.Hex;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.HpkePublicKey;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.RoundTrip;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DAP-18 §4.4 upload messages against hex written from the draft's structure definitions. */
class Dap18UploadMessagesTest {
  private static final Report REPORT_1 =
      new Report(METADATA_1, Hex.bytes("7075626c6963"), CIPHERTEXT_LEADER, CIPHERTEXT_HELPER);
  private static final String REPORT_1_HEX = hex(
      METADATA_1_HEX, // report_metadata
      "00000006", "7075626c6963", // public_share: length, "public"
      CIPHERTEXT_LEADER_HEX, // leader_encrypted_input_share
      CIPHERTEXT_HELPER_HEX); // helper_encrypted_input_share
  private static final Report REPORT_2 =
      new Report(METADATA_2, new byte[0], CIPHERTEXT_HELPER, CIPHERTEXT_LEADER);
  private static final String REPORT_2_HEX = hex(
      METADATA_2_HEX, // report_metadata
      "00000000", // public_share: empty
      CIPHERTEXT_HELPER_HEX, // leader_encrypted_input_share
      CIPHERTEXT_LEADER_HEX); // helper_encrypted_input_share

  @Test
  void reportMetadata() throws DecodeException {
    RoundTrip.check(fixture("ReportMetadata", METADATA_1, METADATA_1_HEX, ReportMetadata::decode));
    RoundTrip.check(fixture("ReportMetadata", METADATA_2, METADATA_2_HEX, ReportMetadata::decode));
  }

  @Test
  void publicExtensionOrderIsCheckedNotRefusedByTheDecoder() throws DecodeException {
    Extension a = new Extension(ExtensionType.of(1), new byte[0]);
    Extension b = new Extension(ExtensionType.of(2), new byte[0]);
    ReportMetadata disordered = ReportMetadata.decode(Hex.bytes(hex(
        "0102030405060708090a0b0c0d0e0f10", // report_id
        "0000000000000001", // time
        "0008", // public_extensions: length (8)
        "0002", "0000", // type 2, empty
        "0001", "0000"))); // type 1, empty
    assertEquals(List.of(b, a), disordered.publicExtensions());
    assertFalse(disordered.publicExtensionsStrictlyIncreasing());
    ReportMetadata sorted = ReportMetadata.sorted(REPORT_ID_1, Time.of(1), List.of(b, a));
    assertEquals(List.of(a, b), sorted.publicExtensions());
    assertTrue(sorted.publicExtensionsStrictlyIncreasing());
    assertThrows(IllegalArgumentException.class,
        () -> ReportMetadata.sorted(REPORT_ID_1, Time.of(1), List.of(a, a)));
  }

  @Test
  void plaintextInputShare() throws DecodeException {
    RoundTrip.check(fixture("PlaintextInputShare",
        new PlaintextInputShare(List.of(REPORT_EXTENSION), Hex.bytes("7368617265")),
        hex(
            "0007", // private_extensions: length (7)
            "0102", "0003", "657874", // private_extensions[0]: type 0x0102, data "ext"
            "00000005", "7368617265"), // payload: length, "share"
        PlaintextInputShare::decode));
  }

  @Test
  void plaintextInputSharePayloadIsNonEmpty() {
    // payload<1..2^32-1>
    assertThrows(DecodeException.class,
        () -> PlaintextInputShare.decode(Hex.bytes(hex("0000", "00000000"))));
    assertThrows(IllegalArgumentException.class,
        () -> new PlaintextInputShare(List.of(), new byte[0]));
  }

  @Test
  void report() throws DecodeException {
    RoundTrip.check(fixture("Report", REPORT_1, REPORT_1_HEX, Report::decode));
    RoundTrip.check(fixture("Report", REPORT_2, REPORT_2_HEX, Report::decode));
    assertEquals(new ReportShare(METADATA_1, Hex.bytes("7075626c6963"), CIPHERTEXT_HELPER),
        REPORT_1.helperReportShare());
  }

  @Test
  void uploadRequestRunsToTheEndOfTheBody() throws DecodeException {
    // Report reports[message_length]: no length prefix, the reports fill the content.
    RoundTrip.check(fixture("UploadRequest", new UploadRequest(List.of(REPORT_1, REPORT_2)),
        hex(REPORT_1_HEX, REPORT_2_HEX), UploadRequest::decode));
    RoundTrip.check(fixture("UploadRequest", new UploadRequest(List.of(REPORT_1)), REPORT_1_HEX,
        UploadRequest::decode));
    assertEquals(new UploadRequest(List.of()), UploadRequest.decode(new byte[0]));
    assertArrayEquals(new byte[0], new UploadRequest(List.of()).encode());
  }

  @Test
  void inputShareAad() throws DecodeException {
    RoundTrip.check(fixture("InputShareAad",
        new InputShareAad(TASK_ID, TASK_CONFIG, METADATA_1, Hex.bytes("7075626c6963")),
        hex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", // task_id
            TASK_CONFIG_HEX, // task_configuration
            METADATA_1_HEX, // report_metadata
            "00000006", "7075626c6963"), // public_share: length, "public"
        InputShareAad::decode));
    assertEquals(new InputShareAad(TASK_ID, TASK_CONFIG, METADATA_1, Hex.bytes("7075626c6963")),
        REPORT_1.inputShareAad(TASK_ID, TASK_CONFIG));
  }

  @Test
  void reportErrors() throws DecodeException {
    // §4.1 enum ReportError: reserved(0) .. outdated_config(11), (255)
    String[] names = {"batch_collected", "report_replayed", "report_dropped",
        "hpke_unknown_config_id", "hpke_decrypt_error", "vdaf_verify_error", "task_expired",
        "invalid_message", "report_too_early", "task_not_started", "outdated_config"};
    assertEquals(names.length, ReportError.values().length);
    for (int code = 1; code <= 11; code++) {
      ReportError e = ReportError.decode(new byte[] {(byte) code});
      assertEquals(code, e.code());
      assertEquals(names[code - 1], e.draftName());
      RoundTrip.check(fixture("ReportError", e, String.format("%02x", code), ReportError::decode));
    }
    assertThrows(DecodeException.class, () -> ReportError.decode(Hex.bytes("00")));
    assertThrows(DecodeException.class, () -> ReportError.decode(Hex.bytes("0c")));
    assertThrows(DecodeException.class, () -> ReportError.decode(Hex.bytes("ff")));
  }

  @Test
  void reportUploadStatus() throws DecodeException {
    RoundTrip.check(fixture("ReportUploadStatus",
        new ReportUploadStatus(REPORT_ID_1, ReportError.REPORT_REPLAYED),
        hex(
            "0102030405060708090a0b0c0d0e0f10", // id
            "02"), // error = report_replayed
        ReportUploadStatus::decode));
  }

  @Test
  void uploadErrorsRunToTheEndOfTheBody() throws DecodeException {
    // ReportUploadStatus status[message_length]
    RoundTrip.check(fixture("UploadErrors",
        new UploadErrors(List.of(new ReportUploadStatus(REPORT_ID_1, ReportError.REPORT_REPLAYED),
            new ReportUploadStatus(REPORT_ID_2, ReportError.OUTDATED_CONFIG))),
        hex(
            "0102030405060708090a0b0c0d0e0f10", "02", // status[0]: id, report_replayed
            "100f0e0d0c0b0a090807060504030201", "0b"), // status[1]: id, outdated_config
        UploadErrors::decode));
    assertEquals(new UploadErrors(List.of()), UploadErrors.decode(new byte[0]));
  }

  @Test
  void theDraftsUploadExample() throws DecodeException {
    // §4.4.2.3 "Example", successful upload: the draft elides the byte strings ("..."); they are
    // cut to the bytes it shows.
    Report report = new Report(
        new ReportMetadata(ReportId.of(Hex.bytes("0a0b0c0d000000000000000000000000")),
            Time.of(17419860L)),
        Hex.bytes("0a0b"),
        new HpkeCiphertext(HpkeConfigId.of(1), Hex.bytes("0f0e0d0c"), Hex.bytes("0b0a0908")),
        new HpkeCiphertext(HpkeConfigId.of(2), Hex.bytes("0c0d0e0f"), Hex.bytes("08000a0b")));
    RoundTrip.check(fixture("UploadRequest (draft example)", new UploadRequest(List.of(report)),
        hex(
            "0a0b0c0d000000000000000000000000", // report_id = [0x0a, 0x0b, 0x0c, 0x0d, ...]
            "000000000109ce54", // time = 17419860
            "0000", // public_extensions = [0x00, 0x00]: the empty list
            "00000002", "0a0b", // public_share = [0x0a, 0x0b, ...]
            "01", "0004", "0f0e0d0c", "00000004", "0b0a0908", // leader: config_id 1, enc, payload
            "02", "0004", "0c0d0e0f", "00000004", "08000a0b"), // helper: config_id 2, enc, payload
        UploadRequest::decode));
  }

  @Test
  void theDraftsHpkeConfigListExample() throws DecodeException {
    // §4.4.1.1 "Example": DAP-18 keeps DAP-09's HpkeConfigList<10..2^16-1>; the public keys the
    // draft elides are cut to the four bytes it shows.
    HpkeConfigList list = HpkeConfigList.of(
        new HpkeConfig(HpkeConfigId.of(194), HpkeKemId.of(0x0010), HpkeKdfId.of(0x0001),
            HpkeAeadId.of(0x0001), HpkePublicKey.of(Hex.bytes("01020304"))),
        new HpkeConfig(HpkeConfigId.of(17), HpkeKemId.of(0x0020), HpkeKdfId.of(0x0001),
            HpkeAeadId.of(0x0003), HpkePublicKey.of(Hex.bytes("04030201"))));
    RoundTrip.check(fixture("HpkeConfigList (draft example)", list,
        hex(
            "001a", // length of the list (26)
            "c2", "0010", "0001", "0001", // id 194, kem_id, kdf_id, aead_id
            "0004", "01020304", // public_key: length, bytes
            "11", "0020", "0001", "0003", // id 17, kem_id, kdf_id, aead_id
            "0004", "04030201"), // public_key: length, bytes
        HpkeConfigList::decode));
    assertThrows(DecodeException.class, () -> HpkeConfigList.decode(Hex.bytes("0000")));
  }
}
