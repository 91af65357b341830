package io.pando.core.hpke;

import io.pando.dap.messages.Role;
import java.nio.charset.StandardCharsets;

/**
 * The HPKE {@code info} string of DAP-09: a label, then the sender's and the recipient's roles.
 *
 * <ul>
 *   <li>input shares (§4.4.2): {@code "dap-09 input share" || 0x01 || server_role}
 *   <li>aggregate shares (§4.6.4): {@code "dap-09 aggregate share" || server_role || 0x00}
 * </ul>
 */
public record ApplicationInfo(Label label, Role sender, Role recipient) {
  /** The DAP-09 labels, and DAP-18's input share label. */
  public enum Label {
    INPUT_SHARE("dap-09 input share"),
    AGGREGATE_SHARE("dap-09 aggregate share"),
    /** draft-ietf-ppm-dap-18 §4.4.2 (the aggregator's DAP-18 upload; aggregator Dap18Info). */
    DAP18_INPUT_SHARE("dap-18 input share");

    private final String text;

    Label(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** The info for the input share a client encrypts to {@code aggregator}. */
  public static ApplicationInfo inputShare(Role aggregator) {
    return new ApplicationInfo(Label.INPUT_SHARE, Role.CLIENT, aggregator);
  }

  /** The info for the aggregate share {@code aggregator} encrypts to the collector. */
  public static ApplicationInfo aggregateShare(Role aggregator) {
    return new ApplicationInfo(Label.AGGREGATE_SHARE, aggregator, Role.COLLECTOR);
  }

  /** The encoded info string. */
  public byte[] bytes() {
    byte[] l = label.text.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[l.length + 2];
    System.arraycopy(l, 0, out, 0, l.length);
    out[l.length] = (byte) sender.code();
    out[l.length + 1] = (byte) recipient.code();
    return out;
  }
}
