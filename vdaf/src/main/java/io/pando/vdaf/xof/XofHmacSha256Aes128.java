package io.pando.vdaf.xof;

import io.pando.vdaf.VdafVersion;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * XofHmacSha256Aes128: a XOF outside the VDAF drafts, defined by libprio-rs and used by Janus's
 * private Prio3 variant 0xFFFF1003 (Prio3SumVecField64MultiproofHmacSha256Aes128). SEED_SIZE is
 * 32.
 *
 * <p>{@code tag = HMAC-SHA256(key = seed, byte(len(dst)) || dst || binder)}; the output stream is
 * the AES-128-CTR keystream with key {@code tag[0..16)} and initial counter block {@code
 * tag[16..32)}, where the counter is the last 8 bytes of the block as a big-endian integer that
 * wraps modulo 2^64 without carrying into the first 8 bytes.
 */
public final class XofHmacSha256Aes128 implements Xof {
  /** The only instance. */
  public static final XofHmacSha256Aes128 INSTANCE = new XofHmacSha256Aes128();

  /** SEED_SIZE. */
  public static final int SEED_SIZE = 32;

  private static final String NAME = "XofHmacSha256Aes128";

  private XofHmacSha256Aes128() {}

  @Override
  public int seedSize() {
    return SEED_SIZE;
  }

  @Override
  public Stream init(byte[] seed, byte[] dst, byte[]... binder) {
    XofChecks.seed(NAME, seed, SEED_SIZE);
    XofChecks.dst(NAME, dst, VdafVersion.DRAFT_08);
    byte[] tag;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
      mac.update((byte) dst.length);
      mac.update(dst);
      for (byte[] part : binder) {
        mac.update(part);
      }
      tag = mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
    return new Ctr64Stream(Arrays.copyOfRange(tag, 0, 16), Arrays.copyOfRange(tag, 16, 32));
  }

  /**
   * The AES-128 keystream in CTR mode with a 64-bit big-endian counter in the last 8 bytes of the
   * counter block. The JDK's CTR mode carries into the first 8 bytes when the counter wraps, so the
   * cipher is restarted at that point with the counter reset to zero.
   */
  static final class Ctr64Stream implements Stream {
    /** Plaintext for the keystream; never written. */
    private static final byte[] ZEROS = new byte[4096];

    private final SecretKeySpec key;
    private final byte[] iv;
    private Cipher ctr;
    private long consumed;
    /** Output offset where the 64-bit counter wraps to zero, or Long.MAX_VALUE if out of reach. */
    private long wrapAt;

    Ctr64Stream(byte[] key, byte[] iv) {
      this.key = new SecretKeySpec(key, "AES");
      this.iv = iv.clone();
      long low = 0;
      for (int i = 8; i < 16; i++) {
        low = (low << 8) | (iv[i] & 0xFF);
      }
      long blocksToWrap = -low; // 2^64 - low, as an unsigned number of blocks
      wrapAt =
          low != 0 && Long.compareUnsigned(blocksToWrap, 1L << 58) < 0
              ? blocksToWrap << 4
              : Long.MAX_VALUE;
      ctr = start(this.iv);
    }

    private Cipher start(byte[] counterBlock) {
      try {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock));
        return c;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-128-CTR is unavailable", e);
      }
    }

    @Override
    public void next(byte[] out, int off, int len) {
      Objects.checkFromIndexSize(off, len, out.length);
      if (consumed <= wrapAt && len > wrapAt - consumed) {
        int before = (int) (wrapAt - consumed);
        keystream(out, off, before);
        byte[] wrapped = iv.clone();
        Arrays.fill(wrapped, 8, 16, (byte) 0);
        ctr = start(wrapped);
        wrapAt = Long.MAX_VALUE;
        off += before;
        len -= before;
      }
      keystream(out, off, len);
    }

    /** Encrypts zeros into out[off..off+len). */
    private void keystream(byte[] out, int off, int len) {
      consumed += len;
      try {
        while (len > 0) {
          int n = Math.min(len, ZEROS.length);
          if (ctr.update(ZEROS, 0, n, out, off) != n) {
            throw new IllegalStateException("AES/CTR returned short output");
          }
          off += n;
          len -= n;
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
