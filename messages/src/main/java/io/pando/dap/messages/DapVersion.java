package io.pando.dap.messages;

import io.pando.vdaf.VdafVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Which draft of draft-ietf-ppm-dap a task speaks. The version is a value that flows through the
 * code (codecs, media types, HPKE info strings, the VDAF application context, routes), so one
 * deployment serves tasks of both drafts at once.
 *
 * <ul>
 *   <li>{@link #DAP_09}: draft-ietf-ppm-dap-09 with VDAF-08, served at the root paths
 *       ({@code {aggregator}/hpke_config}, {@code {leader}/tasks/...}).
 *   <li>{@link #DAP_18}: draft-ietf-ppm-dap-18 with VDAF-19 (wire-identical to VDAF-20, VERSION
 *       18), served under the path prefix {@code /dap-18}: a DAP-18 task's aggregator URL is
 *       {@code https://host/dap-18/}, and DAP-18 §3's resource URLs hang off it.
 * </ul>
 */
public enum DapVersion {
  DAP_09("dap-09", VdafVersion.DRAFT_08, ""),
  DAP_18("dap-18", VdafVersion.DRAFT_20, "/dap-18");

  private final String tag;
  private final VdafVersion vdafVersion;
  private final String pathPrefix;

  DapVersion(String tag, VdafVersion vdafVersion, String pathPrefix) {
    this.tag = tag;
    this.vdafVersion = vdafVersion;
    this.pathPrefix = pathPrefix;
  }

  /** The draft's version tag, e.g. "dap-18": the prefix of its HPKE info strings. */
  public String tag() {
    return tag;
  }

  /** The VDAF draft the DAP draft uses. */
  public VdafVersion vdafVersion() {
    return vdafVersion;
  }

  /** Where this deployment serves the draft's resources: "" or "/dap-18". */
  public String pathPrefix() {
    return pathPrefix;
  }

  /**
   * The VDAF application context string: empty for DAP-09 (VDAF-08 has none); {@code "dap-18" ||
   * task_id} for DAP-18 (draft-18 §4.4.2 and §4.5.3.1).
   */
  public byte[] vdafContext(TaskId taskId) {
    if (this == DAP_09) {
      return new byte[0];
    }
    byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
    byte[] id = taskId.bytes();
    byte[] out = new byte[t.length + id.length];
    System.arraycopy(t, 0, out, 0, t.length);
    System.arraycopy(id, 0, out, t.length, id.length);
    return out;
  }

  /** The version for a tag ("dap-09", "dap-18"; case-insensitive), if known. */
  public static Optional<DapVersion> ofTag(String tag) {
    String t = tag.toLowerCase(Locale.ROOT);
    for (DapVersion v : values()) {
      if (v.tag.equals(t)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
