package io.pando.vdaf.xof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** XofFixedKeyAes128 (VDAF-08 §6.2.2). */
class XofFixedKeyAes128Test {
  private static final XofFixedKeyAes128 XOF = XofFixedKeyAes128.INSTANCE;

  /** Block by block, as the draft's pseudocode: a reference written independently of the class. */
  private static byte[] reference(byte[] seed, byte[] dst, byte[] binder, int length)
      throws Exception {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.write(dst.length);
    m.writeBytes(dst);
    m.writeBytes(binder);
    byte[] key = TurboShake128.hash(2, m.toByteArray(), 16);
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] out = new byte[(length + 15) / 16 * 16];
    for (int i = 0; i * 16 < length; i++) {
      byte[] b = seed.clone();
      for (int j = 0; j < 4; j++) {
        b[j] ^= (byte) (i >>> (8 * j));
      }
      byte[] sigma = new byte[16];
      for (int j = 0; j < 8; j++) {
        sigma[j] = b[8 + j];
        sigma[8 + j] = (byte) (b[8 + j] ^ b[j]);
      }
      byte[] enc = aes.doFinal(sigma);
      for (int j = 0; j < 16; j++) {
        out[16 * i + j] = (byte) (enc[j] ^ sigma[j]);
      }
    }
    return Arrays.copyOf(out, length);
  }

  @Test
  void officialVector() throws Exception {
    Map<String, String> v = OfficialVectors.load("XofFixedKeyAes128.json");
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
    assertArrayEquals(expanded, reference(seed, dst, binder, 640));
  }

  @Test
  void matchesReferenceWithRandomReads() throws Exception {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 100; trial++) {
      byte[] seed = new byte[16];
      byte[] dst = new byte[rnd.nextInt(40)];
      byte[] binder = new byte[rnd.nextInt(300)];
      rnd.nextBytes(seed);
      rnd.nextBytes(dst);
      rnd.nextBytes(binder);
      int length = rnd.nextInt(3000);
      byte[] want = reference(seed, dst, binder, length);

      Xof.Stream s = XOF.init(seed, dst, binder);
      byte[] got = new byte[length];
      for (int off = 0; off < length; ) {
        int n = Math.min(length - off, rnd.nextInt(3) == 0 ? rnd.nextInt(40) : rnd.nextInt(1500));
        s.next(got, off, n);
        off += n;
      }
      assertArrayEquals(want, got, "trial " + trial);
    }
  }

  @Test
  void fixedKeyIsReusable() {
    byte[] dst = {1, 2, 3};
    byte[] binder = "some nonce".getBytes(StandardCharsets.US_ASCII);
    XofFixedKeyAes128.FixedKey key = XOF.fixedKey(dst, binder);
    Random rnd = new Random(7);
    byte[] seed1 = new byte[16];
    byte[] seed2 = new byte[16];
    rnd.nextBytes(seed1);
    rnd.nextBytes(seed2);
    Xof.Stream a = key.stream(seed1);
    Xof.Stream b = key.stream(seed2);
    byte[] a1 = a.next(20);
    byte[] b1 = b.next(50);
    byte[] a2 = a.next(30);
    byte[] wantA = XOF.init(seed1, dst, binder).next(50);
    assertArrayEquals(Arrays.copyOf(wantA, 20), a1);
    assertArrayEquals(Arrays.copyOfRange(wantA, 20, 50), a2);
    assertArrayEquals(XOF.init(seed2, dst, binder).next(50), b1);
    // Binder parts are concatenated.
    assertArrayEquals(
        XOF.init(seed1, dst, binder).next(40),
        XOF.init(seed1, dst, Arrays.copyOf(binder, 4), Arrays.copyOfRange(binder, 4, 10)).next(40));
  }

  @Test
  void rejectsBadArguments() {
    byte[] dst = new byte[3];
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[15], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[32], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.fixedKey(dst).stream(new byte[17]));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[16], new byte[256]));
  }
}
