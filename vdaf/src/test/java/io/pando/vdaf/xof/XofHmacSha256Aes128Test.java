package io.pando.vdaf.xof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** XofHmacSha256Aes128 (libprio-rs src/vdaf/xof.rs). */
class XofHmacSha256Aes128Test {
  private static final Xof XOF = XofHmacSha256Aes128.INSTANCE;

  /** HMAC-SHA256 from its definition (RFC 2104) over SHA-256. */
  private static byte[] hmacSha256(byte[] key, byte[] message) throws Exception {
    byte[] k = Arrays.copyOf(key, 64); // keys of at most 64 bytes are zero-padded
    byte[] inner = new byte[64];
    byte[] outer = new byte[64];
    for (int i = 0; i < 64; i++) {
      inner[i] = (byte) (k[i] ^ 0x36);
      outer[i] = (byte) (k[i] ^ 0x5c);
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(inner);
    byte[] h = sha.digest(message);
    sha.update(outer);
    return sha.digest(h);
  }

  /** AES-128 in CTR mode with a wrapping 64-bit big-endian counter, block by block with ECB. */
  private static byte[] ctr64Keystream(byte[] key, byte[] iv, int length) throws Exception {
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    long counter = 0;
    for (int i = 8; i < 16; i++) {
      counter = (counter << 8) | (iv[i] & 0xFF);
    }
    byte[] out = new byte[(length + 15) / 16 * 16];
    for (int b = 0; b * 16 < length; b++, counter++) {
      byte[] block = Arrays.copyOf(iv, 16);
      for (int i = 0; i < 8; i++) {
        block[15 - i] = (byte) (counter >>> (8 * i));
      }
      System.arraycopy(aes.doFinal(block), 0, out, 16 * b, 16);
    }
    return Arrays.copyOf(out, length);
  }

  private static byte[] reference(byte[] seed, byte[] dst, byte[] binder, int length)
      throws Exception {
    byte[] msg = new byte[1 + dst.length + binder.length];
    msg[0] = (byte) dst.length;
    System.arraycopy(dst, 0, msg, 1, dst.length);
    System.arraycopy(binder, 0, msg, 1 + dst.length, binder.length);
    byte[] tag = hmacSha256(seed, msg);
    return ctr64Keystream(
        Arrays.copyOfRange(tag, 0, 16), Arrays.copyOfRange(tag, 16, 32), length);
  }

  @Test
  void libprioVector() throws Exception {
    // libprio-rs src/vdaf/test_vec/XofHmacSha256Aes128.json (the same from v0.16.0 on).
    byte[] seed = Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] dst = "domain separation tag".getBytes(StandardCharsets.US_ASCII);
    byte[] binder = "binder string".getBytes(StandardCharsets.US_ASCII);
    String expanded =
        "e826c9564c620fb63357fbee88dc9bb3de2c41764adb44bea344024e1da124c6172f208e79762fed92c73cea"
            + "422b312860008ee80e30f31d2d87840890604f39db37983f5c3483407333cecdb1b9ea550c26bc4f2d99"
            + "9fda91963054c6cb35a8ad8d28ee74a48e28aa475d67124e7c4417149955e506690d62e17f0730b7d4db"
            + "8a9754f80603b7720205819d26bcfe4a4663d05c98c12705ea7dc333d5746d9c8ba697bb3d5be95d26cc"
            + "b73052cb8fb19edfc35eaebaa22779436d3015512c9b536003d98b04a0f46feddbff762007c377c28a04"
            + "039f72657650885bd40ed37acea63facd3c33d1ecb5048641053af5b4018b0c373d9ed7440da9fc6c766"
            + "66c2eb8ed2943a64bbf6dae93ac91fcc26d7225c2ae42349161522fcce0b92d209411af8566b0adbaa36"
            + "a8479737017efd2c359ea43924cdf432650dcd742e358af55ff6c321d0ebaae2abf5812d58b060cc1473"
            + "95e8137f99db58d2c425f2704da067df3a41c0443918375c177fa53545d8190d828c6045bbe5930e4762"
            + "588ea14dc0a9db6cd903216ccae968ca0b11f0ac04e4dfc69a99986841dc99c851e314c7d4b10f4ef72e"
            + "1244b543465fed076a7e9f50baca4ad7dccc73bfc55310f2ae6eaeaf7ee7a4d41fec76bff3b04e67d1f8"
            + "3e4da59f1fcb45877adfc3e4a2b1d5e3f136131ca2a02f34bdba1c5d2dafb2178674dc002d247662497b"
            + "7f5818880cff308e5222e6df0bcdf6f68ebfaa8d0551530fa00ec29646441961e33b50872ada911591e1"
            + "6e3021baa5e7869756d3d812a63e3c7fa2c0ec2dc4cabe11c0256829b360ad9431536ab96efbe5a364cd"
            + "1c323de8fbe405a2c87b9c58e5740bfb118af0ca1a23afb4a04e9cec3b9d1e57834cbc0fa17d5d7285f1"
            + "f013df05e92a7343";
    assertEquals(32, XOF.seedSize());
    assertEquals(640 * 2, expanded.length());
    assertEquals(
        "e826c9564c620fb63357fbee88dc9bb3de2c41764adb44bea344024e1da124c6",
        Hex.encode(XOF.deriveSeed(seed, dst, binder)));
    OfficialVectors.assertNoField128Rejection(Hex.decode(expanded));
    assertEquals(expanded, Hex.encode(XOF.init(seed, dst, binder).next(640)));
    assertEquals(expanded, Hex.encode(reference(seed, dst, binder, 640)));
  }

