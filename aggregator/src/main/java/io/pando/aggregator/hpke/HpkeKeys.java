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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The deployment's global HPKE keys (DAP-09 §4.4.1) and their rotation: a key is PENDING (known to
 * every replica, not yet advertised), ACTIVE (advertised at {@code /hpke_config}) or EXPIRED (no
 * longer advertised, still decrypts until deleted). Every replica reloads the keys when the
 * {@link io.pando.aggregator.datastore.ChangeFeed} reports a change, and periodically. Every
 * change (start-up creation, the admin API, the {@link KeyRotator}) goes through {@link #rotate}.
 * Gauge: {@code pando_hpke_keys{state}}.
 */
@ApplicationScoped
public class HpkeKeys implements RotatedKeySet {
  private static final Logger LOG = Logger.getLogger(HpkeKeys.class);

  /** A key's rotation state. */
  public enum State {
    PENDING,
    ACTIVE,
    EXPIRED
  }

  /** A loaded key, with when it was made and last changed state (database clock). */
  public record Key(HpkeKeypair keypair, State state, Instant createdAt,
      Instant stateChangedAt) {
    /** The key as the rotator sees it. */
    public RotatedKeySet.RotatedKey rotated() {
      return new RotatedKeySet.RotatedKey(keypair.config().id().value(),
          HpkeSuite.of(keypair.config()), state, createdAt, stateChangedAt);
    }
  }

  /** The advisory lock (any 64-bit constant of our own) that serializes key changes. */
  private static final long KEYS_LOCK = 0x70616e646f4b6579L;

  private final Crypter crypter;
  private final PandoConfig config;
  private final KeyRotator.Schedule schedule;
  private final KeyTable<HpkeKeyEntity> table =
      new KeyTable<>(KEYS_LOCK, "HPKE config ids", new Rows());
  private volatile Map<Integer, Key> keys = Map.of();

  @Inject
  public HpkeKeys(Crypter crypter, PandoConfig config, MeterRegistry meters) {
    this.crypter = crypter;
    this.config = config;
    this.schedule = KeyRotator.Schedule.of(config.hpke().rotator());
    for (State s : State.values()) {
      meters.gauge("pando_hpke_keys", Tags.of("state", s.name()), this,
          k -> k.keys.values().stream().filter(key -> key.state == s).count());
    }
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
            State.valueOf(row.state), row.createdAt.toInstant(),
            row.stateChangedAt.toInstant()));
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
    return "hpke";
  }

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

  /** The hpke_keys rows as {@link KeyTable} sees them. */
  private final class Rows implements KeyTable.Rows<HpkeKeyEntity> {
    @Override
    public Uni<List<HpkeKeyEntity>> listAll() {
      return HpkeKeyEntity.listAll();
    }

    @Override
    public int id(HpkeKeyEntity row) {
      return row.configId;
    }

    @Override
    public Optional<HpkeSuite> suite(HpkeKeyEntity row) {
      return suiteOf(row);
    }

    @Override
    public State state(HpkeKeyEntity row) {
      return State.valueOf(row.state);
    }

    @Override
    public Instant createdAt(HpkeKeyEntity row) {
      return row.createdAt.toInstant();
    }

    @Override
    public Instant stateChangedAt(HpkeKeyEntity row) {
      return row.stateChangedAt.toInstant();
    }

    @Override
    public HpkeKeyEntity create(int id, HpkeSuite suite, State state, OffsetDateTime now) {
      HpkeKeypair kp;
      try {
        kp = HpkeKeypair.generate(HpkeConfigId.of(id), suite);
      } catch (HpkeException ex) {
        throw new IllegalArgumentException(ex.getMessage(), ex);
      }
      HpkeKeyEntity row = new HpkeKeyEntity();
      row.configId = (short) id;
      row.config = kp.config().encode();
      row.privateKey = crypter.encrypt("hpke_keys", "private_key", new byte[] {(byte) id},
          kp.privateKey().reveal());
      row.state = state.name();
      row.createdAt = now;
      row.stateChangedAt = now;
      row.updatedBy = "create-hpke-key";
      return row;
    }

    @Override
    public void setState(HpkeKeyEntity row, State state, OffsetDateTime now) {
      row.state = state.name();
      row.stateChangedAt = now;
      row.updatedBy = "set-hpke-key-state";
    }

    @Override
    public Uni<Void> persist(HpkeKeyEntity row) {
      return row.persist().replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(HpkeKeyEntity row) {
      return row.delete();
    }
  }

  private static Optional<HpkeSuite> suiteOf(HpkeKeyEntity row) {
    try {
      return Optional.of(HpkeSuite.of(HpkeConfig.decode(row.config)));
    } catch (DecodeException | RuntimeException ex) {
      return Optional.empty();
    }
  }
}
