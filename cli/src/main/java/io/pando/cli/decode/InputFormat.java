package io.pando.cli.decode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/** How {@code pando dap-decode} reads its input: raw bytes, hex or base64 text. */
public enum InputFormat {
  RAW, HEX, BASE64;

  /**
   * The message bytes of the input.
   *
   * @throws IllegalArgumentException if text input is not valid hex or base64
   */
  public byte[] bytes(byte[] input) {
    return switch (this) {
      case RAW -> input;
      case HEX -> hex(text(input));
      case BASE64 -> base64(text(input));
    };
  }

  /** The input without whitespace. */
  private static String text(byte[] input) {
    return new String(input, StandardCharsets.US_ASCII).replaceAll("\\s+", "");
  }

  /** Hex digits in either case; colons between bytes and a leading 0x are allowed. */
  private static byte[] hex(String s) {
    String t = s.replace(":", "");
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
    }
    if (t.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits (" + t.length() + ")");
    }
    try {
      return HexFormat.of().parseHex(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex: " + e.getMessage());
    }
  }

  /** Standard or URL-safe base64, padded or not. */
  private static byte[] base64(String s) {
    String t = s.replace('-', '+').replace('_', '/');
    try {
      return Base64.getDecoder().decode(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not base64: " + e.getMessage());
    }
  }
}
