package io.pando.vdaf.xof;

import io.pando.vdaf.field.LittleEndian;
import java.util.Objects;

/**
 * TurboSHAKE128 (RFC 9861 §2.2, draft-irtf-cfrg-kangarootwelve): the sponge over Keccak-p[1600,
 * 12 rounds] with a rate of 168 bytes and a domain separation byte {@code D} in {@code
 * 0x01..0x7F}.
 *
 * <p>Absorb the message with any number of {@link #update} calls, then read the output as a stream
 * with {@link #next}; the first read pads the message ({@code M || D || 0x00.. || 0x80}) and
 * switches to squeezing, after which {@code update} is no longer allowed. Not thread-safe.
 */
public final class TurboShake128 implements Xof.Stream {
  /** The rate in bytes (capacity 256 bits). */
  public static final int RATE = 168;

  /** Round constants of the last 12 rounds of Keccak-f[1600] (rounds 12..23). */
  private static final long[] RC = {
    0x000000008000808BL, 0x800000000000008BL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800AL, 0x800000008000000AL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L,
  };

  private final long[] state = new long[25];
  private final byte domain;
  /** Byte offset in the current rate block; {@code RATE} means the block is full (permute next). */
  private int pos;
  private boolean squeezing;

  /** A fresh instance with domain separation byte {@code domain} (0x01..0x7F). */
  public TurboShake128(int domain) {
    if (domain < 0x01 || domain > 0x7F) {
      throw new IllegalArgumentException("TurboSHAKE domain byte out of range: " + domain);
    }
    this.domain = (byte) domain;
  }

  /** One-shot TurboSHAKE128(M, D, L). */
  public static byte[] hash(int domain, byte[] message, int outLen) {
    return new TurboShake128(domain).update(message).next(outLen);
  }

  /** Absorbs one byte. */
  public TurboShake128 update(byte b) {
    checkAbsorbing();
    if (pos == RATE) {
      permute(state);
      pos = 0;
    }
    state[pos >>> 3] ^= (b & 0xFFL) << ((pos & 7) << 3);
    pos++;
    return this;
  }

  /** Absorbs all of {@code in}. */
  public TurboShake128 update(byte[] in) {
    return update(in, 0, in.length);
  }

  /** Absorbs {@code in[off..off+len)}. */
  public TurboShake128 update(byte[] in, int off, int len) {
    Objects.checkFromIndexSize(off, len, in.length);
    checkAbsorbing();
    long[] s = state;
    int p = pos;
    // Up to the next lane boundary (never past RATE, a multiple of 8).
    while (len > 0 && (p & 7) != 0) {
      s[p >>> 3] ^= (in[off++] & 0xFFL) << ((p & 7) << 3);
      p++;
      len--;
    }
    // Whole lanes.
    while (len >= 8) {
      if (p == RATE) {
        permute(s);
        p = 0;
      }
      int lane = p >>> 3;
      int end = lane + Math.min((RATE - p) >>> 3, len >>> 3);
      for (int i = lane; i < end; i++) {
        s[i] ^= LittleEndian.getLong(in, off);
        off += 8;
      }
      int n = (end - lane) << 3;
      p += n;
      len -= n;
    }
    // Trailing bytes (fewer than 8).
    while (len > 0) {
      if (p == RATE) {
        permute(s);
        p = 0;
      }
      s[p >>> 3] ^= (in[off++] & 0xFFL) << ((p & 7) << 3);
      p++;
      len--;
    }
    pos = p;
    return this;
  }

  /** Squeezes the next {@code len} output bytes into {@code out[off..off+len)}. */
  @Override
  public void next(byte[] out, int off, int len) {
    Objects.checkFromIndexSize(off, len, out.length);
    if (!squeezing) {
      pad();
    }
    long[] s = state;
    int p = pos;
    while (len > 0) {
      if (p == RATE) {
        permute(s);
        p = 0;
      }
      if ((p & 7) == 0 && len >= 8) {
        int lane = p >>> 3;
        int end = lane + Math.min((RATE - p) >>> 3, len >>> 3);
        for (int i = lane; i < end; i++) {
          LittleEndian.putLong(out, off, s[i]);
          off += 8;
        }
        int n = (end - lane) << 3;
        p += n;
        len -= n;
      } else {
        out[off++] = (byte) (s[p >>> 3] >>> ((p & 7) << 3));
        p++;
        len--;
      }
    }
    pos = p;
  }

  private void checkAbsorbing() {
    if (squeezing) {
      throw new IllegalStateException("TurboSHAKE128: update after output was read");
    }
  }

