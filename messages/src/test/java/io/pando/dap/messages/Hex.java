package io.pando.dap.messages;

import java.util.HexFormat;

/** Hex fixtures: one string per field, concatenated. */
public final class Hex {
  private Hex() {}

  /** Joins the parts of a fixture; each part is one field, with its comment beside it. */
  public static String hex(String... parts) {
    return String.join("", parts);
  }

  public static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
