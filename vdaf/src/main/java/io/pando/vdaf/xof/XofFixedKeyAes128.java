package io.pando.vdaf.xof;

import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.field.LittleEndian;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * XofFixedKeyAes128 (draft-irtf-cfrg-vdaf-08 §6.2.2, draft-20 §6.2.2), the XOF of Poplar1's IDPF.
 * SEED_SIZE is 16.
 *
 * <p>The AES-128 key is {@code fixed_key = TurboSHAKE128(byte(len(dst)) || dst || binder, D = 2,
 * 16)} in draft-08, with {@code le16(len(dst))} in place of {@code byte(len(dst))} in draft-20; output block {@code i} is {@code hash_block(seed XOR le128(i))}, where {@code
 * hash_block(b) = AES128(fixed_key, sigma(b)) XOR sigma(b)} and {@code sigma(lo || hi) = hi || (hi
 * XOR lo)} on 8-byte halves.
 *
 * <p>The key depends only on dst and binder, so callers expanding many seeds under the same dst and
 * binder can derive it once with {@link #fixedKey} and call {@link FixedKey#stream} per seed.
 */
public final class XofFixedKeyAes128 implements Xof {
  /** The draft-08 instance. */
  public static final XofFixedKeyAes128 INSTANCE = new XofFixedKeyAes128(VdafVersion.DRAFT_08);

  /** The draft-20 instance. */
  public static final XofFixedKeyAes128 DRAFT_20 = new XofFixedKeyAes128(VdafVersion.DRAFT_20);

  /** SEED_SIZE. */
  public static final int SEED_SIZE = 16;

  private static final String NAME = "XofFixedKeyAes128";
  private static final int KEY_DOMAIN = 0x02;
  /** Blocks hashed per AES call when a read spans many blocks. */
  private static final int CHUNK_BLOCKS = 64;

  private final VdafVersion version;

  private XofFixedKeyAes128(VdafVersion version) {
    this.version = version;
  }

  /** The instance of a draft. */
  public static XofFixedKeyAes128 of(VdafVersion version) {
    return version == VdafVersion.DRAFT_08 ? INSTANCE : DRAFT_20;
  }

  @Override
  public int seedSize() {
    return SEED_SIZE;
  }

  @Override
  public Stream init(byte[] seed, byte[] dst, byte[]... binder) {
    XofChecks.seed(NAME, seed, SEED_SIZE);
    return fixedKey(dst, binder).stream(seed);
  }

  /**
   * Derives {@code fixed_key} from dst and binder (the implementation note of VDAF-08 §6.2.2: it can
   * be cached across seeds). {@code fixedKey(dst, binder).stream(seed)} is {@code init(seed, dst,
   * binder)}.
   */
  public FixedKey fixedKey(byte[] dst, byte[]... binder) {
    XofChecks.dst(NAME, dst, version);
    TurboShake128 ts = new TurboShake128(KEY_DOMAIN);
    ts.update((byte) dst.length);
    if (version != VdafVersion.DRAFT_08) {
      ts.update((byte) (dst.length >>> 8));
    }
    ts.update(dst);
    for (byte[] part : binder) {
      ts.update(part);
    }
    byte[] key = ts.next(16);
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
      return new FixedKey(aes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128 is unavailable", e);
    }
  }

  /**
   * A derived fixed key. It holds one AES cipher shared by all streams made from it: use a key and
   * its streams from one thread at a time.
   */
  public static final class FixedKey {
    private final Cipher aes;

    private FixedKey(Cipher aes) {
      this.aes = aes;
    }

    /** The XOF stream for {@code seed} (16 bytes) under this key. */
    public Stream stream(byte[] seed) {
      XofChecks.seed(NAME, seed, SEED_SIZE);
      return new AesStream(aes, LittleEndian.getLong(seed, 0), LittleEndian.getLong(seed, 8));
    }
  }

  private static final class AesStream implements Stream {
    private final Cipher aes;
    private final long seedLo;
    private final long seedHi;
    private final byte[] block = new byte[16];
    private byte[] sigma;
    private long consumed;

    AesStream(Cipher aes, long seedLo, long seedHi) {
      this.aes = aes;
      this.seedLo = seedLo;
      this.seedHi = seedHi;
    }

    @Override
    public void next(byte[] out, int off, int len) {
      Objects.checkFromIndexSize(off, len, out.length);
      long pos = consumed;
      consumed += len;
      int skip = (int) (pos & 15);
      if (skip != 0 && len > 0) {
        hashBlocks(pos >>> 4, 1, block, 0);
        int n = Math.min(16 - skip, len);
        System.arraycopy(block, skip, out, off, n);
        off += n;
        len -= n;
        pos += n;
      }
      while (len >= 16) {
        int blocks = Math.min(len >>> 4, CHUNK_BLOCKS);
        hashBlocks(pos >>> 4, blocks, out, off);
        int n = blocks << 4;
        off += n;
        len -= n;
        pos += n;
      }
      if (len > 0) {
        hashBlocks(pos >>> 4, 1, block, 0);
        System.arraycopy(block, 0, out, off, len);
      }
    }

    /** Writes hash_block(seed XOR le128(i)) for i in [index, index + count) to out[off..]. */
    private void hashBlocks(long index, int count, byte[] out, int off) {
      int n = count << 4;
      if (sigma == null || sigma.length < n) {
        sigma = new byte[Math.max(n, 16)];
      }
      byte[] s = sigma;
      long hi = seedHi;
      for (int k = 0; k < count; k++) {
        long lo = seedLo ^ (index + k);
        LittleEndian.putLong(s, k << 4, hi);
        LittleEndian.putLong(s, (k << 4) + 8, hi ^ lo);
      }
      try {
        if (aes.update(s, 0, n, out, off) != n) {
          throw new IllegalStateException("AES/ECB returned a short block count");
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      for (int p = 0; p < n; p += 8) {
        LittleEndian.putLong(out, off + p, LittleEndian.getLong(out, off + p) ^ LittleEndian.getLong(s, p));
      }
    }
  }
}
