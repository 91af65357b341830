package io.pando.vdaf.xof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** XofTurboShake128 (VDAF-08 §6.2.1). */
class XofTurboShake128Test {
  private static final Xof XOF = XofTurboShake128.INSTANCE;

  @Test
  void officialVector() throws Exception {
    Map<String, String> v = OfficialVectors.load("XofTurboShake128.json");
    byte[] seed = Hex.decode(v.get("seed"));
    byte[] dst = Hex.decode(v.get("dst"));
    byte[] binder = Hex.decode(v.get("binder"));
    int length = Integer.parseInt(v.get("length"));
    byte[] expanded = Hex.decode(v.get("expanded_vec_field128"));
    assertEquals(16, XOF.seedSize());
    assertEquals(length * 16, expanded.length);

    assertEquals(v.get("derived_seed"), Hex.encode(XOF.deriveSeed(seed, dst, binder)));
    OfficialVectors.assertNoField128Rejection(expanded);
    assertEquals(v.get("expanded_vec_field128"), Hex.encode(XOF.init(seed, dst, binder).next(640)));
  }

  @Test
  void messageLayout() {
    // TurboSHAKE128(byte(len(dst)) || dst || seed || binder, D = 1).
    byte[] seed = new byte[16];
    Arrays.fill(seed, (byte) 0xA5);
    byte[] dst = "dst".getBytes(StandardCharsets.US_ASCII);
    byte[] binder = "binder".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.write(dst.length);
    m.writeBytes(dst);
    m.writeBytes(seed);
    m.writeBytes(binder);
    assertArrayEquals(
        TurboShake128.hash(0x01, m.toByteArray(), 300), XOF.init(seed, dst, binder).next(300));
  }

  @Test
  void field64RejectionCase() {
    // From VDAF-08 poc/xof.py: expanding 140 Field64 elements from this seed (empty dst and
    // binder) needs a rejection, and the last element is 9734340616212735019.
    byte[] seed = Hex.decode("d195ec90c1bcf1f2cb2c7e74c5c5f6da");
    long p = 0xFFFFFFFF00000001L;
    Xof.Stream s = XOF.init(seed, new byte[0]);
    long last = 0;
    int rejected = 0;
    for (int have = 0; have < 140; ) {
      byte[] b = s.next(8);
      long x = 0;
      for (int i = 7; i >= 0; i--) {
        x = (x << 8) | (b[i] & 0xFF);
      }
      if (Long.compareUnsigned(x, p) < 0) {
        last = x;
        have++;
      } else {
        rejected++;
      }
    }
    assertTrue(rejected > 0);
    assertEquals("9734340616212735019", Long.toUnsignedString(last));
  }

  @Test
  void binderPartsAreConcatenated() {
    Random rnd = new Random(1);
    byte[] seed = new byte[16];
    byte[] dst = new byte[255];
    byte[] binder = new byte[500];
    rnd.nextBytes(seed);
    rnd.nextBytes(dst);
    rnd.nextBytes(binder);
    byte[] want = XOF.init(seed, dst, binder).next(200);
    byte[] a = Arrays.copyOfRange(binder, 0, 7);
    byte[] b = Arrays.copyOfRange(binder, 7, 300);
    byte[] c = Arrays.copyOfRange(binder, 300, 500);
    assertArrayEquals(want, XOF.init(seed, dst, a, new byte[0], b, c).next(200));
    assertArrayEquals(Arrays.copyOf(want, 16), XOF.deriveSeed(seed, dst, a, b, c));
  }

  @Test
  void rejectsBadArguments() {
    byte[] dst = new byte[3];
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[15], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[17], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[32], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.deriveSeed(new byte[0], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[16], new byte[256]));
  }
}
