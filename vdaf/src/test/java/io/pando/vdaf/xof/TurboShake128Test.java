package io.pando.vdaf.xof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TurboSHAKE128 against the RFC 9861 §5 test vectors, and incremental use. */
class TurboShake128Test {
  /** ptn(n): the bytes 00 01 .. FA repeated, truncated to n bytes (RFC 9861 §5). */
  static byte[] ptn(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  private static String hash(int domain, byte[] msg, int outLen) {
    return Hex.encode(TurboShake128.hash(domain, msg, outLen));
  }

  @Test
  void emptyMessage() {
    String first = "1e415f1c5983aff2169217277d17bb538cd945a397ddec541f1ce41af2c1b74c";
    assertEquals(first, hash(0x1F, new byte[0], 32));
    assertEquals(
        first + "3e8ccae2a4dae56c84a04c2385c03c15e8193bdf58737363321691c05462c8df",
        hash(0x1F, new byte[0], 64));
  }

  @Test
  void last32Of10032Bytes() {
    byte[] out = TurboShake128.hash(0x1F, new byte[0], 10032);
    assertEquals(
        "a3b9b0385900ce761f22aed548e754da10a5242d62e8c658e3f3a923a7555607",
        Hex.encode(Arrays.copyOfRange(out, 10000, 10032)));
    // The same bytes read as a stream in odd-sized pieces.
    TurboShake128 ts = new TurboShake128(0x1F);
    byte[] streamed = new byte[10032];
    int off = 0;
    for (int step = 1; off < streamed.length; step = step * 3 % 257 + 1) {
      int n = Math.min(step, streamed.length - off);
      ts.next(streamed, off, n);
      off += n;
    }
    assertArrayEquals(out, streamed);
  }

  @ParameterizedTest(name = "ptn(17^{0})")
  @CsvSource({
    "0, 55cedd6f60af7bb29a4042ae832ef3f58db7299f893ebb9247247d856958daa9",
    "1, 9c97d036a3bac819db70ede0ca554ec6e4c2a1a4ffbfd9ec269ca6a111161233",
    "2, 96c77c279e0126f7fc07c9b07f5cdae1e0be60bdbe10620040e75d7223a624d2",
    "3, d4976eb56bcf118520582b709f73e1d6853e001fdaf80e1b13e0d0599d5fb372",
    "4, da67c7039e98bf530cf7a37830c6664e14cbab7f540f58403b1b82951318ee5c",
    "5, b97a906fbf83ef7c812517abf3b2d0aea0c4f60318ce11cf103925127f59eecd",
    "6, 35cd494adeded2f25239af09a7b8ef0c4d1ca4fe2d1ac370fa63216fe7b4c2b1",
  })
  void patternMessages(int k, String expected) {
    int n = 1;
    for (int i = 0; i < k; i++) {
      n *= 17;
    }
    // Absorb ptn(n) in 251 * 64-byte pieces (each piece is itself a run of whole patterns).
    byte[] piece = ptn(251 * 64);
    TurboShake128 ts = new TurboShake128(0x1F);
    for (int left = n; left > 0; left -= Math.min(left, piece.length)) {
      ts.update(piece, 0, Math.min(left, piece.length));
    }
    assertEquals(expected, Hex.encode(ts.next(32)));
  }

  @ParameterizedTest(name = "M={0}, D={1}")
  @CsvSource({
    "ffffff, 01, bf323f940494e88ee1c540fe660be8a0c93f43d15ec006998462fa994eed5dab",
    "ff, 06, 8ec9c66465ed0d4a6c35d13506718d687a25cb05c74cca1e42501abd83874a67",
    "ffffff, 07, b658576001cad9b1e5f399a9f77723bba05458042d68206f7252682dba3663ed",
    "ffffffffffffff, 0b, 8deeaa1aec47ccee569f659c21dfa8e112db3cee37b18178b2acd805b799cc37",
    "ff, 30, 553122e2135e363c3292bed2c6421fa232bab03daa07c7d6636603286506325b",
    "ffffff, 7f, 16274cc656d44cefd422395d0f9053bda6d28e122aba15c765e5ad0e6eaf26f9",
  })
  void domainBytes(String msg, String domain, String expected) {
    assertEquals(expected, hash(Integer.parseInt(domain, 16), Hex.decode(msg), 32));
  }

  @Test
  void incrementalMatchesOneShot() {
    Random rnd = new Random(0x7512);
    for (int trial = 0; trial < 300; trial++) {
      int msgLen = trial < 100 ? trial * 5 : rnd.nextInt(2000);
      byte[] msg = new byte[msgLen];
      rnd.nextBytes(msg);
      int outLen = rnd.nextInt(1200);
      int domain = 1 + rnd.nextInt(0x7F);
      byte[] want = TurboShake128.hash(domain, msg, outLen);

      TurboShake128 ts = new TurboShake128(domain);
      int off = 0;
      while (off < msgLen) {
        int n = rnd.nextInt(4) == 0 ? 0 : Math.min(msgLen - off, 1 + rnd.nextInt(200));
        if (n == 1 && rnd.nextBoolean()) {
          ts.update(msg[off]);
        } else {
          ts.update(msg, off, n);
        }
        off += n;
      }
      byte[] got = new byte[outLen + 16];
      off = 8;
      while (off < outLen + 8) {
        int n = Math.min(outLen + 8 - off, rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(400));
        ts.next(got, off, n);
        off += n;
      }
      assertArrayEquals(want, Arrays.copyOfRange(got, 8, outLen + 8), "trial " + trial);
    }
  }

  @Test
  void messageOfWholeBlocks() {
    // A message filling whole rate blocks is padded in a block of its own.
    byte[] msg = ptn(2 * TurboShake128.RATE);
    TurboShake128 ts = new TurboShake128(0x1F);
    ts.update(msg, 0, TurboShake128.RATE);
    ts.update(msg, TurboShake128.RATE, TurboShake128.RATE);
    assertArrayEquals(TurboShake128.hash(0x1F, msg, 50), ts.next(50));
  }

  @Test
  void rejectsBadDomainAndLateUpdate() {
    assertThrows(IllegalArgumentException.class, () -> new TurboShake128(0x00));
    assertThrows(IllegalArgumentException.class, () -> new TurboShake128(0x80));
    TurboShake128 ts = new TurboShake128(0x1F);
    ts.next(1);
    assertThrows(IllegalStateException.class, () -> ts.update(new byte[1]));
    assertThrows(IllegalStateException.class, () -> ts.update((byte) 0));
    assertThrows(IndexOutOfBoundsException.class, () -> ts.next(new byte[4], 2, 3));
  }
}
