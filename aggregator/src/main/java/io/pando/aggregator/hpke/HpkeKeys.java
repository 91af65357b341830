package io.pando.aggregator.hpke;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Crypter;
import io.pando.aggregator.datastore.HibernateReactive;
import io.pando.codec.DecodeException;
import io.pando.core.SecretBytes;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The deployment's global HPKE keys (DAP-09 §4.4.1) and their rotation: a key is PENDING (known to
 * every replica, not yet advertised), ACTIVE (advertised at {@code /hpke_config}) or EXPIRED (no
 * longer advertised, still decrypts until deleted). Every replica reloads the keys when the
 * {@link io.pando.aggregator.datastore.ChangeFeed} reports a change, and periodically.
 */
@ApplicationScoped
public class HpkeKeys {
  private static final Logger LOG = Logger.getLogger(HpkeKeys.class);

  /** A key's rotation state. */
  public enum State {
    PENDING,
    ACTIVE,
    EXPIRED
  }

  /** A loaded key. */
  public record Key(HpkeKeypair keypair, State state) {}

  /** The advisory lock (any 64-bit constant of our own) that serializes key creation. */
  private static final long KEYS_LOCK = 0x70616e646f4b6579L;

  private final Crypter crypter;
  private final PandoConfig config;
  private volatile Map<Integer, Key> keys = Map.of();

  @Inject
  public HpkeKeys(Crypter crypter, PandoConfig config) {
    this.crypter = crypter;
    this.config = config;
  }

  void onStart(@Observes StartupEvent e) {
    Thread t = new Thread(() -> {
      try {
        reload();
        if (keys.values().stream().noneMatch(k -> k.state == State.ACTIVE)
            && config.hpke().generateIfMissing()) {
          Optional<Key> k = ensureActiveKey(HpkeSuite.X25519_SHA256_AES128GCM);
          k.ifPresent(key -> LOG.infof("generated HPKE key %s (%s), active",
              key.keypair().config().id(), HpkeSuite.X25519_SHA256_AES128GCM));
        }
      } catch (RuntimeException ex) {
        LOG.error("loading HPKE keys failed", ex);
      }
    }, "hpke-keys-init");
    t.start();
    try {
      t.join();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  @Scheduled(every = "${pando.hpke.refresh-interval:PT60S}", delayed = "PT10S",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    reload();
  }

  /** Reloads every key from the datastore. */
  public void reload() {
    List<HpkeKeyEntity> rows = HibernateReactive.await(() -> Panache.withSession(
        () -> HpkeKeyEntity.<HpkeKeyEntity>listAll()));
    Map<Integer, Key> m = new TreeMap<>();
    for (HpkeKeyEntity row : rows) {
      try {
        HpkeConfig cfg = HpkeConfig.decode(row.config);
        byte[] sk = crypter.decrypt("hpke_keys", "private_key", new byte[] {row.configId
            .byteValue()}, row.privateKey);
        m.put(cfg.id().value(), new Key(HpkeKeypair.of(cfg, SecretBytes.copyOf(sk)),
            State.valueOf(row.state)));
      } catch (DecodeException | HpkeException | RuntimeException ex) {
        LOG.errorf("HPKE key %d is unusable: %s", row.configId, ex.getMessage());
      }
    }
    keys = Map.copyOf(m);
  }

  /** The configs to advertise: every ACTIVE key, newest config id first. */
  public List<HpkeConfig> activeConfigs() {
    List<HpkeConfig> out = new ArrayList<>();
    keys.values().stream().filter(k -> k.state == State.ACTIVE)
        .sorted(Comparator.comparingInt((Key k) -> k.keypair.config().id().value()).reversed())
        .forEach(k -> out.add(k.keypair.config()));
    return out;
  }

  /** The key pair that opens ciphertexts for this config id, in any state. */
  public Optional<HpkeKeypair> opener(HpkeConfigId id) {
    return Optional.ofNullable(keys.get(id.value())).map(Key::keypair);
  }

  /** Every key with its state. */
  public List<Key> all() {
    return List.copyOf(keys.values());
  }

  /** Generates a key under the lowest free config id and stores it. */
  public Key generate(HpkeSuite suite, State state) {
    return create(suite, state, false).orElseThrow();
  }

  /**
   * Creates an ACTIVE key unless the datastore holds one already (start-up with {@code
   * pando.hpke.generate-if-missing}): however many replicas call it at once, one key is made.
   */
  public Optional<Key> ensureActiveKey(HpkeSuite suite) {
    return create(suite, State.ACTIVE, true);
  }

  /**
   * Generates and stores a key in one transaction that holds an advisory lock on the key set,
   * so replicas creating keys at once (starting together, or two admin calls) never pick the
   * same config id, and with {@code unlessActive} only the first of them creates the first
   * ACTIVE key: the others find it and create nothing (empty).
   */
  private Optional<Key> create(HpkeSuite suite, State state, boolean unlessActive) {
    HpkeKeypair[] made = new HpkeKeypair[1];
    Boolean stored = HibernateReactive.await(() -> Panache.withTransaction(
        () -> Panache.getSession().chain(session -> session.createNativeQuery(
            "SELECT pg_advisory_xact_lock(" + KEYS_LOCK + ")::text", String.class)
            .getSingleResult())
        .chain(locked -> HpkeKeyEntity.<HpkeKeyEntity>listAll())
        .chain(rows -> {
          if (unlessActive && rows.stream().anyMatch(r -> State.ACTIVE.name().equals(r.state))) {
            return io.smallrye.mutiny.Uni.createFrom().item(false);
          }
          java.util.Set<Integer> used = new java.util.HashSet<>();
          rows.forEach(r -> used.add((int) r.configId));
          int id = 0;
          while (used.contains(id)) {
            id++;
          }
          if (id > 255) {
            throw new IllegalStateException(
                "all 256 HPKE config ids are in use; delete expired keys");
          }
          HpkeKeypair kp;
          try {
            kp = HpkeKeypair.generate(HpkeConfigId.of(id), suite);
          } catch (HpkeException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
          }
          made[0] = kp;
          HpkeKeyEntity row = new HpkeKeyEntity();
          row.configId = (short) id;
          row.config = kp.config().encode();
          row.privateKey = crypter.encrypt("hpke_keys", "private_key", new byte[] {(byte) id},
              kp.privateKey().reveal());
          row.state = state.name();
          row.stateChangedAt = OffsetDateTime.now();
          row.updatedBy = "generate-hpke-key";
          return row.persist().replaceWith(true);
        })));
    reload();
    return stored ? Optional.ofNullable(keys.get(made[0].config().id().value()))
        : Optional.empty();
  }

  /** Moves a key to another state; false if there is no such key. */
  public boolean setState(int configId, State state) {
    Boolean found = HibernateReactive.await(() -> Panache.withTransaction(
        () -> HpkeKeyEntity.<HpkeKeyEntity>findById((short) configId).map(row -> {
          if (row == null) {
            return false;
          }
          row.state = state.name();
          row.stateChangedAt = OffsetDateTime.now();
          row.updatedBy = "set-hpke-key-state";
          return true;
        })));
    reload();
    return found;
  }

  /** Deletes a key; false if there is no such key. */
  public boolean delete(int configId) {
    Boolean deleted = HibernateReactive.await(() -> Panache.withTransaction(
        () -> HpkeKeyEntity.deleteById((short) configId)));
    reload();
    return deleted;
  }
}