  @Test
  void matchesReferenceWithRandomReads() throws Exception {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 100; trial++) {
      byte[] seed = new byte[32];
      byte[] dst = new byte[rnd.nextInt(256)];
      byte[] binder = new byte[rnd.nextInt(300)];
      rnd.nextBytes(seed);
      rnd.nextBytes(dst);
      rnd.nextBytes(binder);
      int length = rnd.nextInt(10000);
      byte[] want = reference(seed, dst, binder, length);
      int cut = binder.length == 0 ? 0 : rnd.nextInt(binder.length);
      Xof.Stream s =
          XOF.init(
              seed, dst, Arrays.copyOf(binder, cut), Arrays.copyOfRange(binder, cut, binder.length));
      byte[] got = new byte[length];
      for (int off = 0; off < length; ) {
        int n = Math.min(length - off, rnd.nextInt(3) == 0 ? rnd.nextInt(40) : rnd.nextInt(6000));
        s.next(got, off, n);
        off += n;
      }
      assertArrayEquals(want, got, "trial " + trial);
    }
  }

  @Test
  void counterWrapsWithoutCarry() throws Exception {
    byte[] key = Hex.decode("2b7e151628aed2a6abf7158809cf4f3c");
    Random rnd = new Random(11);
    for (long low : new long[] {-1L, -2L, -3L, -5L, -64L, 0L, 1L}) {
      byte[] iv = new byte[16];
      rnd.nextBytes(iv);
      for (int i = 0; i < 8; i++) {
        iv[15 - i] = (byte) (low >>> (8 * i));
      }
      byte[] want = ctr64Keystream(key, iv, 2000);
      // Whole-stream read, byte-by-byte reads, and reads ending exactly on the wrap point.
      assertArrayEquals(want, new XofHmacSha256Aes128.Ctr64Stream(key, iv).next(2000));
      Xof.Stream bytewise = new XofHmacSha256Aes128.Ctr64Stream(key, iv);
      byte[] got = new byte[2000];
      for (int i = 0; i < 2000; i++) {
        bytewise.next(got, i, 1);
      }
      assertArrayEquals(want, got);
      if (low < 0 && low >= -64) {
        Xof.Stream aligned = new XofHmacSha256Aes128.Ctr64Stream(key, iv);
        int wrapAt = (int) (-low * 16);
        aligned.next(got, 0, wrapAt);
        aligned.next(got, wrapAt, 0);
        aligned.next(got, wrapAt, 2000 - wrapAt);
        assertArrayEquals(want, got);
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    byte[] dst = new byte[3];
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[16], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[31], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[33], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.deriveSeed(new byte[0], dst));
    assertThrows(IllegalArgumentException.class, () -> XOF.init(new byte[32], new byte[256]));
  }
}
