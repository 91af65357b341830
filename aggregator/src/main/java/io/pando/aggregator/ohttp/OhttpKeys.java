package io.pando.aggregator.ohttp;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.datastore.Crypter;
import io.pando.aggregator.datastore.HibernateReactive;
import io.pando.aggregator.hpke.HpkeKeys.State;
import io.pando.aggregator.hpke.KeyRotator;
import io.pando.aggregator.hpke.KeyTable;
import io.pando.aggregator.hpke.RotatedKeySet;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The OHTTP gateway's keys (RFC 9458 §3) and their lifecycle, as {@link
 * io.pando.aggregator.hpke.HpkeKeys} keeps the HPKE keys: a key is PENDING (known to every
 * replica, not yet published), ACTIVE (published at {@code /ohttp-keys}) or EXPIRED (no longer
 * published, still opens requests until deleted). Private keys are sealed with the {@link
 * Crypter}; every replica reloads on the change feed's {@code pando_ohttp_keys} notification
 * and periodically. Every change goes through {@link #rotate}, so the {@link KeyRotator} drives
 * these keys as it drives the HPKE keys, on the {@code pando.ohttp.rotator.*} schedule.
 */
@ApplicationScoped
public class OhttpKeys implements RotatedKeySet {
  private static final Logger LOG = Logger.getLogger(OhttpKeys.class);
  static final String TABLE = "ohttp_keys";
  static final String COLUMN = "private_key";

  /** A loaded key, with its state and when that state was set. */
  public record Key(OhttpKeyPair keypair, State state, Instant createdAt,
      Instant stateChangedAt) {
    /** The key as the rotator sees it. */
    public RotatedKeySet.RotatedKey rotated() {
      return new RotatedKeySet.RotatedKey(keypair.config().keyId(),
          suiteOf(keypair.config()), state, createdAt, stateChangedAt);
    }
  }

  /** The advisory lock that serializes key creation (a 64-bit constant of our own, "ohttpKey"). */
  private static final long KEYS_LOCK = 0x6f687474704b6579L;

  private final Crypter crypter;
  private final PandoConfig config;
  private final KeyRotator.Schedule schedule;
  private final KeyTable<OhttpKeyEntity> table =
      new KeyTable<>(KEYS_LOCK, "OHTTP key ids", new Rows());
  private volatile Map<Integer, Key> keys = Map.of();

  @Inject
  public OhttpKeys(Crypter crypter, PandoConfig config) {
    this.crypter = crypter;
    this.config = config;
    KeyRotator.Schedule s = KeyRotator.Schedule.of(config.ohttp().rotator());
    this.schedule = new KeyRotator.Schedule(s.enabled() && config.ohttp().enabled(),
        s.pendingDuration(), s.activeDuration(), s.expiredDuration(), s.suites());
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
            State.valueOf(row.state), row.createdAt.toInstant(),
            row.stateChangedAt.toInstant()));
      } catch (DecodeException | HpkeException | RuntimeException ex) {
        LOG.errorf("OHTTP key %d is unusable: %s", row.keyId, ex.getMessage());
      }
    }
    keys = Map.copyOf(m);
  }

  /** A key's suite: its KEM with the first algorithm pair it offers. */
  private static HpkeSuite suiteOf(KeyConfig c) {
    return c.suite(c.algorithms().get(0));
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
    int id = create(suite, state); // before reading keys: create reloads them
    return Optional.ofNullable(keys.get(id)).orElseThrow();
  }

  /** {@link #createActiveUnlessAny}, as the loaded key. */
  public Optional<Key> ensureActiveKey(HpkeSuite suite) {
    OptionalInt id = createActiveUnlessAny(suite);
    return id.isPresent() ? Optional.ofNullable(keys.get(id.getAsInt())) : Optional.empty();
  }

  @Override
  public String name() {
    return "ohttp";
  }

  /** The {@code pando.ohttp.rotator.*} schedule, on only where the gateway is. */
  @Override
  public KeyRotator.Schedule schedule() {
    return schedule;
  }

  @Override
  public List<RotatedKeySet.RotatedKey> keys() {
    return keys.values().stream().map(Key::rotated).toList();
  }

  /** Every change runs through {@link KeyTable#rotate}, under the key set's lock. */
  @Override
  public List<RotatedKeySet.Applied> rotate(
      Function<RotatedKeySet.View, List<RotatedKeySet.Change>> decide) {
    List<RotatedKeySet.Applied> applied = table.rotate(decide);
    reload();
    return applied;
  }

  /** The ohttp_keys rows as {@link KeyTable} sees them. */
  private final class Rows implements KeyTable.Rows<OhttpKeyEntity> {
    @Override
    public Uni<List<OhttpKeyEntity>> listAll() {
      return OhttpKeyEntity.listAll();
    }

    @Override
    public int id(OhttpKeyEntity row) {
      return row.keyId;
    }

    @Override
    public Optional<HpkeSuite> suite(OhttpKeyEntity row) {
      try {
        return Optional.of(suiteOf(KeyConfig.decode(row.config)));
      } catch (DecodeException | RuntimeException ex) {
        return Optional.empty();
      }
    }

    @Override
    public State state(OhttpKeyEntity row) {
      return State.valueOf(row.state);
    }

    @Override
    public Instant createdAt(OhttpKeyEntity row) {
      return row.createdAt.toInstant();
    }

    @Override
    public Instant stateChangedAt(OhttpKeyEntity row) {
      return row.stateChangedAt.toInstant();
    }

    @Override
    public OhttpKeyEntity create(int id, HpkeSuite suite, State state, OffsetDateTime now) {
      OhttpKeyPair kp;
      try {
        kp = OhttpKeyPair.generate(id, suite);
      } catch (HpkeException ex) {
        throw new IllegalArgumentException(ex.getMessage(), ex);
      }
      OhttpKeyEntity row = new OhttpKeyEntity();
      row.keyId = (short) id;
      row.config = kp.config().encode();
      row.privateKey = crypter.encrypt(TABLE, COLUMN, aad(id), kp.privateKey().reveal());
      row.state = state.name();
      row.createdAt = now;
      row.stateChangedAt = now;
      row.updatedBy = "create-ohttp-key";
      return row;
    }

    @Override
    public void setState(OhttpKeyEntity row, State state, OffsetDateTime now) {
      row.state = state.name();
      row.stateChangedAt = now;
      row.updatedBy = "set-ohttp-key-state";
    }

    @Override
    public Uni<Void> persist(OhttpKeyEntity row) {
      return row.persist().replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(OhttpKeyEntity row) {
      return row.delete();
    }
  }

  /** Reloads on a change notification, when the gateway is on (ChangeFeed). */
  public void onChange() {
    if (config.ohttp().enabled()) {
      reload();
    }
  }

}
