package io.pando.vdaf.idpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.codec.DecodeException;
import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field255;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.testvec.VectorFile;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IdpfBBCGGI21 of draft-20 §8.3. */
class IdpfBBCGGI21Test {
  private static final Random RNG = new Random(20_83);
  private static final byte[] CTX = "some application".getBytes(StandardCharsets.US_ASCII);

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RNG.nextBytes(b);
    return b;
  }

  private static long[] vec(Field f, List<BigInteger> values) {
    long[] v = f.alloc(values.size());
    for (int i = 0; i < values.size(); i++) {
      f.set(v, i, values.get(i));
    }
    return v;
  }

  private static List<BigInteger> randomValue(Field f, int len) {
    List<BigInteger> v = new ArrayList<>();
    for (int i = 0; i < len; i++) {
      v.add(new BigInteger(f.modulus().bitLength() + 8, RNG).mod(f.modulus()));
    }
    return v;
  }

  private static List<BigInteger> allPrefixes(int level) {
    List<BigInteger> all = new ArrayList<>();
    for (int p = 0; p < 1 << (level + 1); p++) {
      all.add(BigInteger.valueOf(p));
    }
    return all;
  }

  /** The sum of both aggregators' shares, per prefix, as integers. */
  private static List<List<BigInteger>> combined(IdpfBBCGGI21 idpf, IdpfBBCGGI21.Keys keys,
      IdpfPoplar.PublicShare publicShare, int level, List<BigInteger> prefixes, byte[] ctx,
      byte[] nonce) {
    Field f = idpf.currentField(level);
    long[] y0 = idpf.eval(0, publicShare, keys.key(0), level, prefixes, ctx, nonce);
    long[] y1 = idpf.eval(1, publicShare, keys.key(1), level, prefixes, ctx, nonce);
    int vl = idpf.valueLen();
    assertEquals(prefixes.size() * vl, f.length(y0));
    assertEquals(prefixes.size() * vl, f.length(y1));
    long[] sum = f.alloc(prefixes.size() * vl);
    f.addVec(y0, y1, sum, prefixes.size() * vl);
    List<List<BigInteger>> out = new ArrayList<>();
    for (int i = 0; i < prefixes.size(); i++) {
      List<BigInteger> value = new ArrayList<>();
      for (int k = 0; k < vl; k++) {
        value.add(f.toBigInteger(sum, i * vl + k));
      }
      out.add(value);
    }
    return out;
  }

  /** Asserts that the shares sum to beta[level] at alpha's prefix and to zero elsewhere. */
  private static void assertPointFunction(IdpfBBCGGI21 idpf, IdpfBBCGGI21.Keys keys,
      BigInteger alpha, List<List<BigInteger>> beta, int level, List<BigInteger> prefixes,
      byte[] ctx, byte[] nonce) {
    List<List<BigInteger>> got =
        combined(idpf, keys, keys.publicShare(), level, prefixes, ctx, nonce);
    BigInteger onPath = alpha.shiftRight(idpf.bits() - 1 - level);
    List<BigInteger> zero = Collections.nCopies(idpf.valueLen(), BigInteger.ZERO);
    for (int i = 0; i < prefixes.size(); i++) {
      List<BigInteger> want = prefixes.get(i).equals(onPath) ? beta.get(level) : zero;
      assertEquals(want, got.get(i), "level " + level + " prefix " + prefixes.get(i));
    }
  }

  private static IdpfBBCGGI21.Keys genRandom(IdpfBBCGGI21 idpf, BigInteger alpha,
      List<List<BigInteger>> beta, byte[] ctx, byte[] nonce) {
    int bits = idpf.bits();
    long[][] betaInner = new long[bits - 1][];
    for (int level = 0; level < bits - 1; level++) {
      beta.add(randomValue(Field64.INSTANCE, idpf.valueLen()));
      betaInner[level] = vec(Field64.INSTANCE, beta.get(level));
    }
    beta.add(randomValue(Field255.INSTANCE, idpf.valueLen()));
    long[] betaLeaf = vec(Field255.INSTANCE, beta.get(bits - 1));
    return idpf.gen(alpha, betaInner, betaLeaf, ctx, nonce, bytes(IdpfBBCGGI21.RAND_SIZE));
  }

  @Test
  void officialVectorPublicShareAndEveryPrefixOfEveryLevel() throws Exception {
    Map<String, Object> v = VectorFile.load20("IdpfBBCGGI21_0.json");
    int bits = VectorFile.integer(v.get("bits")).intValueExact();
    IdpfBBCGGI21 idpf = new IdpfBBCGGI21(bits, 2);
    List<Boolean> alphaBits =
        VectorFile.list(v.get("alpha")).stream().map(b -> (Boolean) b).toList();
    assertEquals(bits, alphaBits.size());
    BigInteger alpha = IdpfBBCGGI21.index(alphaBits);
    List<List<BigInteger>> beta = new ArrayList<>();
    long[][] betaInner = new long[bits - 1][];
    List<Object> inner = VectorFile.list(v.get("beta_inner"));
    assertEquals(bits - 1, inner.size());
    for (int level = 0; level < bits - 1; level++) {
      List<BigInteger> b =
          VectorFile.list(inner.get(level)).stream().map(VectorFile::integer).toList();
      beta.add(b);
      betaInner[level] = vec(Field64.INSTANCE, b);
    }
    List<BigInteger> leaf =
        VectorFile.list(v.get("beta_leaf")).stream().map(VectorFile::integer).toList();
    beta.add(leaf);
    long[] betaLeaf = vec(Field255.INSTANCE, leaf);
    byte[] ctx = VectorFile.hex(v.get("ctx"));
    assertArrayEquals(CTX, ctx);
    byte[] nonce = VectorFile.hex(v.get("nonce"));
    List<Object> keys = VectorFile.list(v.get("keys"));
    byte[] rand = new byte[IdpfBBCGGI21.RAND_SIZE];
    System.arraycopy(VectorFile.hex(keys.get(0)), 0, rand, 0, 16);
    System.arraycopy(VectorFile.hex(keys.get(1)), 0, rand, 16, 16);

    IdpfBBCGGI21.Keys gen = idpf.gen(alpha, betaInner, betaLeaf, ctx, nonce, rand);
    byte[] want = VectorFile.hex(v.get("public_share"));
    assertEquals(idpf.publicShareLength(), want.length);
    assertEquals(HexFormat.of().formatHex(want),
        HexFormat.of().formatHex(idpf.encodePublicShare(gen.publicShare())));
    assertArrayEquals(VectorFile.hex(keys.get(0)), gen.key(0));
    assertArrayEquals(VectorFile.hex(keys.get(1)), gen.key(1));
    IdpfPoplar.PublicShare decoded = idpf.decodePublicShare(want);
    assertEquals(gen.publicShare(), decoded);

    for (int level = 0; level < bits; level++) {
      List<BigInteger> all = allPrefixes(level);
      assertPointFunction(idpf, gen, alpha, beta, level, all, ctx, nonce);
      // The decoded public share gives the same shares.
      assertEquals(combined(idpf, gen, gen.publicShare(), level, all, ctx, nonce),
          combined(idpf, gen, decoded, level, all, ctx, nonce));
    }
  }

  @Test
  void indexIsMostSignificantBitFirst() {
    assertEquals(BigInteger.valueOf(0b1101), IdpfBBCGGI21.index(List.of(true, true, false, true)));
    assertEquals(BigInteger.ONE, IdpfBBCGGI21.index(List.of(false, false, true)));
    assertEquals(BigInteger.ZERO, IdpfBBCGGI21.index(List.of()));
  }

  @Test
  void randomPointsAtEveryLevelInAnyPrefixOrder() {
    for (int bits : new int[] {1, 2, 3, 8, 64, 65, 130}) {
      for (int trial = 0; trial < 3; trial++) {
        IdpfBBCGGI21 idpf = new IdpfBBCGGI21(bits, 2);
        BigInteger alpha = new BigInteger(bits, RNG);
        if (trial == 1) {
          alpha = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        } else if (trial == 2) {
          alpha = BigInteger.ZERO;
        }
        byte[] ctx = trial == 0 ? new byte[0] : bytes(trial * 20);
        byte[] nonce = bytes(16);
        List<List<BigInteger>> beta = new ArrayList<>();
        IdpfBBCGGI21.Keys keys = genRandom(idpf, alpha, beta, ctx, nonce);
        for (int level = 0; level < bits; level++) {
          Set<BigInteger> prefixes = new LinkedHashSet<>();
          BigInteger onPath = alpha.shiftRight(bits - 1 - level);
          prefixes.add(onPath);
          prefixes.add(onPath.flipBit(0)); // the sibling
          if (level > 0) {
            prefixes.add(onPath.flipBit(level)); // differs at the first level
          }
          for (int i = 0; i < 5; i++) {
            prefixes.add(new BigInteger(level + 1, RNG));
          }
          List<BigInteger> shuffled = new ArrayList<>(prefixes);
          Collections.shuffle(shuffled, RNG);
          assertPointFunction(idpf, keys, alpha, beta, level, shuffled, ctx, nonce);
          List<BigInteger> sorted = new ArrayList<>(prefixes);
          Collections.sort(sorted);
          assertPointFunction(idpf, keys, alpha, beta, level, sorted, ctx, nonce);
        }
      }
    }
  }

  @Test
  void otherValueLengths() {
    for (int valueLen : new int[] {1, 3}) {
      IdpfBBCGGI21 idpf = new IdpfBBCGGI21(5, valueLen);
      BigInteger alpha = BigInteger.valueOf(0b10110);
      byte[] nonce = bytes(16);
      List<List<BigInteger>> beta = new ArrayList<>();
      IdpfBBCGGI21.Keys keys = genRandom(idpf, alpha, beta, CTX, nonce);
      int ctrlLen = 2;
      assertEquals(ctrlLen + 16 * 5 + 8 * 4 * valueLen + 32 * valueLen,
          idpf.encodePublicShare(keys.publicShare()).length);
      for (int level = 0; level < 5; level++) {
        assertPointFunction(idpf, keys, alpha, beta, level, allPrefixes(level), CTX, nonce);
      }
    }
  }

  @Test
  void theContextAndTheNonceKeyTheXofAtEveryLevel() {
    IdpfBBCGGI21 idpf = new IdpfBBCGGI21(4, 2);
    byte[] nonce = bytes(16);
    byte[] rand = bytes(32);
    long[][] betaInner = new long[3][];
    for (int i = 0; i < 3; i++) {
      betaInner[i] = vec(Field64.INSTANCE, List.of(BigInteger.ONE, BigInteger.TEN));
    }
    long[] betaLeaf = vec(Field255.INSTANCE, List.of(BigInteger.ONE, BigInteger.TWO));
    BigInteger alpha = BigInteger.valueOf(9);
    IdpfBBCGGI21.Keys a = idpf.gen(alpha, betaInner, betaLeaf, CTX, nonce, rand);
    IdpfBBCGGI21.Keys otherCtx = idpf.gen(alpha, betaInner, betaLeaf, bytes(16), nonce, rand);
    IdpfBBCGGI21.Keys otherNonce = idpf.gen(alpha, betaInner, betaLeaf, CTX, bytes(16), rand);
    assertNotEquals(a.publicShare(), otherCtx.publicShare());
    assertNotEquals(a.publicShare(), otherNonce.publicShare());
    assertEquals(a.publicShare(), idpf.gen(alpha, betaInner, betaLeaf, CTX, nonce.clone(),
        rand.clone()).publicShare());

    // Evaluating under another ctx or nonce than the keys were made with breaks the sums, at an
    // inner level (fixed-key AES) and at the leaf (TurboSHAKE128).
    for (int level : new int[] {0, 3}) {
      List<BigInteger> prefix = List.of(alpha.shiftRight(3 - level));
      List<List<BigInteger>> right = combined(idpf, a, a.publicShare(), level, prefix, CTX, nonce);
      assertEquals(level == 3 ? List.of(List.of(BigInteger.ONE, BigInteger.TWO))
          : List.of(List.of(BigInteger.ONE, BigInteger.TEN)), right);
      assertNotEquals(right,
          combined(idpf, a, a.publicShare(), level, prefix, "some applicatioN".getBytes(), nonce));
      assertNotEquals(right,
          combined(idpf, a, a.publicShare(), level, prefix, CTX, new byte[16]));
    }
  }

  @Test
  void publicShareDecodingIsStrict() throws DecodeException {
    for (int bits : new int[] {1, 3, 4, 10}) {
      IdpfBBCGGI21 idpf = new IdpfBBCGGI21(bits, 2);
      IdpfBBCGGI21.Keys keys =
          genRandom(idpf, new BigInteger(bits, RNG), new ArrayList<>(), CTX, bytes(16));
      byte[] enc = idpf.encodePublicShare(keys.publicShare());
      int ctrlLen = (2 * bits + 7) / 8;
      assertEquals(ctrlLen + 16 * bits + 16 * (bits - 1) + 64, enc.length);
      assertEquals(idpf.publicShareLength(), enc.length);
      assertEquals(keys.publicShare(), idpf.decodePublicShare(enc));
      assertArrayEquals(enc, idpf.encodePublicShare(idpf.decodePublicShare(enc)));

      for (int len = 0; len < enc.length; len++) {
        byte[] cut = Arrays.copyOf(enc, len);
        assertThrows(DecodeException.class, () -> idpf.decodePublicShare(cut), "length " + len);
      }
      for (int extra = 1; extra <= 33; extra++) {
        byte[] longer = Arrays.copyOf(enc, enc.length + extra);
        assertThrows(DecodeException.class, () -> idpf.decodePublicShare(longer));
      }
      assertThrows(DecodeException.class, () -> idpf.decodePublicShare(null));

      // Every padding bit after the 2 * BITS control bits must be zero.
      int used = 2 * bits - 8 * (ctrlLen - 1);
      for (int bit = used; bit < 8; bit++) {
        byte[] padded = enc.clone();
        padded[ctrlLen - 1] |= (byte) (1 << bit);
        assertThrows(DecodeException.class, () -> idpf.decodePublicShare(padded), "bit " + bit);
      }
      // Flipping a control bit or a seed bit decodes to another public share, which re-encodes
      // to itself.
      for (int at : new int[] {0, ctrlLen, ctrlLen + 16 * bits - 1}) {
        byte[] flipped = enc.clone();
        flipped[at] ^= 1;
        assertNotEquals(keys.publicShare(), idpf.decodePublicShare(flipped));
        assertArrayEquals(flipped, idpf.encodePublicShare(idpf.decodePublicShare(flipped)));
      }

      // Field elements at or above the modulus: the first inner payload, which follows all the
      // seeds, and the leaf payload's elements.
      int payloads = ctrlLen + 16 * bits;
      if (bits > 1) {
        byte[] big = enc.clone();
        Arrays.fill(big, payloads, payloads + 8, (byte) 0xff);
        assertThrows(DecodeException.class, () -> idpf.decodePublicShare(big));
        byte[] innerIsP = enc.clone();
        System.arraycopy(HexFormat.of().parseHex("01000000ffffffff"), 0, innerIsP,
            payloads + 8 * 2 * (bits - 1) - 8, 8);
        assertThrows(DecodeException.class, () -> idpf.decodePublicShare(innerIsP));
      }
      byte[] bigLeaf = enc.clone();
      Arrays.fill(bigLeaf, enc.length - 32, enc.length, (byte) 0xff);
      assertThrows(DecodeException.class, () -> idpf.decodePublicShare(bigLeaf));
      byte[] leafIsP = enc.clone();
      System.arraycopy(Field255Bytes.P, 0, leafIsP, enc.length - 64, 32);
      assertThrows(DecodeException.class, () -> idpf.decodePublicShare(leafIsP));
    }
  }

  /** Little-endian encodings of Field255 values used above. */
  private static final class Field255Bytes {
    static final byte[] P = new byte[32];

    static {
      Arrays.fill(P, (byte) 0xff);
      P[0] = (byte) 0xed;
      P[31] = 0x7f;
    }
  }

  @Test
  void argumentsOutsideTheirDomainsAreRefused() {
    IdpfBBCGGI21 idpf = new IdpfBBCGGI21(4, 2);
    long[][] betaInner = new long[3][];
    for (int i = 0; i < 3; i++) {
      betaInner[i] = Field64.INSTANCE.alloc(2);
    }
    long[] betaLeaf = Field255.INSTANCE.alloc(2);
    byte[] nonce = bytes(16);
    byte[] rand = bytes(32);
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.valueOf(16), betaInner, betaLeaf, CTX, nonce, rand));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.valueOf(-1), betaInner, betaLeaf, CTX, nonce, rand));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.ONE, Arrays.copyOf(betaInner, 2), betaLeaf, CTX, nonce, rand));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.ONE, betaInner, Field255.INSTANCE.alloc(3), CTX, nonce, rand));
    long[][] shortInner = betaInner.clone();
    shortInner[1] = Field64.INSTANCE.alloc(1);
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.ONE, shortInner, betaLeaf, CTX, nonce, rand));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.ONE, betaInner, betaLeaf, CTX, nonce, bytes(31)));
    // NONCE_SIZE is 16.
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.ONE, betaInner, betaLeaf, CTX, bytes(15), rand));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.gen(BigInteger.ONE, betaInner, betaLeaf, CTX, bytes(17), rand));
    assertThrows(NullPointerException.class,
        () -> idpf.gen(BigInteger.ONE, betaInner, betaLeaf, null, nonce, rand));
    assertThrows(IllegalArgumentException.class, () -> new IdpfBBCGGI21(0, 2));
    assertThrows(IllegalArgumentException.class, () -> new IdpfBBCGGI21(4, 0));

    IdpfBBCGGI21.Keys keys = idpf.gen(BigInteger.ONE, betaInner, betaLeaf, CTX, nonce, rand);
    IdpfPoplar.PublicShare ps = keys.publicShare();
    byte[] key = keys.key(0);
    List<BigInteger> one = List.of(BigInteger.ONE);
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(2, ps, key, 0, one, CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(-1, ps, key, 0, one, CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(0, ps, key, 4, one, CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(0, ps, key, -1, one, CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(0, ps, key, 0, List.of(BigInteger.TWO), CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(0, ps, key, 1, List.of(BigInteger.valueOf(-1)), CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(0, ps, key, 1, List.of(BigInteger.ONE, BigInteger.ONE), CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(0, ps, new byte[15], 0, one, CTX, nonce));
    assertThrows(IllegalArgumentException.class,
        () -> idpf.eval(0, ps, key, 0, one, CTX, bytes(8)));
    assertThrows(IllegalArgumentException.class,
        () -> new IdpfBBCGGI21(5, 2).eval(0, ps, key, 0, one, CTX, nonce));
    assertThrows(IllegalArgumentException.class, () -> keys.key(2));
    // No prefixes: no output.
    assertEquals(0, idpf.eval(1, ps, key, 3, List.of(), CTX, nonce).length);
  }
}
