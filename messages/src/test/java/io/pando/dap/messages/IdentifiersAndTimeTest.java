package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentifiersAndTimeTest {
  @Test
  void taskId() throws DecodeException {
    RoundTrip.check(Fixtures.taskId());
  }

  @Test
  void reportId() throws DecodeException {
    RoundTrip.check(Fixtures.reportId());
  }

  @Test
  void batchId() throws DecodeException {
    RoundTrip.check(Fixtures.batchId());
  }

  @Test
  void aggregationJobId() throws DecodeException {
    RoundTrip.check(Fixtures.aggregationJobId());
  }

  @Test
  void collectionJobId() throws DecodeException {
    RoundTrip.check(Fixtures.collectionJobId());
  }

  @Test
  void reportIdChecksum() throws DecodeException {
    RoundTrip.check(Fixtures.checksum());
  }

  @Test
  void time() throws DecodeException {
    RoundTrip.check(Fixtures.time());
  }

  @Test
  void duration() throws DecodeException {
    RoundTrip.check(Fixtures.duration());
  }

  @Test
  void interval() throws DecodeException {
    RoundTrip.check(Fixtures.interval());
  }

  @Test
  void role() throws DecodeException {
    RoundTrip.check(Fixtures.role());
  }

  @Test
  void idsPrintAsUnpaddedBase64Url() {
    assertEquals("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", Fixtures.TASK_ID.toString());
    assertEquals(Fixtures.TASK_ID.toString(), Fixtures.TASK_ID.toBase64Url());
    assertEquals(Fixtures.TASK_ID, TaskId.fromBase64Url(Fixtures.TASK_ID.toBase64Url()));
    assertEquals(Fixtures.REPORT_ID_1, ReportId.fromBase64Url(Fixtures.REPORT_ID_1.toString()));
    assertTrue(Fixtures.REPORT_ID_1.toString().matches("[A-Za-z0-9_-]{22}"));
  }

  @Test
  void base64UrlParsingIsStrict() {
    // Padded.
    assertThrows(IllegalArgumentException.class,
        () -> TaskId.fromBase64Url("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
    // Standard alphabet.
    assertThrows(IllegalArgumentException.class,
        () -> ReportId.fromBase64Url("+/8AAAAAAAAAAAAAAAAAAA"));
    // Non-zero trailing bits: "AAAAAAAAAAAAAAAAAAAAAB" decodes to 16 bytes but is not canonical.
    assertThrows(IllegalArgumentException.class,
        () -> ReportId.fromBase64Url("AAAAAAAAAAAAAAAAAAAAAB"));
    // Wrong length.
    assertThrows(IllegalArgumentException.class, () -> TaskId.fromBase64Url("AAAA"));
    assertThrows(IllegalArgumentException.class, () -> TaskId.of(new byte[31]));
    assertThrows(NullPointerException.class, () -> TaskId.of(null));
  }

  @Test
  void idsAreImmutableAndComparedByContent() {
    byte[] raw = new byte[16];
    ReportId id = ReportId.of(raw);
    raw[0] = 1;
    assertEquals(ReportId.of(new byte[16]), id);
    id.bytes()[0] = 1;
    assertEquals(ReportId.of(new byte[16]), id);
    assertNotEquals(ReportId.random(), ReportId.random());
    // Different id types with the same bytes are not equal.
    assertNotEquals(AggregationJobId.of(new byte[16]), CollectionJobId.of(new byte[16]));
    // Unsigned order.
    byte[] high = new byte[16];
    high[0] = (byte) 0x80;
    assertTrue(ReportId.of(high).compareTo(ReportId.of(new byte[16])) > 0);
  }

  @Test
  void checksumXor() {
    ReportIdChecksum c = Fixtures.checksum().value();
    assertEquals(ReportIdChecksum.ZERO, c.xor(c));
    assertEquals(c, ReportIdChecksum.ZERO.xor(c));
  }

  @Test
  void timeAboveTwoToTheSixtyThreeIsRejected() {
    assertThrows(DecodeException.class, () -> Time.decode(Hex.bytes("8000000000000000")));
    assertThrows(DecodeException.class, () -> Duration.decode(Hex.bytes("ffffffffffffffff")));
    assertEquals(Long.MAX_VALUE,
        assertDoesNotThrow(() -> Time.decode(Hex.bytes("7fffffffffffffff"))).seconds());
    assertThrows(IllegalArgumentException.class, () -> Time.ofSeconds(-1));
    assertThrows(IllegalArgumentException.class, () -> Duration.ofSeconds(-1));
  }

  @Test
  void intervalEndMustNotOverflow() {
    assertThrows(DecodeException.class,
        () -> Interval.decode(Hex.bytes(Hex.hex(
            "7fffffffffffffff", // start
            "0000000000000001")))); // duration
    assertThrows(IllegalArgumentException.class, () -> Interval.of(Long.MAX_VALUE, 1));
    Interval i = Interval.of(100, 10);
    assertEquals(Time.ofSeconds(110), i.end());
    assertTrue(i.contains(Time.ofSeconds(100)));
    assertTrue(i.contains(Time.ofSeconds(109)));
    assertFalse(i.contains(Time.ofSeconds(110)));
    assertFalse(i.contains(Time.ofSeconds(99)));
  }

  @Test
  void roleCodepoints() {
    assertEquals(0, Role.COLLECTOR.code());
    assertEquals(1, Role.CLIENT.code());
    assertEquals(2, Role.LEADER.code());
    assertEquals(3, Role.HELPER.code());
    assertEquals(Optional.of(Role.LEADER), Role.fromCode(2));
    assertEquals(Optional.empty(), Role.fromCode(4));
    assertThrows(DecodeException.class, () -> Role.decode(Hex.bytes("04")));
    assertThrows(DecodeException.class, () -> Role.decode(Hex.bytes("ff")));
    assertArrayEquals(Hex.bytes("02"), Role.LEADER.encode());
  }
}
