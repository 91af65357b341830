package io.pando.aggregator.datastore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.taskprov.TaskprovPeer;
import io.pando.codec.DecodeException;
import io.pando.core.SecretBytes;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfig;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Taskprov peer aggregators ({@code taskprov_peers}, V92). {@code verify_key_init} and the token
 * a leader sends are encrypted with the {@link Crypter}, bound to the row's role and endpoint;
 * the tokens this aggregator only checks are SHA-256 hashes.
 */
public final class TaskprovPeerStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = """
      endpoint, role, verify_key_init, collector_hpke_config, aggregator_auth_token,
      aggregator_auth_token_hash, collector_auth_token_hash, tolerable_clock_skew,
      report_expiry_age, allowed_vdafs, max_task_lifetime""";

  private final Tx tx;

  TaskprovPeerStore(Tx tx) {
    this.tx = tx;
  }

  private static byte[] rowKey(Task.Role role, String endpoint) {
    return (role.name() + " " + endpoint).getBytes(StandardCharsets.UTF_8);
  }

  /** Creates or replaces the peer with this endpoint and role. */
  public void put(TaskprovPeer p) {
    byte[] row = rowKey(p.role(), p.endpoint());
    String allowed;
    try {
      allowed = p.allowedVdafs().isEmpty() ? null : JSON.writeValueAsString(p.allowedVdafs());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    tx.query("INSERT INTO taskprov_peers (" + COLUMNS + ", updated_by) "
        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        + "ON CONFLICT (endpoint, role) DO UPDATE SET verify_key_init = $3, "
        + "collector_hpke_config = $4, aggregator_auth_token = $5, "
        + "aggregator_auth_token_hash = $6, collector_auth_token_hash = $7, "
        + "tolerable_clock_skew = $8, report_expiry_age = $9, allowed_vdafs = $10, "
        + "max_task_lifetime = $11, updated_by = $12",
        Tuple.tuple(List.of(p.endpoint(), p.role().name(),
            Tx.buf(tx.crypter.encrypt("taskprov_peers", "verify_key_init", row,
                p.verifyKeyInit().reveal())),
            Tx.buf(p.collectorHpkeConfig().encode())))
            .addValue(p.aggregatorAuthToken().map(t -> Tx.buf(tx.crypter.encrypt(
                "taskprov_peers", "aggregator_auth_token", row, t.reveal()))).orElse(null))
            .addValue(Tx.buf(p.aggregatorAuthTokenHash().orElse(null)))
            .addValue(Tx.buf(p.collectorAuthTokenHash().orElse(null)))
            .addValue(p.tolerableClockSkew().seconds())
            .addValue(p.reportExpiryAge().map(Duration::seconds).orElse(null))
            .addValue(allowed)
            .addValue(p.maxTaskLifetime().map(Duration::seconds).orElse(null))
            .addValue(tx.name()));
  }

  /** Every peer, by role then endpoint. */
  public List<TaskprovPeer> all() {
    List<TaskprovPeer> out = new ArrayList<>();
    for (Row r : tx.query("SELECT " + COLUMNS + " FROM taskprov_peers ORDER BY role, endpoint")) {
      out.add(read(r));
    }
    return out;
  }

  /** The peer with this endpoint (normalized) and role. */
  public Optional<TaskprovPeer> get(String endpoint, Task.Role role) {
    for (Row r : tx.query("SELECT " + COLUMNS
        + " FROM taskprov_peers WHERE endpoint = $1 AND role = $2",
        Tuple.of(TaskprovPeer.normalize(endpoint), role.name()))) {
      return Optional.of(read(r));
    }
    return Optional.empty();
  }

  /** Deletes a peer; false if there was none. Tasks provisioned with it stay. */
  public boolean delete(String endpoint, Task.Role role) {
    return tx.query("DELETE FROM taskprov_peers WHERE endpoint = $1 AND role = $2",
        Tuple.of(TaskprovPeer.normalize(endpoint), role.name())).rowCount() > 0;
  }

  private TaskprovPeer read(Row r) {
    String endpoint = r.getString("endpoint");
    Task.Role role = Task.Role.valueOf(r.getString("role"));
    byte[] row = rowKey(role, endpoint);
    byte[] vki = tx.crypter.decrypt("taskprov_peers", "verify_key_init", row,
        Tx.bytes(r, "verify_key_init"));
    HpkeConfig collector;
    try {
      collector = HpkeConfig.decode(Tx.bytes(r, "collector_hpke_config"));
    } catch (DecodeException e) {
      throw new IllegalStateException("stored collector HPKE config does not decode", e);
    }
    byte[] token = Tx.bytes(r, "aggregator_auth_token");
    List<String> allowed = List.of();
    String json = r.getString("allowed_vdafs");
    if (json != null) {
      try {
        allowed = Arrays.asList(JSON.readValue(json, String[].class));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("stored allowed_vdafs is not a JSON array", e);
      }
    }
    Long expiry = r.getLong("report_expiry_age");
    Long lifetime = r.getLong("max_task_lifetime");
    TaskprovPeer p = new TaskprovPeer(endpoint, role, SecretBytes.copyOf(vki), collector,
        Optional.ofNullable(token).map(t -> SecretBytes.copyOf(tx.crypter.decrypt(
            "taskprov_peers", "aggregator_auth_token", row, t))),
        Optional.ofNullable(Tx.bytes(r, "aggregator_auth_token_hash")),
        Optional.ofNullable(Tx.bytes(r, "collector_auth_token_hash")),
        Duration.ofSeconds(r.getLong("tolerable_clock_skew")),
        Optional.ofNullable(expiry).map(Duration::ofSeconds), allowed,
        Optional.ofNullable(lifetime).map(Duration::ofSeconds));
    Arrays.fill(vki, (byte) 0);
    return p;
  }
}
