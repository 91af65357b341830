package io.pando.dap.messages.taskprov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.codec.DecodeException;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The taskprov wire types against hex laid out field by field from the structures of
 * draft-wang-ppm-dap-taskprov-06 §3. The two TaskConfig encodings are the ones of Janus
 * release/0.7's {@code messages/src/taskprov.rs} test {@code roundtrip_task_config}, the
 * implementation that speaks this draft with DAP-09.
 */
class TaskprovMessagesTest {
  private static byte[] hex(String... parts) {
    return HexFormat.of().parseHex(String.join("", parts).toLowerCase());
  }

  private static void roundTrip(Encodable value, byte[] expected, Encodable decoded) {
    assertArrayEquals(expected, value.encode());
    assertEquals(value, decoded);
  }

  static final byte[] FIXED_SIZE_COUNT = hex(
      "06", "666F6F626172",                                              // task_info "foobar"
      "0014", "68747470733A2F2F6578616D706C652E636F6D2F",                // leader "https://example.com/"
      "001C", "68747470733A2F2F616E6F746865722E6578616D706C652E636F6D2F", // helper "https://another.example.com/"
      "0013",                                                            // query_config length
      "000000000000AAAA",                                                //   time_precision
      "BBBB",                                                            //   max_batch_query_count
      "0000CCCC",                                                        //   min_batch_size
      "02",                                                              //   query_type fixed_size
      "0000DDDD",                                                        //   max_batch_size
      "000000000000EEEE",                                                // task_expiration
      "0007",                                                            // vdaf_config length
      "0001", "01",                                                      //   dp_config: none
      "00000000");                                                       //   vdaf_type prio3_count

  static TaskConfig fixedSizeCount() {
    return new TaskConfig("foobar".getBytes(), "https://example.com/",
        "https://another.example.com/",
        QueryConfig.fixedSize(Duration.ofSeconds(0xAAAA), 0xBBBB, 0xCCCC, 0xDDDD),
        Time.ofSeconds(0xEEEE), new VdafConfig(DpConfig.NO_DP, new VdafType.Prio3Count()));
  }

  @Test
  void taskConfigFixedSizeCount() throws DecodeException {
    TaskConfig c = fixedSizeCount();
    roundTrip(c, FIXED_SIZE_COUNT, TaskConfig.decode(FIXED_SIZE_COUNT));
  }

  @Test
  void taskConfigTimeIntervalHistogram() throws DecodeException {
    byte[] expected = hex(
        "01", "66",                                                        // task_info "f"
        "0014", "68747470733A2F2F6578616D706C652E636F6D2F",                // leader
        "001C", "68747470733A2F2F616E6F746865722E6578616D706C652E636F6D2F", // helper
        "000F",                                                            // query_config length
        "000000000000AAAA", "BBBB", "0000CCCC",                            //   precision, count, min
        "01",                                                              //   query_type time_interval
        "000000000000EEEE",                                                // task_expiration
        "000F",                                                            // vdaf_config length
        "0001", "01",                                                      //   dp_config: none
        "00000003", "0000000A", "00000004");                               //   histogram(10, 4)
    TaskConfig c = new TaskConfig("f".getBytes(), "https://example.com/",
        "https://another.example.com/",
        QueryConfig.timeInterval(Duration.ofSeconds(0xAAAA), 0xBBBB, 0xCCCC),
        Time.ofSeconds(0xEEEE),
        new VdafConfig(DpConfig.NO_DP, new VdafType.Prio3Histogram(10, 4)));
    roundTrip(c, expected, TaskConfig.decode(expected));
  }

