package io.pando.aggregator.datastore;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Re-seals stored values under the first datastore key after a key rotation. Rotating is: put a
 * new key first in {@code pando.datastore-keys} and keep the old ones after it; every replica then
 * encrypts with the new key and still decrypts with all. While more than one key is configured,
 * every {@code pando.reseal.interval} a sweep walks each {@link SealedColumn} in primary-key
 * order, in transactions of at most {@code pando.reseal.batch-size} rows locked {@code FOR
 * UPDATE}, and re-encrypts the values an older key opens. After a sweep that found none, the
 * gauge {@code pando_datastore_reseal_done} is 1 and a log line says the older keys may go (once
 * every replica runs with the new first key). Counters: {@code pando_datastore_resealed_total
 * {column}}, and {@code pando_datastore_reseal_unopenable_total{column}} for values no key
 * opens (logged with their row key). Sweeps on several replicas at once are safe: a row is
 * re-sealed under its lock.
 */
@ApplicationScoped
public class Resealer {
  private static final Logger LOG = Logger.getLogger(Resealer.class);

  private final Datastore datastore;
  private final Crypter crypter;
  private final MeterRegistry meters;
  private final PandoConfig.Reseal config;
  private final AtomicInteger done = new AtomicInteger();

  @Inject
  public Resealer(Datastore datastore, Crypter crypter, MeterRegistry meters,
      PandoConfig config) {
    this.datastore = datastore;
    this.crypter = crypter;
    this.meters = meters;
    this.config = config.reseal();
    meters.gauge("pando_datastore_reseal_done", done);
  }

  @Scheduled(identity = "pando-reseal", every = "${pando.reseal.interval:PT10M}",
      delayed = "PT30S", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!config.enabled() || done.get() == 1) {
      return;
    }
    if (crypter.keyCount() == 1) {
      done.set(1);
      return;
    }
    try {
      long n = sweep();
      if (n == 0) {
        done.set(1);
        LOG.infof("every stored value is sealed under the first datastore key: the other %d "
            + "key(s) may be removed once every replica encrypts with the first",
            crypter.keyCount() - 1);
      } else {
        LOG.infof("re-sealed %d stored value(s) under the first datastore key", n);
      }
    } catch (RuntimeException e) {
      LOG.warnf("re-sealing sweep failed (the next one carries on): %s", e.getMessage());
    }
  }

  /** One sweep over every sealed column; returns how many values it re-sealed. */
  public long sweep() {
    long total = 0;
    for (SealedColumn c : SealedColumn.ALL) {
      total += sweep(c);
    }
    return total;
  }

  private long sweep(SealedColumn c) {
    int batch = Math.max(1, config.batchSize());
    List<Object> cursor = null;
    long resealed = 0;
    while (true) {
      List<Object> after = cursor;
      Slice s = datastore.inTransaction("reseal-" + c.table(), tx -> slice(tx, c, after, batch));
      resealed += s.resealed();
      if (s.resealed() > 0) {
        meters.counter("pando_datastore_resealed_total", "column", c.name())
            .increment(s.resealed());
      }
      if (s.rows() < batch) {
        return resealed;
      }
      cursor = s.last();
    }
  }

  private record Slice(int rows, int resealed, List<Object> last) {}

  /** Locks the next rows after {@code after} and re-seals those an older key sealed. */
  private Slice slice(Tx tx, SealedColumn c, List<Object> after, int batch) {
    String keys = String.join(", ", c.key());
    List<Object> args = new ArrayList<>();
    String from = "";
    if (after != null) {
      from = " AND (" + keys + ") > (" + placeholders(1, after.size()) + ")";
      args.addAll(after);
    }
    args.add(batch);
    List<Row> rows = new ArrayList<>();
    tx.query("SELECT " + keys + ", " + c.column() + " FROM " + c.table()
        + " WHERE (" + c.sealedWhere() + ")" + from + " ORDER BY " + keys
        + " LIMIT $" + args.size() + " FOR UPDATE", Tuple.tuple(args)).forEach(rows::add);
    int resealed = 0;
    List<Object> last = null;
    for (Row row : rows) {
      last = new ArrayList<>();
      for (String k : c.key()) {
        last.add(row.getValue(k));
      }
      byte[] aad = c.aadRow().apply(row);
      Crypter.Opened opened;
      try {
        opened = crypter.open(c.table(), c.column(), aad, Tx.bytes(row, c.column()));
      } catch (IllegalStateException e) {
        // No configured key opens it: nothing to re-seal, and a sweep must not stop on it.
        meters.counter("pando_datastore_reseal_unopenable_total", "column", c.name())
            .increment();
        LOG.errorf("%s at %s: %s", c.name(), describe(last), e.getMessage());
        continue;
      }
      if (opened.underFirstKey()) {
        continue;
      }
      List<Object> update = new ArrayList<>();
      update.add(Tx.buf(crypter.encrypt(c.table(), c.column(), aad, opened.plaintext())));
      update.addAll(last);
      tx.query("UPDATE " + c.table() + " SET " + c.column() + " = $1 WHERE ("
          + keys + ") = (" + placeholders(2, c.key().size()) + ")", Tuple.tuple(update));
      resealed++;
    }
    return new Slice(rows.size(), resealed, last);
  }

  /** A row's key for a log line, bytea columns in hex. */
  private static String describe(List<Object> key) {
    return key.stream().map(v -> v instanceof io.vertx.core.buffer.Buffer b
        ? java.util.HexFormat.of().formatHex(b.getBytes()) : String.valueOf(v))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String placeholders(int first, int n) {
    return IntStream.range(first, first + n).mapToObj(i -> "$" + i)
        .collect(Collectors.joining(", "));
  }
}
