package io.pando.core.taskprov;

import io.pando.core.SecretBytes;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.ExtensionType;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.taskprov.VdafType;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The computations of draft-wang-ppm-dap-taskprov-06 that both aggregators and the client share:
 * the VDAF verify key derived from the peers' {@code verify_key_init} (§3.2), the VDAF a {@link
 * VdafType} names, and the report extension (§3.1).
 */
public final class Taskprov {
  /** {@code verify_key_init} is 32 bytes (§3.2). */
  public static final int VERIFY_KEY_INIT_LENGTH = 32;

  /** §3.2: the HKDF salt, SHA-256 of the ASCII string "dap-taskprov". */
  static final byte[] SALT = sha256("dap-taskprov".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  /** §3.1: the extension each report's input shares carry; its data is empty. */
  public static final Extension EXTENSION = new Extension(ExtensionType.TASKPROV, new byte[0]);

  private Taskprov() {}

  /**
   * §3.2: {@code verify_key = HKDF-Expand(HKDF-Extract(SALT, verify_key_init), task_id, L)} with
   * HKDF-SHA256 (RFC 5869), {@code L} the VDAF's verify key length.
   */
  public static SecretBytes deriveVerifyKey(byte[] verifyKeyInit, TaskId taskId, int length) {
    if (verifyKeyInit.length != VERIFY_KEY_INIT_LENGTH) {
      throw new IllegalArgumentException("verify_key_init must be 32 bytes");
    }
    if (length < 1 || length > 255 * 32) {
      throw new IllegalArgumentException("verify key length out of range: " + length);
    }
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(SALT, "HmacSHA256"));
      byte[] prk = extract.doFinal(verifyKeyInit);
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      Arrays.fill(prk, (byte) 0);
      byte[] okm = new byte[length];
      byte[] t = new byte[0];
      for (int i = 1, off = 0; off < length; i++) {
        expand.update(t);
        expand.update(taskId.bytes());
        expand.update((byte) i);
        t = expand.doFinal();
        int n = Math.min(t.length, length - off);
        System.arraycopy(t, 0, okm, off, n);
        off += n;
      }
      Arrays.fill(t, (byte) 0);
      SecretBytes key = SecretBytes.copyOf(okm);
      Arrays.fill(okm, (byte) 0);
      return key;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The VDAF a taskprov {@link VdafType} names, for DAP-09 tasks (VDAF-08).
   *
   * @throws IllegalArgumentException for a VDAF this aggregator cannot run (Poplar1, parameters
   *     out of range, a multiproof count other than the deployed 3)
   */
  public static VdafInstance vdafOf(VdafType type) {
    VdafInstance v;
    if (type instanceof VdafType.Prio3Count) {
      v = new VdafInstance.Prio3Count();
    } else if (type instanceof VdafType.Prio3Sum s) {
      v = new VdafInstance.Prio3Sum(s.bits());
    } else if (type instanceof VdafType.Prio3SumVec s) {
      v = new VdafInstance.Prio3SumVec(toInt(s.length()), s.bits(), toInt(s.chunkLength()));
    } else if (type instanceof VdafType.Prio3Histogram h) {
      v = new VdafInstance.Prio3Histogram(toInt(h.length()), toInt(h.chunkLength()));
    } else if (type instanceof VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128 m) {
      if (m.proofs() != 3) {
        throw new IllegalArgumentException("only 3 proofs are supported, not " + m.proofs());
      }
      v = new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(toInt(m.length()),
          m.bits(), toInt(m.chunkLength()));
    } else {
      throw new IllegalArgumentException(type + " is not supported for DAP-09 tasks");
    }
    try {
      v.prio3(); // validates the parameters
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unsupported parameters " + type + ": " + e.getMessage());
    }
    return v;
  }

  /** The taskprov {@link VdafType} of a VDAF (the inverse of {@link #vdafOf}). */
  public static VdafType typeOf(VdafInstance v) {
    if (v instanceof VdafInstance.Prio3Count) {
      return new VdafType.Prio3Count();
    } else if (v instanceof VdafInstance.Prio3Sum s) {
      return new VdafType.Prio3Sum(s.bits());
    } else if (v instanceof VdafInstance.Prio3SumVec s) {
      return new VdafType.Prio3SumVec(s.length(), s.bits(), s.chunkLength());
    } else if (v instanceof VdafInstance.Prio3Histogram h) {
      return new VdafType.Prio3Histogram(h.length(), h.chunkLength());
    } else if (v instanceof VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 m) {
      return new VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128(m.length(), m.bits(),
          m.chunkLength(), 3);
    }
    throw new IllegalArgumentException(v.type() + " has no taskprov codepoint");
  }

  private static int toInt(long v) {
    if (v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("parameter too large: " + v);
    }
    return (int) v;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
