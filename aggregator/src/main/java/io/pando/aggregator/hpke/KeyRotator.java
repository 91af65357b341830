package io.pando.aggregator.hpke;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.hpke.HpkeKeys.State;
import io.pando.aggregator.hpke.RotatedKeySet.Applied;
import io.pando.aggregator.hpke.RotatedKeySet.Change;
import io.pando.aggregator.hpke.RotatedKeySet.Create;
import io.pando.aggregator.hpke.RotatedKeySet.Delete;
import io.pando.aggregator.hpke.RotatedKeySet.Move;
import io.pando.aggregator.hpke.RotatedKeySet.RotatedKey;
import io.pando.aggregator.hpke.RotatedKeySet.View;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The key rotator (a process role, {@code pando.hpke.rotator.enabled}): every {@code
 * pando.hpke.rotator.interval} a pass drives each {@link RotatedKeySet} through its schedule,
 * per configured ciphersuite, in one locked transaction per set:
 *
 * <ol>
 *   <li>a suite with no ACTIVE key gets one at once: its newest PENDING key, or a new key (at
 *       bootstrap nothing was advertised yet, so there is nothing to wait for);
 *   <li>a suite with no PENDING or ACTIVE key made within {@code active-duration} gets a new
 *       PENDING key;
 *   <li>a PENDING key PENDING for {@code pending-duration} becomes ACTIVE: by then every replica
 *       and cache has learnt it, so a client that is sent it finds it known everywhere;
 *   <li>an ACTIVE key older than {@code active-duration} with a newer ACTIVE key of its suite
 *       becomes EXPIRED: no longer advertised, still opening reports sealed to it;
 *   <li>a key EXPIRED for {@code expired-duration} is deleted.
 * </ol>
 *
 * Keys of suites not configured are left to the operator, except that expired ones are deleted.
 * A suite is never left without an ACTIVE key: an ACTIVE key expires only behind a newer one.
 * Several rotators may run at once (every replica runs one): the set's lock orders their passes
 * and each decides from what the one before committed, so each step happens once. Metrics:
 * {@code pando_key_rotations_total{key_set,transition}}.
 */
@ApplicationScoped
public class KeyRotator {
  private static final Logger LOG = Logger.getLogger(KeyRotator.class);

  /** A set's schedule. */
  public record Schedule(boolean enabled, Duration pendingDuration, Duration activeDuration,
      Duration expiredDuration, List<HpkeSuite> suites) {
    public Schedule {
      suites = List.copyOf(suites);
    }

    /** The {@code pando.hpke.rotator.*} schedule. */
    public static Schedule of(PandoConfig.Rotator c) {
      return new Schedule(c.enabled(), c.pendingDuration(), c.activeDuration(),
          c.expiredDuration(), c.ciphersuites().stream().map(KeyRotator::suite).toList());
    }
  }

  private final Instance<RotatedKeySet> sets;
  private final MeterRegistry meters;
  private volatile boolean running;

  @Inject
  public KeyRotator(Instance<RotatedKeySet> sets, MeterRegistry meters) {
    this.sets = sets;
    this.meters = meters;
  }

  void onStart(@Observes StartupEvent e) {
    running = true;
  }

  void onStop(@Observes ShutdownEvent e) {
    running = false;
  }

