package io.pando.core.hpke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pando.dap.messages.Role;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The HPKE info strings of DAP-09 §4.4.2 and §4.6.4. */
class ApplicationInfoTest {
  private static byte[] concat(String label, int sender, int recipient) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    out.write(sender);
    out.write(recipient);
    return out.toByteArray();
  }

  @Test
  void inputShareToTheLeader() {
    ApplicationInfo info = ApplicationInfo.inputShare(Role.LEADER);
    assertEquals(Role.CLIENT, info.sender());
    assertEquals(Role.LEADER, info.recipient());
    assertArrayEquals(concat("dap-09 input share", 0x01, 0x02), info.bytes());
    assertEquals("6461702d303920696e7075742073686172650102",
        HexFormat.of().formatHex(info.bytes()));
  }

  @Test
  void inputShareToTheHelper() {
    ApplicationInfo info = ApplicationInfo.inputShare(Role.HELPER);
    assertArrayEquals(concat("dap-09 input share", 0x01, 0x03), info.bytes());
    assertEquals("6461702d303920696e7075742073686172650103",
        HexFormat.of().formatHex(info.bytes()));
  }

  @Test
  void aggregateShareFromTheHelper() {
    ApplicationInfo info = ApplicationInfo.aggregateShare(Role.HELPER);
    assertEquals(Role.HELPER, info.sender());
    assertEquals(Role.COLLECTOR, info.recipient());
    assertArrayEquals(concat("dap-09 aggregate share", 0x03, 0x00), info.bytes());
  }

  @Test
  void aggregateShareFromTheLeader() {
    assertArrayEquals(concat("dap-09 aggregate share", 0x02, 0x00),
        ApplicationInfo.aggregateShare(Role.LEADER).bytes());
  }

  @Test
  void labelsAreTheDraftText() {
    assertEquals("dap-09 input share", ApplicationInfo.Label.INPUT_SHARE.text());
    assertEquals("dap-09 aggregate share", ApplicationInfo.Label.AGGREGATE_SHARE.text());
    assertEquals(18 + 2, ApplicationInfo.inputShare(Role.LEADER).bytes().length);
    assertEquals(22 + 2, ApplicationInfo.aggregateShare(Role.LEADER).bytes().length);
  }
}
