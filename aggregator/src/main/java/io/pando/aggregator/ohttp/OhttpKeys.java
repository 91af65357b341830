package io.pando.aggregator.ohttp;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Crypter;
import io.pando.aggregator.datastore.HibernateReactive;
import io.pando.aggregator.hpke.HpkeKeys.State;
import io.pando.codec.DecodeException;
import io.pando.core.SecretBytes;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeSuite;
import io.pando.ohttp.KeyConfig;
import io.pando.ohttp.OhttpKeyPair;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The OHTTP gateway's keys (RFC 9458 §3) and their lifecycle, as {@link
 * io.pando.aggregator.hpke.HpkeKeys} keeps the HPKE keys: a key is PENDING (known to every
 * replica, not yet published), ACTIVE (published at {@code /ohttp-keys}) or EXPIRED (no longer
 * published, still opens requests until deleted). Private keys are sealed with the {@link
 * Crypter}; every replica reloads on the change feed's {@code pando_ohttp_keys} notification
 * and periodically. The operations have the shape of HpkeKeys' so one rotator can drive both.
 */
@ApplicationScoped
public class OhttpKeys {
  private static final Logger LOG = Logger.getLogger(OhttpKeys.class);
  static final String TABLE = "ohttp_keys";
  static final String COLUMN = "private_key";

  /** A loaded key, with its state and when that state was set. */
  public record Key(OhttpKeyPair keypair, State state, OffsetDateTime stateChangedAt) {}

  /** The advisory lock that serializes key creation (a 64-bit constant of our own, "ohttpKey"). */
  private static final long KEYS_LOCK = 0x6f687474704b6579L;

  private final Crypter crypter;
  private final PandoConfig config;
  private volatile Map<Integer, Key> keys = Map.of();

  @Inject
  public OhttpKeys(Crypter crypter, PandoConfig config) {
    this.crypter = crypter;
    this.config = config;
  }

