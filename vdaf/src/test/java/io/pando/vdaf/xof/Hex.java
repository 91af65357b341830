package io.pando.vdaf.xof;

/** Hex helpers for the XOF tests. */
final class Hex {
  private Hex() {}

  static byte[] decode(String hex) {
    String h = hex.replaceAll("\\s", "");
    if (h.length() % 2 != 0) {
      throw new IllegalArgumentException("odd-length hex");
    }
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static String encode(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >>> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }
}
