package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadMessagesTest {
  @Test
  void reportMetadata() throws DecodeException {
    RoundTrip.check(Fixtures.reportMetadata());
  }

  @Test
  void extensionType() throws DecodeException {
    RoundTrip.check(Fixtures.extensionType());
  }

  @Test
  void extension() throws DecodeException {
    RoundTrip.check(Fixtures.extension());
  }

  @Test
  void plaintextInputShare() throws DecodeException {
    RoundTrip.check(Fixtures.plaintextInputShare());
  }

  @Test
  void report() throws DecodeException {
    RoundTrip.check(Fixtures.report());
  }

  @Test
  void inputShareAad() throws DecodeException {
    RoundTrip.check(Fixtures.inputShareAad());
  }

  @Test
  void decodeFromBytes() throws DecodeException {
    Fixture<Report> f = Fixtures.report();
    assertEquals(f.value(), Report.decode(f.bytes()));
    assertEquals(Fixtures.TASK_ID, TaskId.decode(Fixtures.taskId().bytes()));
  }

  @Test
  void unknownExtensionTypesDecode() throws DecodeException {
    ExtensionType t = ExtensionType.decode(Hex.bytes("abcd"));
    assertFalse(t.isKnown());
    assertEquals("unknown(0xabcd)", t.toString());
    assertTrue(ExtensionType.TASKPROV.isKnown());
    PlaintextInputShare share = Fixtures.plaintextInputShare().value();
    assertFalse(share.extensions().get(1).extensionType().isKnown());
  }

  @Test
  void repeatedExtensionTypesAreReported() {
    PlaintextInputShare repeated = new PlaintextInputShare(
        List.of(new Extension(ExtensionType.TBD, new byte[0]),
            new Extension(ExtensionType.TBD, new byte[1])),
        new byte[0]);
    assertTrue(repeated.hasRepeatedExtensionType());
    assertFalse(Fixtures.plaintextInputShare().value().hasRepeatedExtensionType());
  }

  @Test
  void forgedPublicShareLengthFailsWithoutAllocating() {
    byte[] forged = Hex.bytes(Hex.hex(
        "0102030405060708090a0b0c0d0e0f10", // report_metadata.report_id
        "0000000000003039", // report_metadata.time
        "ffffffff", "7075626c6963")); // public_share: length 2^32-1, six bytes present
    assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
        () -> assertThrows(DecodeException.class, () -> Report.decode(forged)));
  }

  @Test
  void forgedExtensionListLengthFails() {
    assertThrows(DecodeException.class, () -> PlaintextInputShare.decode(Hex.bytes(Hex.hex(
        "fffe", // length of extensions
        "0000", "0000", // one empty extension
        "00000000")))); // payload
    // The list length cuts an extension in half.
    assertThrows(DecodeException.class, () -> PlaintextInputShare.decode(Hex.bytes(Hex.hex(
        "0003", // length of extensions
        "0000", "0000", // an extension of four bytes
        "00000000")))); // payload
  }

  @Test
  void accessorsReturnCopies() {
    Report r = Fixtures.report().value();
    r.publicShare()[0] ^= 1;
    assertArrayEquals(Hex.bytes("7075626c6963"), r.publicShare());
    byte[] share = Hex.bytes("00");
    PlaintextInputShare p = new PlaintextInputShare(List.of(), share);
    share[0] = 1;
    assertArrayEquals(Hex.bytes("00"), p.payload());
  }

  @Test
  void derivedAadAndReportShare() {
    Report r = Fixtures.report().value();
    assertEquals(new InputShareAad(Fixtures.TASK_ID, r.metadata(), r.publicShare()),
        r.inputShareAad(Fixtures.TASK_ID));
    assertEquals(new ReportShare(r.metadata(), r.publicShare(), r.helperEncryptedInputShare()),
        r.helperReportShare());
  }

  @Test
  void toStringNeverDumpsPayloads() {
    Report big = new Report(Fixtures.METADATA_1, new byte[100_000], Fixtures.CIPHERTEXT_LEADER,
        Fixtures.CIPHERTEXT_HELPER);
    String s = big.toString();
    assertTrue(s.contains("<100000 bytes>"), s);
    assertTrue(s.contains(Fixtures.REPORT_ID_1.toString()), s);
    assertTrue(s.length() < 400, s);
  }

  @Test
  void extensionLimits() {
    assertThrows(IllegalArgumentException.class,
        () -> new Extension(ExtensionType.TBD, new byte[0x10000]));
    // 17 extensions of 4,000 data bytes each exceed the 2-byte list prefix.
    List<Extension> many = Collections.nCopies(17,
        new Extension(ExtensionType.TBD, new byte[4000]));
    assertThrows(IllegalArgumentException.class, () -> new PlaintextInputShare(many, new byte[0]));
  }
}
