package io.pando.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SecretBytesTest {
  private static final byte[] KEY =
      HexFormat.of().parseHex("603a076f2947d6318ccf914296aa10abf55e97672d4cd04ac545905f6be1e07c");

  @Test
  void toStringShowsOnlyTheLength() {
    SecretBytes secret = SecretBytes.copyOf(KEY);
    String shown = secret.toString();
    String hex = HexFormat.of().formatHex(KEY);
    assertFalse(shown.contains(hex), shown);
    assertFalse(shown.contains(hex.toUpperCase(Locale.ROOT)), shown);
    assertFalse(shown.contains(hex.substring(0, 8)), shown);
    assertFalse(shown.contains(Base64.getEncoder().encodeToString(KEY)), shown);
    assertFalse(shown.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(KEY)),
        shown);
    assertTrue(shown.contains("32"), shown);
    assertTrue(shown.contains("redacted"), shown);
  }

  @Test
  void copiesInAndOut() {
    byte[] in = KEY.clone();
    SecretBytes secret = SecretBytes.copyOf(in);
    in[0] ^= 1;
    assertArrayEquals(KEY, secret.reveal());
    byte[] out = secret.reveal();
    out[0] ^= 1;
    assertArrayEquals(KEY, secret.reveal());
    assertEquals(32, secret.length());
  }

  @Test
  void comparesByContentOnlyThroughEqualsSecret() {
    SecretBytes a = SecretBytes.copyOf(KEY);
    SecretBytes b = SecretBytes.copyOf(KEY);
    byte[] other = KEY.clone();
    other[31] ^= 1;
    assertTrue(a.equalsSecret(b));
    assertFalse(a.equalsSecret(SecretBytes.copyOf(other)));
    assertFalse(a.equalsSecret(SecretBytes.copyOf(new byte[16])));
    assertNotEquals(a, b);
    assertEquals(a, a);
  }

  @Test
  void destroyZeroes() {
    SecretBytes secret = SecretBytes.copyOf(KEY);
    secret.destroy();
    assertArrayEquals(new byte[32], secret.reveal());
  }
}