  void onStart(@Observes StartupEvent e) {
    if (!config.ohttp().enabled()) {
      return;
    }
    // Off the event loop, as HpkeKeys does: the datastore calls below block.
    Thread t = new Thread(() -> {
      try {
        reload();
        if (keys.values().stream().noneMatch(k -> k.state == State.ACTIVE)
            && config.ohttp().generateIfMissing()) {
          ensureActiveKey(HpkeSuite.X25519_SHA256_AES128GCM).ifPresent(k -> LOG.infof(
              "generated OHTTP key %d (%s), active", k.keypair().config().keyId(),
              HpkeSuite.X25519_SHA256_AES128GCM));
        }
      } catch (RuntimeException ex) {
        LOG.error("loading OHTTP keys failed", ex);
      }
    }, "ohttp-keys-init");
    t.start();
    try {
      t.join();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  @Scheduled(every = "${pando.ohttp.refresh-interval:PT60S}", delayed = "PT10S",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    if (config.ohttp().enabled()) {
      reload();
    }
  }

  /** Reloads every key from the datastore. */
  public void reload() {
    List<OhttpKeyEntity> rows = HibernateReactive.await(() -> Panache.withSession(
        () -> OhttpKeyEntity.<OhttpKeyEntity>listAll()));
    Map<Integer, Key> m = new TreeMap<>();
    for (OhttpKeyEntity row : rows) {
      try {
        KeyConfig cfg = KeyConfig.decode(row.config);
        byte[] sk = crypter.decrypt(TABLE, COLUMN, aad(row.keyId), row.privateKey);
        m.put(cfg.keyId(), new Key(OhttpKeyPair.of(cfg, SecretBytes.copyOf(sk)),
            State.valueOf(row.state), row.stateChangedAt));
      } catch (DecodeException | HpkeException | RuntimeException ex) {
        LOG.errorf("OHTTP key %d is unusable: %s", row.keyId, ex.getMessage());
      }
    }
    keys = Map.copyOf(m);
  }

  private static byte[] aad(int keyId) {
    return new byte[] {(byte) keyId};
  }

  /** The configurations to publish: every ACTIVE key, newest key id first. */
  public List<KeyConfig> activeConfigs() {
    return keys.values().stream().filter(k -> k.state == State.ACTIVE)
        .sorted(Comparator.comparingInt((Key k) -> k.keypair.config().keyId()).reversed())
        .map(k -> k.keypair.config()).toList();
  }

  /** The key that opens requests for this key id, in any state. */
  public Optional<OhttpKeyPair> opener(int keyId) {
    return Optional.ofNullable(keys.get(keyId)).map(Key::keypair);
  }

  /** Every key with its state and state-changed time. */
  public List<Key> all() {
    return List.copyOf(keys.values());
  }

  /** Generates a key under the lowest free key id and stores it. */
  public Key generate(HpkeSuite suite, State state) {
    return create(suite, state, false).orElseThrow();
  }

  /**
   * Creates an ACTIVE key unless the datastore holds one already: however many replicas call it
   * at once, one key is made.
   */
  public Optional<Key> ensureActiveKey(HpkeSuite suite) {
    return create(suite, State.ACTIVE, true);
  }

  /**
   * Generates and stores a key in one transaction holding an advisory lock on the key set, so
   * replicas creating keys at once never pick the same key id, and with {@code unlessActive}
   * only the first of them creates the first ACTIVE key.
   */
  private Optional<Key> create(HpkeSuite suite, State state, boolean unlessActive) {
    OhttpKeyPair[] made = new OhttpKeyPair[1];
    Boolean stored = HibernateReactive.await(() -> Panache.withTransaction(
        () -> Panache.getSession().chain(session -> session.createNativeQuery(
            "SELECT pg_advisory_xact_lock(" + KEYS_LOCK + ")::text", String.class)
            .getSingleResult())
        .chain(locked -> OhttpKeyEntity.<OhttpKeyEntity>listAll())
        .chain(rows -> {
          if (unlessActive && rows.stream().anyMatch(r -> State.ACTIVE.name().equals(r.state))) {
            return Uni.createFrom().item(false);
          }
          Set<Integer> used = new HashSet<>();
          rows.forEach(r -> used.add((int) r.keyId));
          int id = 0;
          while (used.contains(id)) {
            id++;
          }
          if (id > 255) {
            throw new IllegalStateException(
                "all 256 OHTTP key ids are in use; delete expired keys");
          }
          OhttpKeyPair kp;
          try {
            kp = OhttpKeyPair.generate(id, suite);
          } catch (HpkeException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
          }
          made[0] = kp;
          OhttpKeyEntity row = new OhttpKeyEntity();
          row.keyId = (short) id;
          row.config = kp.config().encode();
          row.privateKey = crypter.encrypt(TABLE, COLUMN, aad(id), kp.privateKey().reveal());
          row.state = state.name();
          row.stateChangedAt = OffsetDateTime.now();
          row.updatedBy = "generate-ohttp-key";
          return row.persist().replaceWith(true);
        })));
    reload();
    return stored ? Optional.ofNullable(keys.get(made[0].config().keyId())) : Optional.empty();
  }

  /** Reloads on a change notification, when the gateway is on (ChangeFeed). */
  public void onChange() {
    if (config.ohttp().enabled()) {
      reload();
    }
  }

  /** Moves a key to another state; false if there is no such key. */
  public boolean setState(int keyId, State state) {
    if (keyId < 0 || keyId > 255) {
      return false;
    }
    Boolean found = HibernateReactive.await(() -> Panache.withTransaction(
        () -> OhttpKeyEntity.<OhttpKeyEntity>findById((short) keyId).map(row -> {
          if (row == null) {
            return false;
          }
          row.state = state.name();
          row.stateChangedAt = OffsetDateTime.now();
          row.updatedBy = "set-ohttp-key-state";
          return true;
        })));
    reload();
    return found;
  }

  /** Deletes a key; false if there is no such key. */
  public boolean delete(int keyId) {
    if (keyId < 0 || keyId > 255) {
      return false;
    }
    Boolean deleted = HibernateReactive.await(() -> Panache.withTransaction(
        () -> OhttpKeyEntity.deleteById((short) keyId)));
    reload();
    return deleted;
  }
}