  private void pad() {
    if (pos == RATE) {
      permute(state);
      pos = 0;
    }
    state[pos >>> 3] ^= (domain & 0xFFL) << ((pos & 7) << 3);
    state[(RATE - 1) >>> 3] ^= 0x80L << 56;
    permute(state);
    pos = 0;
    squeezing = true;
  }

  /** Keccak-p[1600, 12] in place on 25 lanes, lane (x, y) at index {@code x + 5y}. */
  static void permute(long[] s) {
    long a0 = s[0], a1 = s[1], a2 = s[2], a3 = s[3], a4 = s[4];
    long a5 = s[5], a6 = s[6], a7 = s[7], a8 = s[8], a9 = s[9];
    long a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
    long a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
    long a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
    for (int i = 0; i < 12; i++) {
      // theta
      long c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
      long c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
      long c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
      long c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
      long c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
      long d0 = c4 ^ Long.rotateLeft(c1, 1);
      long d1 = c0 ^ Long.rotateLeft(c2, 1);
      long d2 = c1 ^ Long.rotateLeft(c3, 1);
      long d3 = c2 ^ Long.rotateLeft(c4, 1);
      long d4 = c3 ^ Long.rotateLeft(c0, 1);
      // rho and pi
      long b0 = a0 ^ d0;
      long b1 = Long.rotateLeft(a6 ^ d1, 44);
      long b2 = Long.rotateLeft(a12 ^ d2, 43);
      long b3 = Long.rotateLeft(a18 ^ d3, 21);
      long b4 = Long.rotateLeft(a24 ^ d4, 14);
      long b5 = Long.rotateLeft(a3 ^ d3, 28);
      long b6 = Long.rotateLeft(a9 ^ d4, 20);
      long b7 = Long.rotateLeft(a10 ^ d0, 3);
      long b8 = Long.rotateLeft(a16 ^ d1, 45);
      long b9 = Long.rotateLeft(a22 ^ d2, 61);
      long b10 = Long.rotateLeft(a1 ^ d1, 1);
      long b11 = Long.rotateLeft(a7 ^ d2, 6);
      long b12 = Long.rotateLeft(a13 ^ d3, 25);
      long b13 = Long.rotateLeft(a19 ^ d4, 8);
      long b14 = Long.rotateLeft(a20 ^ d0, 18);
      long b15 = Long.rotateLeft(a4 ^ d4, 27);
      long b16 = Long.rotateLeft(a5 ^ d0, 36);
      long b17 = Long.rotateLeft(a11 ^ d1, 10);
      long b18 = Long.rotateLeft(a17 ^ d2, 15);
      long b19 = Long.rotateLeft(a23 ^ d3, 56);
      long b20 = Long.rotateLeft(a2 ^ d2, 62);
      long b21 = Long.rotateLeft(a8 ^ d3, 55);
      long b22 = Long.rotateLeft(a14 ^ d4, 39);
      long b23 = Long.rotateLeft(a15 ^ d0, 41);
      long b24 = Long.rotateLeft(a21 ^ d1, 2);
      // chi
      a0 = b0 ^ (~b1 & b2);
      a1 = b1 ^ (~b2 & b3);
      a2 = b2 ^ (~b3 & b4);
      a3 = b3 ^ (~b4 & b0);
      a4 = b4 ^ (~b0 & b1);
      a5 = b5 ^ (~b6 & b7);
      a6 = b6 ^ (~b7 & b8);
      a7 = b7 ^ (~b8 & b9);
      a8 = b8 ^ (~b9 & b5);
      a9 = b9 ^ (~b5 & b6);
      a10 = b10 ^ (~b11 & b12);
      a11 = b11 ^ (~b12 & b13);
      a12 = b12 ^ (~b13 & b14);
      a13 = b13 ^ (~b14 & b10);
      a14 = b14 ^ (~b10 & b11);
      a15 = b15 ^ (~b16 & b17);
      a16 = b16 ^ (~b17 & b18);
      a17 = b17 ^ (~b18 & b19);
      a18 = b18 ^ (~b19 & b15);
      a19 = b19 ^ (~b15 & b16);
      a20 = b20 ^ (~b21 & b22);
      a21 = b21 ^ (~b22 & b23);
      a22 = b22 ^ (~b23 & b24);
      a23 = b23 ^ (~b24 & b20);
      a24 = b24 ^ (~b20 & b21);
      // iota
      a0 ^= RC[i];
    }
    s[0] = a0; s[1] = a1; s[2] = a2; s[3] = a3; s[4] = a4;
    s[5] = a5; s[6] = a6; s[7] = a7; s[8] = a8; s[9] = a9;
    s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
    s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
    s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
  }
}
