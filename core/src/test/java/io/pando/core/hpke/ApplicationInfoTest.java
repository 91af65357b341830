package io.pando.core.hpke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Role;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The HPKE info strings of DAP-09 §4.4.2 and §4.6.4, and of DAP-18 §4.4.2 and §4.6.7. */
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

  @Test
  void dap18InputShares() {
    // DAP-18 §4.4.2: "dap-18 input share" || 0x01 || server_role
    ApplicationInfo leader = ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER);
    assertEquals(DapVersion.DAP_18, leader.version());
    assertEquals(Role.CLIENT, leader.sender());
    assertEquals(Role.LEADER, leader.recipient());
    assertEquals("6461702d313820696e707574207368617265" // "dap-18 input share"
        + "01" // sender: client
        + "02", // server_role: leader
        HexFormat.of().formatHex(leader.bytes()));
    assertEquals("6461702d313820696e707574207368617265" + "01" + "03", // to the helper
        HexFormat.of().formatHex(
            ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER).bytes()));
  }

  @Test
  void dap18AggregateShares() {
    // DAP-18 §4.6.7: "dap-18 aggregate share" || server_role || 0x00
    ApplicationInfo helper = ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.HELPER);
    assertEquals(Role.HELPER, helper.sender());
    assertEquals(Role.COLLECTOR, helper.recipient());
    assertEquals("6461702d313820616767726567617465207368617265" // "dap-18 aggregate share"
        + "03" // server_role: helper
        + "00", // collector
        HexFormat.of().formatHex(helper.bytes()));
    assertArrayEquals(concat("dap-18 aggregate share", 0x02, 0x00),
        ApplicationInfo.aggregateShare(DapVersion.DAP_18, Role.LEADER).bytes());
    assertEquals("dap-18 aggregate share", ApplicationInfo.Label.AGGREGATE_SHARE.text(
        DapVersion.DAP_18));
  }

  @Test
  void theFactoriesWithoutVersionAreDap09s() {
    assertEquals(ApplicationInfo.inputShare(DapVersion.DAP_09, Role.LEADER),
        ApplicationInfo.inputShare(Role.LEADER));
    assertEquals(ApplicationInfo.aggregateShare(DapVersion.DAP_09, Role.HELPER),
        ApplicationInfo.aggregateShare(Role.HELPER));
    assertEquals(DapVersion.DAP_09,
        new ApplicationInfo(ApplicationInfo.Label.INPUT_SHARE, Role.CLIENT, Role.LEADER).version());
    assertNotEquals(ApplicationInfo.inputShare(DapVersion.DAP_18, Role.LEADER),
        ApplicationInfo.inputShare(Role.LEADER));
  }
}
