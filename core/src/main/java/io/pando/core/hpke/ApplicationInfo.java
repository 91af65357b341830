package io.pando.core.hpke;

import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Role;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The HPKE {@code info} string of a DAP draft: the draft's tag and a label, then the sender's and
 * the recipient's roles. Both drafts lay it out alike and differ only in the tag:
 *
 * <ul>
 *   <li>input shares (DAP-09 §4.4.2, DAP-18 §4.4.2 and §4.5.3.3): {@code "<tag> input share" ||
 *       0x01 || server_role}
 *   <li>aggregate shares (DAP-09 §4.6.4, DAP-18 §4.6.7): {@code "<tag> aggregate share" ||
 *       server_role || 0x00}
 * </ul>
 *
 * where the tag is {@link DapVersion#tag()}: {@code dap-09} or {@code dap-18}. The factories
 * without a version give DAP-09's info.
 */
public record ApplicationInfo(DapVersion version, Label label, Role sender, Role recipient) {
  public ApplicationInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(recipient, "recipient");
  }

  /** DAP-09's info for {@code label}. */
  public ApplicationInfo(Label label, Role sender, Role recipient) {
    this(DapVersion.DAP_09, label, sender, recipient);
  }

  /** What the info string protects. */
  public enum Label {
    INPUT_SHARE("input share"),
    AGGREGATE_SHARE("aggregate share");

    private final String name;

    Label(String name) {
      this.name = name;
    }

    /** DAP-09's label text, e.g. {@code "dap-09 input share"}. */
    public String text() {
      return text(DapVersion.DAP_09);
    }

    /** The label text of {@code version}, e.g. {@code "dap-18 input share"}. */
    public String text(DapVersion version) {
      return version.tag() + " " + name;
    }
  }

  /** DAP-09's info for the input share a client encrypts to {@code aggregator}. */
  public static ApplicationInfo inputShare(Role aggregator) {
    return inputShare(DapVersion.DAP_09, aggregator);
  }

  /** The info for the input share a client encrypts to {@code aggregator} under {@code version}. */
  public static ApplicationInfo inputShare(DapVersion version, Role aggregator) {
    return new ApplicationInfo(version, Label.INPUT_SHARE, Role.CLIENT, aggregator);
  }

  /** DAP-09's info for the aggregate share {@code aggregator} encrypts to the collector. */
  public static ApplicationInfo aggregateShare(Role aggregator) {
    return aggregateShare(DapVersion.DAP_09, aggregator);
  }

  /** The info for the aggregate share {@code aggregator} encrypts under {@code version}. */
  public static ApplicationInfo aggregateShare(DapVersion version, Role aggregator) {
    return new ApplicationInfo(version, Label.AGGREGATE_SHARE, aggregator, Role.COLLECTOR);
  }

  /** The encoded info string. */
  public byte[] bytes() {
    byte[] l = label.text(version).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[l.length + 2];
    System.arraycopy(l, 0, out, 0, l.length);
    out[l.length] = (byte) sender.code();
    out[l.length + 1] = (byte) recipient.code();
    return out;
  }
}
