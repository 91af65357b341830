package io.pando.devstack;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * PostgreSQL and Kafka together, started in parallel. With a root directory, PostgreSQL lives in
 * {@code root/postgres} and Kafka in {@code root/kafka}, and both keep their data across restarts.
 */
public final class DevStack implements AutoCloseable {
  private final Path root;
  private volatile LocalPostgres postgres;
  private volatile LocalKafka kafka;

  private DevStack(Path root, LocalPostgres postgres, LocalKafka kafka) {
    this.root = root;
    this.postgres = postgres;
    this.kafka = kafka;
  }

  /** Starts both on free ports; {@code root} null means temporary data. */
  public static DevStack start(Path root) {
    return start(root, 0, 0);
  }

  /** Starts both; a port of 0 means a free one, {@code root} null means temporary data. */
  public static DevStack start(Path root, int postgresPort, int kafkaPort) {
    Path pgDir = root == null ? null : root.resolve("postgres");
    Path kafkaDir = root == null ? null : root.resolve("kafka");
    CompletableFuture<LocalPostgres> pg = async("devstack-postgres",
        () -> LocalPostgres.start(pgDir, postgresPort));
    CompletableFuture<LocalKafka> kafka = async("devstack-kafka",
        () -> LocalKafka.start(kafkaDir, kafkaPort));
    RuntimeException failure = null;
    LocalPostgres p = null;
    LocalKafka k = null;
    try {
      p = pg.join();
    } catch (CompletionException e) {
      failure = unwrap(e);
    }
    try {
      k = kafka.join();
    } catch (CompletionException e) {
      RuntimeException f = unwrap(e);
      if (failure == null) {
        failure = f;
      } else {
        failure.addSuppressed(f);
      }
    }
    if (failure != null) {
      if (p != null) {
        p.close();
      }
      if (k != null) {
        k.close();
      }
      throw failure;
    }
    return new DevStack(root, p, k);
  }

  private void requirePersistent() {
    if (root == null) {
      throw new IllegalStateException("a crashed server can only be started again on a "
          + "persistent root directory");
    }
  }

  /**
   * SIGKILL of the postmaster: what a crash of the database server looks like (its backends
   * exit when they notice). Start it again with {@link #startPostgres}; its data survive.
   */
  public synchronized void crashPostgres() {
    requirePersistent();
    LocalPostgres pg = postgres;
    ProcessHandle postmaster = ProcessHandle.of(pg.pid()).orElseThrow(
        () -> new IllegalStateException("PostgreSQL is not running"));
    java.util.List<ProcessHandle> backends = postmaster.descendants().toList();
    postmaster.destroyForcibly();
    // The backends exit once they notice; only then is the data directory free, and its
    // postmaster.pid (which pg_ctl would otherwise warn about) stale.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while ((postmaster.isAlive() || backends.stream().anyMatch(ProcessHandle::isAlive))
        && System.nanoTime() < deadline) {
      sleep(100);
    }
    try {
      java.nio.file.Files.deleteIfExists(root.resolve("postgres").resolve(DataDir.PG_PID));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    pg.abandon();
  }

  /** Starts PostgreSQL again on its data and port after {@link #crashPostgres}. */
  public synchronized void startPostgres() {
    requirePersistent();
    int port = postgres.port();
    RuntimeException last = null;
    // Backends of the killed postmaster may hold its shared memory for a moment.
    for (int attempt = 0; attempt < 30; attempt++) {
      try {
        postgres = LocalPostgres.start(root.resolve("postgres"), port);
        return;
      } catch (RuntimeException e) {
        last = e;
        sleep(1000);
      }
    }
    throw last;
  }

  /** SIGKILL of the broker. Start it again with {@link #startKafka}; its log survives. */
  public synchronized void crashKafka() {
    requirePersistent();
    LocalKafka k = kafka;
    ProcessHandle.of(k.pid()).ifPresent(ProcessHandle::destroyForcibly);
    k.close();
  }

  /** Starts the broker again on its data and port after {@link #crashKafka}. */
  public synchronized void startKafka() {
    requirePersistent();
    int port = kafka.port();
    RuntimeException last = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      try {
        kafka = LocalKafka.start(root.resolve("kafka"), port);
        return;
      } catch (RuntimeException e) {
        last = e;
        sleep(1000);
      }
    }
    throw last;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static <T> CompletableFuture<T> async(String name, Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(task.get());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, name);
    t.start();
    return f;
  }

  private static RuntimeException unwrap(CompletionException e) {
    Throwable c = e.getCause();
    if (c instanceof RuntimeException) {
      return (RuntimeException) c;
    }
    if (c instanceof Error) {
      throw (Error) c;
    }
    return e;
  }

  /** The PostgreSQL server. */
  public LocalPostgres postgres() {
    return postgres;
  }

  /** The Kafka broker. */
  public LocalKafka kafka() {
    return kafka;
  }

  /** Stops both, in parallel. */
  @Override
  public void close() {
    CompletableFuture<Void> k = async("devstack-kafka-stop", () -> {
      kafka.close();
      return null;
    });
    try {
      postgres.close();
    } finally {
      k.join();
    }
  }
}
