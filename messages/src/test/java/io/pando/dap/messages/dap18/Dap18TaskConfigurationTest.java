package io.pando.dap.messages.dap18;

import static io.pando.dap.messages.Hex.hex;
import static io.pando.dap.messages.dap18.Dap18Fixtures.INTERVAL;
import static io.pando.dap.messages.dap18.Dap18Fixtures.PRECISION;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_CONFIG;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_CONFIG_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.dap.messages.Hex;
import io.pando.dap.messages.RoundTrip;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * DAP-18 §4.1.1 times, §4.2 task configuration and Appendix B VDAF configurations against hex
 * written from the draft's definitions.
 */
class Dap18TaskConfigurationTest {
  @Test
  void timePrecisionTimeDuration() throws DecodeException {
    RoundTrip.check(fixture("TimePrecision", PRECISION, "000000000000000a", // 10 s
        TimePrecision::decode));
    RoundTrip.check(fixture("Time", Time.of(123456789L), "00000000075bcd15", Time::decode));
    RoundTrip.check(fixture("Duration", Duration.of(11), "000000000000000b", Duration::decode));
    RoundTrip.check(fixture("Interval", INTERVAL,
        hex(
            "00000000075bcd15", // start = 123456789
            "000000000000000b"), // duration = 11
        Interval::decode));
  }

  @Test
  void theDraftsTimeExamples() {
    // §4.1.1.1: precision 10 s; Time 123456789 is POSIX 1234567890; Duration 11 is 110 s;
    // the Interval (123456789, 11) runs from POSIX 1234567890 to 1234568000.
    assertEquals(1234567890L, Time.of(123456789L).toSeconds(PRECISION));
    assertEquals(110L, Duration.of(11).toSeconds(PRECISION));
    assertEquals(1234568000L, INTERVAL.end().toSeconds(PRECISION));
    assertEquals(Time.of(123456789L), Time.ofSeconds(1234567890L, PRECISION));
    assertEquals(Time.of(123456789L), Time.ofSeconds(1234567899L, PRECISION));
    assertEquals(Duration.of(11), Duration.ofSeconds(110, PRECISION));
    assertThrows(IllegalArgumentException.class, () -> Duration.ofSeconds(115, PRECISION));
    assertTrue(INTERVAL.contains(Time.of(123456799L)));
    assertFalse(INTERVAL.contains(Time.of(123456800L)));
    assertFalse(INTERVAL.contains(Time.of(123456788L)));
  }

  @Test
  void timesOutsideJavaLongAndZeroPrecisionAreRefused() {
    assertThrows(DecodeException.class, () -> Time.decode(Hex.bytes("8000000000000000")));
    assertThrows(DecodeException.class, () -> Duration.decode(Hex.bytes("ffffffffffffffff")));
    assertThrows(DecodeException.class, () -> TimePrecision.decode(Hex.bytes("0000000000000000")));
    assertThrows(DecodeException.class,
        () -> Interval.decode(Hex.bytes(hex("7fffffffffffffff", "0000000000000001"))));
    assertThrows(ArithmeticException.class,
        () -> Time.of(Long.MAX_VALUE).toSeconds(PRECISION));
  }

  @Test
  void taskConfiguration() throws DecodeException {
    RoundTrip.check(
        fixture("TaskConfiguration", TASK_CONFIG, TASK_CONFIG_HEX, TaskConfiguration::decode));
    assertEquals(Optional.of(Interval.of(123456789L, 8640L)), TASK_CONFIG.taskInterval());
  }

  @Test
  void leaderSelectedTaskConfigurationWithoutExtensions() throws DecodeException {
    TaskConfiguration config = TaskConfiguration.of(Hex.bytes("ff"), "h://l", "h://h",
        TimePrecision.ofSeconds(3600), 0, BatchMode.LEADER_SELECTED, new VdafConfig.Prio3Count(),
        List.of());
    RoundTrip.check(fixture("TaskConfiguration", config,
        hex(
            "01", "ff", // task_info: length, bytes
            "0005", "683a2f2f6c", // leader_aggregator_endpoint: "h://l"
            "0005", "683a2f2f68", // helper_aggregator_endpoint: "h://h"
            "0000000000000e10", // time_precision = 3600 s
            "0000000000000000", // min_batch_size = 0
            "02", // batch_mode = leader_selected
            "0000", // batch_config: empty
            "00000001", // vdaf_type = Prio3Count
            "0000", // vdaf_configuration: Empty
            "0000"), // extensions: empty
        TaskConfiguration::decode));
    assertEquals(Optional.empty(), config.taskInterval());
  }

