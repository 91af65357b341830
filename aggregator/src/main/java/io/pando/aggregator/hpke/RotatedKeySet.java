package io.pando.aggregator.hpke;

import io.pando.core.hpke.HpkeSuite;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A set of keys with the rotation states PENDING, ACTIVE and EXPIRED, as the {@link KeyRotator}
 * drives it. An implementation runs each {@link #rotate} in one database transaction that holds
 * the set's advisory lock, so that rotators on several replicas decide one after another, each
 * seeing what the one before it committed, with the database's clock.
 */
public interface RotatedKeySet {
  /** The set's name in logs and metrics ({@code hpke}). */
  String name();

  /** The schedule the rotator follows for this set. */
  KeyRotator.Schedule schedule();

  /** One key: its config id, suite, state, and when it was made and last changed state. */
  record RotatedKey(int id, HpkeSuite suite, HpkeKeys.State state, Instant createdAt,
      Instant stateChangedAt) {}

  /** What a decision sees: the database's time and every key, read under the lock. */
  record View(Instant now, List<RotatedKey> keys) {}

  /** A change to the set. */
  sealed interface Change {}

  /** Make a key of this suite in this state (under the lowest free config id). */
  record Create(HpkeSuite suite, HpkeKeys.State state) implements Change {}

  /** Move a key to another state. */
  record Move(int id, HpkeKeys.State to) implements Change {}

  /** Delete a key. */
  record Delete(int id) implements Change {}

  /** A change made: {@code from} is null for a new key, {@code to} null for a deleted one. */
  record Applied(int id, HpkeSuite suite, HpkeKeys.State from, HpkeKeys.State to) {
    /** The transition's name in metrics: {@code PENDING->ACTIVE}, {@code none->PENDING}. */
    public String transition() {
      return (from == null ? "none" : from.name()) + "->" + (to == null ? "deleted" : to.name());
    }
  }

  /**
   * In one transaction holding the set's lock: reads the database time and the keys, asks
   * {@code decide} what to change, makes those changes, commits; returns what was changed. A
   * {@link Move} or {@link Delete} of a key that is not there is skipped.
   */
  List<Applied> rotate(Function<View, List<Change>> decide);

  /** The keys as this replica last loaded them (for metrics and the admin API). */
  List<RotatedKey> keys();

  /** Makes a key of {@code suite} in {@code state} under the lowest free id; its id. */
  default int create(HpkeSuite suite, HpkeKeys.State state) {
    return rotate(v -> List.of(new Create(suite, state))).get(0).id();
  }

  /**
   * Makes an ACTIVE key unless the set holds one already (start-up): however many replicas call
   * it at once, one key is made, since each decides under the set's lock from what the ones
   * before it committed. The new key's id, or empty.
   */
  default OptionalInt createActiveUnlessAny(HpkeSuite suite) {
    List<Applied> made = rotate(v -> v.keys().stream()
        .anyMatch(k -> k.state() == HpkeKeys.State.ACTIVE) ? List.of()
        : List.of(new Create(suite, HpkeKeys.State.ACTIVE)));
    return made.isEmpty() ? OptionalInt.empty() : OptionalInt.of(made.get(0).id());
  }

  /** Moves a key to another state; false if there is no such key. */
  default boolean setState(int id, HpkeKeys.State state) {
    return !rotate(v -> List.of(new Move(id, state))).isEmpty()
        || keys().stream().anyMatch(k -> k.id() == id && k.state() == state);
  }

  /** Deletes a key; false if there is no such key. */
  default boolean delete(int id) {
    return !rotate(v -> List.of(new Delete(id))).isEmpty();
  }
}
