package io.pando.aggregator.hpke;

import io.pando.core.hpke.ApplicationInfo;
import io.pando.dap.messages.Role;

/**
 * The HPKE {@code info} strings of DAP-18 the aggregator uses, in one place:
 * {@code "dap-18 input share" || 0x01 || server_role} (draft-ietf-ppm-dap-18 §4.4.2, §4.5.2.3).
 */
public final class Dap18Info {
  private Dap18Info() {}

  /** The info of the input share a client seals to {@code aggregator}. */
  public static ApplicationInfo inputShare(Role aggregator) {
    return new ApplicationInfo(ApplicationInfo.Label.DAP18_INPUT_SHARE, Role.CLIENT, aggregator);
  }
}
