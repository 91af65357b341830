package io.pando.aggregator.hpke;

import io.pando.aggregator.datastore.HibernateReactive;
import io.pando.aggregator.hpke.HpkeKeys.State;
import io.pando.core.hpke.HpkeSuite;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The one way a table of rotated keys ({@code hpke_keys}, {@code ohttp_keys}) changes: {@link
 * #rotate} runs a {@link RotatedKeySet} decision in one transaction that first takes the table's
 * advisory lock, so that whoever waited for the lock reads, in the next statements, what the
 * holder before it committed (READ COMMITTED takes a snapshot per statement); then reads the
 * database's clock and the rows, decides, and applies the changes stamped with that clock.
 * Replicas changing keys at once thus never pick the same id, and never both make a key only one
 * of them should.
 *
 * @param <R> the table's entity
 */
public final class KeyTable<R> {
  /** What a key table's rows are to the rotation. */
  public interface Rows<R> {
    Uni<List<R>> listAll();

    int id(R row);

    /** The row's suite, empty if its stored config no longer decodes. */
    Optional<HpkeSuite> suite(R row);

    State state(R row);

    Instant createdAt(R row);

    Instant stateChangedAt(R row);

    /** A new row (not yet persisted) holding a fresh key pair under {@code id}. */
    R create(int id, HpkeSuite suite, State state, OffsetDateTime now);

    void setState(R row, State state, OffsetDateTime now);

    Uni<Void> persist(R row);

    Uni<Void> delete(R row);
  }

  private final long lock;
  private final String what;
  private final Rows<R> rows;

  /**
   * @param lock the table's advisory lock (a 64-bit constant of our own)
   * @param what the keys' name in errors ("HPKE config ids")
   */
  public KeyTable(long lock, String what, Rows<R> rows) {
    this.lock = lock;
    this.what = what;
    this.rows = rows;
  }

  /** See {@link RotatedKeySet#rotate}. */
  public List<RotatedKeySet.Applied> rotate(
      Function<RotatedKeySet.View, List<RotatedKeySet.Change>> decide) {
    return HibernateReactive.await(() -> Panache.withTransaction(
        () -> Panache.getSession().chain(session -> session.createNativeQuery(
            "SELECT pg_advisory_xact_lock(" + lock + ")::text", String.class)
            .getSingleResult()
            .chain(locked -> session.createNativeQuery(
                "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint",
                Long.class).getSingleResult()))
        .chain(micros -> rows.listAll().chain(all -> {
          Instant now = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
          Map<Integer, R> byId = new TreeMap<>();
          List<RotatedKeySet.RotatedKey> seen = new ArrayList<>();
          for (R row : all) {
            byId.put(rows.id(row), row);
            rows.suite(row).ifPresent(suite -> seen.add(new RotatedKeySet.RotatedKey(
                rows.id(row), suite, rows.state(row), rows.createdAt(row),
                rows.stateChangedAt(row))));
          }
          List<RotatedKeySet.Change> changes = decide.apply(
              new RotatedKeySet.View(now, List.copyOf(seen)));
          List<RotatedKeySet.Applied> out = new ArrayList<>();
          Uni<Void> chain = Uni.createFrom().voidItem();
          OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
          for (RotatedKeySet.Change c : changes) {
            chain = chain.chain(() -> apply(c, byId, at, out));
          }
          return chain.replaceWith(out);
        }))));
  }

  private Uni<Void> apply(RotatedKeySet.Change change, Map<Integer, R> byId, OffsetDateTime now,
      List<RotatedKeySet.Applied> out) {
    if (change instanceof RotatedKeySet.Create c) {
      int id = 0;
      while (byId.containsKey(id)) {
        id++;
      }
      if (id > 255) {
        throw new IllegalStateException("all 256 " + what + " are in use; delete expired keys");
      }
      R row = rows.create(id, c.suite(), c.state(), now);
      byId.put(id, row);
      out.add(new RotatedKeySet.Applied(id, c.suite(), null, c.state()));
      return rows.persist(row);
    }
    if (change instanceof RotatedKeySet.Move m) {
      R row = byId.get(m.id());
      if (row == null || rows.state(row) == m.to()) {
        return Uni.createFrom().voidItem();
      }
      out.add(new RotatedKeySet.Applied(m.id(), rows.suite(row).orElse(null), rows.state(row),
          m.to()));
      rows.setState(row, m.to(), now);
      return Uni.createFrom().voidItem();
    }
    RotatedKeySet.Delete d = (RotatedKeySet.Delete) change;
    R row = byId.remove(d.id());
    if (row == null) {
      return Uni.createFrom().voidItem();
    }
    out.add(new RotatedKeySet.Applied(d.id(), rows.suite(row).orElse(null), rows.state(row),
        null));
    return rows.delete(row);
  }
}
