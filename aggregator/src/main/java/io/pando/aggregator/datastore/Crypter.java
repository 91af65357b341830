package io.pando.aggregator.datastore;

import io.pando.aggregator.config.PandoConfig;
import io.pando.core.SecretBytes;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM: verify keys, HPKE private keys, the leader's token
 * for the helper, and the leader's decrypted input shares until they are aggregated. The AAD
 * binds a ciphertext to its place (table, column, row), so a ciphertext copied to another row
 * does not decrypt. The first datastore key encrypts; every key is tried for decryption, which
 * allows key rotation.
 *
 * <p>Format: {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}.
 */
@ApplicationScoped
public class Crypter {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final List<SecretBytes> keys;

  @Inject
  public Crypter(PandoConfig config) {
    this(config.datastoreKeys());
  }

  public Crypter(List<String> base64UrlKeys) {
    List<SecretBytes> k = new ArrayList<>();
    for (String s : base64UrlKeys) {
      byte[] key;
      try {
        key = Base64.getUrlDecoder().decode(s.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pando.datastore-keys: a key is not base64url");
      }
      if (key.length != 32) {
        throw new IllegalArgumentException(
            "pando.datastore-keys: each key must be 32 bytes, got " + key.length);
      }
      k.add(SecretBytes.copyOf(key));
    }
    if (k.isEmpty()) {
      throw new IllegalArgumentException("pando.datastore-keys: at least one key is required");
    }
    this.keys = List.copyOf(k);
  }

  /** A new random datastore key, base64url. */
  public static String generateKey() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(k);
  }

  private static byte[] aad(String table, String column, byte[] row) {
    byte[] t = (table + "/" + column + "/").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[t.length + row.length];
    System.arraycopy(t, 0, out, 0, t.length);
    System.arraycopy(row, 0, out, t.length, row.length);
    return out;
  }

  public byte[] encrypt(String table, String column, byte[] row, byte[] plaintext) {
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(0).reveal(), "AES"),
          new GCMParameterSpec(128, nonce));
      c.updateAAD(aad(table, column, row));
      byte[] ct = c.doFinal(plaintext);
      byte[] out = new byte[12 + ct.length];
      System.arraycopy(nonce, 0, out, 0, 12);
      System.arraycopy(ct, 0, out, 12, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  public byte[] decrypt(String table, String column, byte[] row, byte[] ciphertext) {
    return open(table, column, row, ciphertext).plaintext();
  }

  /** A decrypted value, and whether the first datastore key (the one that encrypts) sealed it. */
  public record Opened(byte[] plaintext, boolean underFirstKey) {}

  /** Decrypts with the first key that opens the value ({@link Resealer} re-seals the others). */
  public Opened open(String table, String column, byte[] row, byte[] ciphertext) {
    if (ciphertext.length < 28) {
      throw new IllegalStateException("stored ciphertext in " + table + "." + column
          + " is too short");
    }
    for (int i = 0; i < keys.size(); i++) {
      try {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.get(i).reveal(), "AES"),
            new GCMParameterSpec(128, ciphertext, 0, 12));
        c.updateAAD(aad(table, column, row));
        return new Opened(c.doFinal(ciphertext, 12, ciphertext.length - 12), i == 0);
      } catch (GeneralSecurityException e) {
        // try the next key
      }
    }
    throw new IllegalStateException("no datastore key decrypts " + table + "." + column
        + " (wrong pando.datastore-keys?)");
  }

  /** How many datastore keys are configured (more than one while a rotation is under way). */
  public int keyCount() {
    return keys.size();
  }

  /** The AAD row of a report's share: task id, then report id. */
  static byte[] reportRow(TaskId task, ReportId report) {
    byte[] out = new byte[32 + 16];
    System.arraycopy(task.bytes(), 0, out, 0, 32);
    System.arraycopy(report.bytes(), 0, out, 32, 16);
    return out;
  }

  /** Seals the leader's decrypted input share for {@code client_reports} (migration V60). */
  public byte[] sealLeaderInputShare(TaskId task, ReportId report, byte[] share) {
    return encrypt("client_reports", "leader_input_share", reportRow(task, report), share);
  }

  /** Opens what {@link #sealLeaderInputShare} sealed for this report. */
  public byte[] openLeaderInputShare(TaskId task, ReportId report, byte[] sealed) {
    return decrypt("client_reports", "leader_input_share", reportRow(task, report), sealed);
  }

  /** The AAD row of a batch aggregation: task id, batch identifier, ord (4 bytes). */
  /** The AAD row of a report aggregation's prep state: task id, job id, ord (4 bytes). */
  static byte[] reportAggregationRow(TaskId task, io.pando.dap.messages.AggregationJobId job,
      int ord) {
    return batchRow(task, job.bytes(), ord);
  }

  static byte[] batchRow(TaskId task, byte[] batchIdentifier, int ord) {
    byte[] out = new byte[32 + batchIdentifier.length + 4];
    System.arraycopy(task.bytes(), 0, out, 0, 32);
    System.arraycopy(batchIdentifier, 0, out, 32, batchIdentifier.length);
    for (int i = 0; i < 4; i++) {
      out[out.length - 4 + i] = (byte) (ord >>> (24 - 8 * i));
    }
    return out;
  }

  /** Seals an encoded aggregate share for {@code batch_aggregations} (migration V70). */
  public byte[] sealAggregateShare(TaskId task, byte[] batchIdentifier, int ord, byte[] share) {
    return encrypt("batch_aggregations", "aggregate_share", batchRow(task, batchIdentifier, ord),
        share);
  }

  /** Opens what {@link #sealAggregateShare} sealed for this row. */
  public byte[] openAggregateShare(TaskId task, byte[] batchIdentifier, int ord, byte[] sealed) {
    return decrypt("batch_aggregations", "aggregate_share", batchRow(task, batchIdentifier, ord),
        sealed);
  }
}
