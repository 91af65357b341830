package io.pando.aggregator.hpke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.aggregator.hpke.HpkeKeys.State;
import io.pando.aggregator.hpke.KeyRotator.Next;
import io.pando.aggregator.hpke.KeyRotator.Schedule;
import io.pando.aggregator.hpke.RotatedKeySet.Create;
import io.pando.aggregator.hpke.RotatedKeySet.Delete;
import io.pando.aggregator.hpke.RotatedKeySet.Move;
import io.pando.aggregator.hpke.RotatedKeySet.RotatedKey;
import io.pando.aggregator.hpke.RotatedKeySet.View;
import io.pando.core.hpke.HpkeSuite;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rotator's decisions, from a hand-set clock. */
class KeyRotatorPlanTest {
  static final HpkeSuite X = HpkeSuite.X25519_SHA256_AES128GCM;
  static final HpkeSuite P = HpkeSuite.P256_SHA256_AES128GCM;
  static final Duration PENDING = Duration.ofHours(1);
  static final Duration ACTIVE = Duration.ofDays(84);
  static final Duration EXPIRED = Duration.ofDays(7);
  static final Schedule SCHEDULE = new Schedule(true, PENDING, ACTIVE, EXPIRED, List.of(X));
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static RotatedKey key(int id, HpkeSuite suite, State state, Instant created, Instant changed) {
    return new RotatedKey(id, suite, state, created, changed);
  }

  @Test
  void aSuiteWithoutKeysGetsAnActiveOneAtOnce() {
    assertEquals(List.of(new Create(X, State.ACTIVE)),
        KeyRotator.plan(new View(T0, List.of()), SCHEDULE));
  }

  @Test
  void aFullCycle() {
    RotatedKey a = key(0, X, State.ACTIVE, T0, T0);
    // Fresh: nothing to do, up to the moment it is active-duration old.
    assertEquals(List.of(), KeyRotator.plan(new View(T0.plus(ACTIVE).minusSeconds(1),
        List.of(a)), SCHEDULE));
    Instant t1 = T0.plus(ACTIVE);
    assertEquals(List.of(new Create(X, State.PENDING)),
        KeyRotator.plan(new View(t1, List.of(a)), SCHEDULE));
    RotatedKey b = key(1, X, State.PENDING, t1, t1);
    // Pending for less than the propagation delay: wait; the old key stays active.
    assertEquals(List.of(), KeyRotator.plan(new View(t1.plus(PENDING).minusSeconds(1),
        List.of(a, b)), SCHEDULE));
    Instant t2 = t1.plus(PENDING);
    assertEquals(List.of(new Move(1, State.ACTIVE), new Move(0, State.EXPIRED)),
        KeyRotator.plan(new View(t2, List.of(a, b)), SCHEDULE));
    RotatedKey aExpired = key(0, X, State.EXPIRED, T0, t2);
    RotatedKey bActive = key(1, X, State.ACTIVE, t1, t2);
    assertEquals(List.of(), KeyRotator.plan(new View(t2.plus(EXPIRED).minusSeconds(1),
        List.of(aExpired, bActive)), SCHEDULE));
    assertEquals(List.of(new Delete(0)), KeyRotator.plan(new View(t2.plus(EXPIRED),
        List.of(aExpired, bActive)), SCHEDULE));
  }

  @Test
  void theLastActiveKeyNeverExpires() {
    RotatedKey old = key(0, X, State.ACTIVE, T0, T0);
    // Long past its active duration with no successor: a successor is made, the key stays.
    assertEquals(List.of(new Create(X, State.PENDING)),
        KeyRotator.plan(new View(T0.plus(ACTIVE.multipliedBy(3)), List.of(old)), SCHEDULE));
  }

  @Test
  void aSuiteLeftWithoutAnActiveKeyPromotesItsNewestPendingKeyAtOnce() {
    RotatedKey older = key(3, X, State.PENDING, T0, T0);
    RotatedKey newer = key(4, X, State.PENDING, T0.plusSeconds(5), T0.plusSeconds(5));
    assertEquals(List.of(new Move(4, State.ACTIVE)),
        KeyRotator.plan(new View(T0.plusSeconds(10), List.of(older, newer)), SCHEDULE));
  }

  @Test
  void keysOfSuitesNotRotatedAreLeftAloneButExpiredOnesGo() {
    RotatedKey x = key(0, X, State.ACTIVE, T0, T0);
    RotatedKey pending = key(1, P, State.PENDING, T0, T0);
    RotatedKey expired = key(2, P, State.EXPIRED, T0, T0);
    assertEquals(List.of(new Delete(2)), KeyRotator.plan(new View(T0.plus(EXPIRED),
        List.of(x, pending, expired)), SCHEDULE));
  }

  @Test
  void eachConfiguredSuiteIsKeptActive() {
    Schedule both = new Schedule(true, PENDING, ACTIVE, EXPIRED, List.of(X, P));
    RotatedKey x = key(0, X, State.ACTIVE, T0, T0);
    assertEquals(List.of(new Create(P, State.ACTIVE)),
        KeyRotator.plan(new View(T0, List.of(x)), both));
  }

  @Test
  void nextTransitions() {
    RotatedKey a = key(0, X, State.ACTIVE, T0, T0);
    Instant t1 = T0.plus(ACTIVE);
    assertEquals(Optional.of(new Next("EXPIRED", t1.plus(PENDING))),
        KeyRotator.next(a, List.of(a), SCHEDULE));
    RotatedKey b = key(1, X, State.PENDING, t1, t1);
    assertEquals(Optional.of(new Next("ACTIVE", t1.plus(PENDING))),
        KeyRotator.next(b, List.of(a, b), SCHEDULE));
    RotatedKey e = key(2, X, State.EXPIRED, T0, t1);
    assertEquals(Optional.of(new Next("deleted", t1.plus(EXPIRED))),
        KeyRotator.next(e, List.of(e), SCHEDULE));
    RotatedKey p = key(3, P, State.ACTIVE, T0, T0);
    assertEquals(Optional.empty(), KeyRotator.next(p, List.of(p), SCHEDULE));
  }

  @Test
  void suitesByName() {
    assertEquals(X, KeyRotator.suite("X25519-HKDF-SHA256-AES128GCM"));
    assertEquals(HpkeSuite.P256_SHA256_CHACHA20POLY1305,
        KeyRotator.suite("p256-hkdf-sha256-chacha20poly1305"));
    assertThrows(IllegalArgumentException.class, () -> KeyRotator.suite("X25519-AES128GCM"));
  }
}