  /**
   * §3: the task id is SHA-256 of the encoded TaskConfig; the header carries it as base64url.
   * Expected values computed independently (Python hashlib, base64) from the bytes above.
   */
  @Test
  void taskIdAndHeader() throws DecodeException {
    TaskConfig c = fixedSizeCount();
    assertEquals(TaskId.of(hex(
        "5a4a1a9b0bf23ce4fcd4394b506aceac3d27e6bf3c493cb650cce6fb9a3ae3f6")), c.taskId());
    String header = "BmZvb2JhcgAUaHR0cHM6Ly9leGFtcGxlLmNvbS8AHGh0dHBzOi8vYW5vdGhlci5leGFtcGxlLmNvbS8"
        + "AEwAAAAAAAKqqu7sAAMzMAgAA3d0AAAAAAADu7gAHAAEBAAAAAA";
    assertEquals(header, c.toHeader());
    assertArrayEquals(FIXED_SIZE_COUNT, TaskConfig.headerBytes(header));
    assertThrows(DecodeException.class, () -> TaskConfig.headerBytes("not*base64"));
  }

  @Test
  void vdafTypes() throws DecodeException {
    check(new VdafType.Prio3Count(), hex("00000000"));
    check(new VdafType.Prio3Sum(0x80), hex("00000001", "80"));                 // bits
    check(new VdafType.Prio3SumVec(12, 8, 14),
        hex("00000002", "0000000C", "08", "0000000E"));                        // length, bits, chunk
    check(new VdafType.Prio3Histogram(256, 18), hex("00000003", "00000100", "00000012"));
    check(new VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128(12, 8, 14, 2),
        hex("FFFF1003", "0000000C", "08", "0000000E", "02"));                  // + proofs
    check(new VdafType.Poplar1(0xABAB), hex("00001000", "ABAB"));              // bits
    assertThrows(DecodeException.class, () -> VdafType.decode(hex("00000004")));
  }

  private static void check(VdafType t, byte[] expected) throws DecodeException {
    roundTrip(t, expected, VdafType.decode(expected));
  }

  @Test
  void dpConfigs() throws DecodeException {
    roundTrip(DpConfig.NO_DP, hex("01"), DpConfig.decode(hex("01")));
    DpConfig unknown = new DpConfig(0xFF, hex("DEADBEEF"));                   // kept uninterpreted
    roundTrip(unknown, hex("FF", "DEADBEEF"), DpConfig.decode(hex("FF", "DEADBEEF")));
    assertThrows(DecodeException.class, () -> DpConfig.decode(hex("01", "00")));
    VdafConfig v = new VdafConfig(unknown, new VdafType.Prio3Sum(0x42));
    byte[] expected = hex("0005", "FF", "DEADBEEF", "00000001", "42");
    roundTrip(v, expected, VdafConfig.decode(expected));
  }

  @Test
  void queryConfigs() throws DecodeException {
    byte[] ti = hex("000000000000003C", "0040", "00000024", "01");
    roundTrip(QueryConfig.timeInterval(Duration.ofSeconds(60), 0x40, 0x24), ti,
        QueryConfig.decode(ti));
    byte[] fs = hex("FFFFFFFFFFFFFFF0", "FFFF", "FFFFFFFF", "02", "FFFFFFFF");
    assertThrows(DecodeException.class, () -> QueryConfig.decode(fs)); // precision > 2^63-1
    byte[] reserved = hex("000000000000003C", "0040", "00000024", "00");
    assertThrows(DecodeException.class, () -> QueryConfig.decode(reserved));
  }

  @Test
  void refusals() {
    byte[] emptyInfo = FIXED_SIZE_COUNT.clone();
    emptyInfo[0] = 0;
    assertThrows(DecodeException.class, () -> TaskConfig.decode(emptyInfo));
    byte[] trailing = java.util.Arrays.copyOf(FIXED_SIZE_COUNT, FIXED_SIZE_COUNT.length + 1);
    assertThrows(DecodeException.class, () -> TaskConfig.decode(trailing));
    byte[] badLength = FIXED_SIZE_COUNT.clone();
    badLength[1 + 6 + 2 + 20 + 2 + 28 + 1] = 0x14; // query_config length 0x14 > its 0x13 bytes
    assertThrows(DecodeException.class, () -> TaskConfig.decode(badLength));
    assertThrows(IllegalArgumentException.class, () -> new TaskConfig(new byte[0],
        "https://a/", "https://b/", QueryConfig.timeInterval(Duration.ofSeconds(1), 1, 1),
        Time.ofSeconds(1), new VdafConfig(DpConfig.NO_DP, new VdafType.Prio3Count())));
  }
}