  @Scheduled(identity = "pando-key-rotator", every = "${pando.hpke.rotator.interval:PT10M}",
      delayed = "PT30S", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!running) {
      return;
    }
    for (RotatedKeySet set : sets) {
      if (!set.schedule().enabled()) {
        continue;
      }
      try {
        pass(set);
      } catch (RuntimeException ex) {
        LOG.warnf("%s key rotation failed (the next pass carries on): %s", set.name(),
            ex.getMessage());
      }
    }
  }

  /** One pass over one set; returns what changed. */
  public List<Applied> pass(RotatedKeySet set) {
    return pass(set, set.schedule());
  }

  /** One pass over one set with the given schedule; returns what changed. */
  public List<Applied> pass(RotatedKeySet set, Schedule schedule) {
    List<Applied> applied = set.rotate(view -> plan(view, schedule));
    for (Applied a : applied) {
      meters.counter("pando_key_rotations_total", "key_set", set.name(),
          "transition", a.transition()).increment();
      LOG.infof("%s key %d (%s): %s", set.name(), a.id(), a.suite(), a.transition());
    }
    return applied;
  }

  /** What a pass changes, from what it sees (pure: the tests drive it with any clock). */
  public static List<Change> plan(View view, Schedule s) {
    Instant now = view.now();
    List<Change> out = new ArrayList<>();
    for (HpkeSuite suite : s.suites()) {
      List<RotatedKey> keys = view.keys().stream().filter(k -> k.suite().equals(suite))
          .sorted(Comparator.comparing(RotatedKey::createdAt)).toList();
      List<RotatedKey> active = new ArrayList<>(
          keys.stream().filter(k -> k.state() == State.ACTIVE).toList());
      List<RotatedKey> pending = keys.stream().filter(k -> k.state() == State.PENDING).toList();
      for (RotatedKey k : pending) {
        boolean ripe = !k.stateChangedAt().plus(s.pendingDuration()).isAfter(now);
        boolean lastHope = active.isEmpty() && k == pending.get(pending.size() - 1);
        if (ripe || lastHope) {
          out.add(new Move(k.id(), State.ACTIVE));
          active.add(k);
        }
      }
      if (active.isEmpty()) {
        out.add(new Create(suite, State.ACTIVE));
        continue;
      }
      Instant fresh = now.minus(s.activeDuration());
      boolean hasFresh = keys.stream().anyMatch(k -> k.state() != State.EXPIRED
          && k.createdAt().isAfter(fresh));
      if (!hasFresh) {
        out.add(new Create(suite, State.PENDING));
      }
      Instant newest = active.stream().map(RotatedKey::createdAt).max(Comparator.naturalOrder())
          .orElseThrow();
      for (RotatedKey k : active) {
        if (k.state() == State.ACTIVE && k.createdAt().isBefore(newest)
            && !k.createdAt().isAfter(fresh)) {
          out.add(new Move(k.id(), State.EXPIRED));
        }
      }
    }
    for (RotatedKey k : view.keys()) {
      if (k.state() == State.EXPIRED
          && !k.stateChangedAt().plus(s.expiredDuration()).isAfter(now)) {
        out.add(new Delete(k.id()));
      }
    }
    return out;
  }

  /** A key's next planned transition under the schedule, and when it is due. */
  public record Next(String to, Instant at) {}

  /**
   * The transition the rotator plans next for {@code key} among {@code all}, if any: PENDING to
   * ACTIVE, ACTIVE to EXPIRED (once a newer key is ACTIVE; estimated when none is yet), EXPIRED
   * to deleted. Whether this process runs the rotator does not matter: another replica may.
   */
  public static Optional<Next> next(RotatedKey key, List<RotatedKey> all, Schedule s) {
    boolean rotated = s.suites().contains(key.suite());
    switch (key.state()) {
      case PENDING:
        return rotated ? Optional.of(new Next("ACTIVE",
            key.stateChangedAt().plus(s.pendingDuration()))) : Optional.empty();
      case EXPIRED:
        return Optional.of(new Next("deleted", key.stateChangedAt().plus(s.expiredDuration())));
      default:
        if (!rotated) {
          return Optional.empty();
        }
        Instant old = key.createdAt().plus(s.activeDuration());
        List<RotatedKey> newer = all.stream().filter(k -> k.suite().equals(key.suite())
            && k.state() != State.EXPIRED && k.createdAt().isAfter(key.createdAt())).toList();
        Instant successor = newer.stream()
            .map(k -> k.state() == State.ACTIVE ? k.stateChangedAt()
                : k.stateChangedAt().plus(s.pendingDuration()))
            .min(Comparator.naturalOrder())
            .orElse(old.plus(s.pendingDuration()));
        return Optional.of(new Next("EXPIRED", old.isAfter(successor) ? old : successor));
    }
  }

  private static final Map<String, HpkeKemId> KEMS = Map.of(
      "X25519", HpkeKemId.X25519_HKDF_SHA256, "P256", HpkeKemId.P256_HKDF_SHA256);
  private static final Map<String, HpkeKdfId> KDFS = Map.of(
      "HKDF-SHA256", HpkeKdfId.HKDF_SHA256, "HKDF-SHA384", HpkeKdfId.HKDF_SHA384,
      "HKDF-SHA512", HpkeKdfId.HKDF_SHA512);
  private static final Map<String, HpkeAeadId> AEADS = Map.of(
      "AES128GCM", HpkeAeadId.AES_128_GCM, "AES256GCM", HpkeAeadId.AES_256_GCM,
      "CHACHA20POLY1305", HpkeAeadId.CHACHA20_POLY1305);

  /**
   * A suite by name, KEM-KDF-AEAD (RFC 9180 §7; the KEM is DHKEM over X25519 or P256 with its
   * own HKDF-SHA256): {@code X25519-HKDF-SHA256-AES128GCM}, {@code
   * P256-HKDF-SHA256-CHACHA20POLY1305}.
   */
  public static HpkeSuite suite(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    for (var kem : KEMS.entrySet()) {
      for (var kdf : KDFS.entrySet()) {
        for (var aead : AEADS.entrySet()) {
          if (n.equals(kem.getKey() + "-" + kdf.getKey() + "-" + aead.getKey())) {
            return new HpkeSuite(kem.getValue(), kdf.getValue(), aead.getValue());
          }
        }
      }
    }
    throw new IllegalArgumentException("unknown HPKE ciphersuite " + name + " (e.g. "
        + "X25519-HKDF-SHA256-AES128GCM, P256-HKDF-SHA256-AES128GCM)");
  }
}