  @Test
  void taskConfigurationBounds() {
    String tail = hex(
        "0001", "61", "0001", "62", // two one-byte URLs
        "000000000000000a", "0000000000000001", "01", "0000", // precision, min, mode, config
        "00000001", "0000", "0000"); // Prio3Count, Empty, no extensions
    // task_info<1..2^8-1>: empty is refused.
    assertThrows(DecodeException.class, () -> TaskConfiguration.decode(Hex.bytes("00" + tail)));
    assertThrows(IllegalArgumentException.class, () -> TaskConfiguration.of(new byte[0], "a", "b",
        PRECISION, 1, BatchMode.TIME_INTERVAL, new VdafConfig.Prio3Count(), List.of()));
    assertThrows(IllegalArgumentException.class, () -> TaskConfiguration.of(new byte[256], "a",
        "b", PRECISION, 1, BatchMode.TIME_INTERVAL, new VdafConfig.Prio3Count(), List.of()));
    // Url<1..2^16-1>: empty is refused.
    assertThrows(DecodeException.class, () -> TaskConfiguration.decode(Hex.bytes(
        hex("0178", "0000", tail.substring(6)))));
    // Extensions out of order (§4.2.2): refused.
    assertThrows(DecodeException.class, () -> TaskConfiguration.decode(Hex.bytes(hex("0178",
        tail.substring(0, tail.length() - 4), "0008", "0002", "0000", "0001", "0000"))));
    // A malformed task_interval extension is refused.
    assertThrows(DecodeException.class, () -> TaskConfiguration.decode(Hex.bytes(hex("0178",
        tail.substring(0, tail.length() - 4), "0005", "0001", "0001", "00"))));
    // Reserved and unknown batch modes.
    assertThrows(DecodeException.class, () -> BatchMode.decode(Hex.bytes("00")));
    assertThrows(DecodeException.class, () -> BatchMode.decode(Hex.bytes("03")));
  }

  @Test
  void taskExtension() throws DecodeException {
    TaskExtension x = TaskExtension.taskInterval(INTERVAL);
    RoundTrip.check(fixture("TaskExtension", x,
        hex(
            "0001", // extension_type = task_interval
            "0010", "00000000075bcd15", "000000000000000b"), // extension_data: Interval
        TaskExtension::decode));
    assertEquals(INTERVAL, x.taskInterval());
    TaskExtension other = new TaskExtension(0x1234, Hex.bytes("00"));
    RoundTrip.check(fixture("TaskExtension", other, "1234000100", TaskExtension::decode));
    assertThrows(DecodeException.class, other::taskInterval);
  }

  @Test
  void vdafConfigurations() throws DecodeException {
    // Appendix B encodings, VDAF-20 §10 codepoints.
    vdaf(new VdafConfig.Prio3Count(), 1, "");
    vdaf(new VdafConfig.Prio3Sum(255), 2, "00000000000000ff");
    vdaf(new VdafConfig.Prio3SumVec(10, 3, 4), 3,
        hex("0000000a", "0000000000000003", "00000004")); // length, max_measurement, chunk
    vdaf(new VdafConfig.Prio3Histogram(12, 3), 4, hex("0000000c", "00000003")); // length, chunk
    vdaf(new VdafConfig.Prio3MultihotCountVec(8, 2, 3), 5,
        hex("00000008", "00000002", "0000000000000003")); // length, chunk, max_weight
    vdaf(new VdafConfig.Poplar1(256), 6, "0100"); // bits
    vdaf(new VdafConfig.Other(0xffff1003L, Hex.bytes("0102")), 0xffff1003L, "0102");
  }

  @Test
  void vdafConfigurationsOfTheWrongLengthAreRefused() {
    assertThrows(DecodeException.class, () -> VdafConfig.decode(1, Hex.bytes("00")));
    assertThrows(DecodeException.class, () -> VdafConfig.decode(2, Hex.bytes("00000000000000")));
    assertThrows(DecodeException.class, () -> VdafConfig.decode(2, Hex.bytes("0000000000000000")));
    assertThrows(DecodeException.class, () -> VdafConfig.decode(6, Hex.bytes("000001")));
    assertThrows(DecodeException.class, () -> VdafConfig.decode(6, Hex.bytes("0000")));
  }

  private static void vdaf(VdafConfig config, long type, String hex) throws DecodeException {
    assertEquals(type, config.vdafType());
    assertArrayEquals(Hex.bytes(hex), config.configuration());
    VdafConfig decoded = VdafConfig.decode(type, Hex.bytes(hex));
    assertEquals(config, decoded);
    assertInstanceOf(config.getClass(), decoded);
  }
}
