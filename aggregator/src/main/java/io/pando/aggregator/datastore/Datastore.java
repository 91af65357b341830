package io.pando.aggregator.datastore;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The one entry point to the data plane's PostgreSQL:
 * {@code datastore.inTransaction("put-reports", tx -> ...)}. The body runs in a REPEATABLE READ
 * transaction on the calling (worker) thread and is re-run from the start on a serialization
 * failure or deadlock (SQLSTATE 40001, 40P01), so it must be idempotent apart from its database
 * effects. SQL lives only in this package, behind the typed stores {@link Tx} hands out.
 *
 * <p>Transactions are timed per name ({@code pando_datastore_transaction_seconds}) and retries
 * counted ({@code pando_datastore_transaction_retries_total}).
 */
@ApplicationScoped
public class Datastore {
  private static final Logger LOG = Logger.getLogger(Datastore.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_RETRIES = 50;

  private final Pool pool;
  private final Crypter crypter;
  private final MeterRegistry meters;

  @Inject
  public Datastore(Pool pool, Crypter crypter, MeterRegistry meters) {
    this.pool = pool;
    this.crypter = crypter;
    this.meters = meters;
  }

  /** A transaction body. */
  @FunctionalInterface
  public interface TxBody<T> {
    T run(Tx tx);
  }

  /** Runs {@code body} in a transaction named {@code name}, retrying serialization failures. */
  public <T> T inTransaction(String name, TxBody<T> body) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("datastore transactions block: call from a worker thread");
    }
    Timer.Sample sample = Timer.start(meters);
    String outcome = "error";
    try {
      for (int attempt = 0; ; attempt++) {
        SqlConnection conn = pool.getConnection().await().atMost(TIMEOUT);
        Transaction txn = null;
        try {
          txn = conn.begin().await().atMost(TIMEOUT);
          conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
              .await().atMost(TIMEOUT);
          T result = body.run(new Tx(conn, name, crypter));
          txn.commit().await().atMost(TIMEOUT);
          outcome = "committed";
          return result;
        } catch (RuntimeException e) {
          rollbackQuietly(txn);
          if (isRetryable(e) && attempt < MAX_RETRIES) {
            meters.counter("pando_datastore_transaction_retries_total", "tx", name).increment();
            LOG.debugf("transaction %s: retrying after %s", name, e.getMessage());
            continue;
          }
          throw e;
        } finally {
          conn.close().await().atMost(TIMEOUT);
        }
      }
    } finally {
      sample.stop(meters.timer("pando_datastore_transaction_seconds", "tx", name,
          "outcome", outcome));
    }
  }

  private static void rollbackQuietly(Transaction txn) {
    if (txn == null) {
      return;
    }
    try {
      txn.rollback().await().atMost(TIMEOUT);
    } catch (RuntimeException ignored) {
      // The connection is closed next; PostgreSQL rolls back an abandoned transaction.
    }
  }

  static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        return "40001".equals(state) || "40P01".equals(state);
      }
    }
    return false;
  }
}
