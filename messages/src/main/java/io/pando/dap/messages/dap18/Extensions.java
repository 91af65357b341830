package io.pando.dap.messages.dap18;

import io.pando.dap.messages.Extension;
import io.pando.dap.messages.Wire;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The ordering rule of DAP-18 report extensions (§4.4.3, §4.5.3.4): each list is encoded in
 * strictly increasing order of {@code extension_type}. Report extensions reuse DAP-09's {@link
 * Extension}, whose encoding is unchanged.
 */
public final class Extensions {
  private Extensions() {}

  /**
   * The list sorted by type.
   *
   * @throws IllegalArgumentException if a type appears twice
   */
  public static List<Extension> sorted(List<Extension> extensions) {
    List<Extension> out = new ArrayList<>(extensions);
    out.sort(Comparator.comparingInt(x -> x.extensionType().code()));
    if (!strictlyIncreasing(out)) {
      throw new IllegalArgumentException("an extension type appears more than once");
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether the list's types are strictly increasing. */
  public static boolean strictlyIncreasing(List<Extension> extensions) {
    return Wire.strictlyIncreasing(extensions, x -> x.extensionType().code());
  }
}
