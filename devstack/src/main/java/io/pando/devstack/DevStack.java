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
  private final LocalPostgres postgres;
  private final LocalKafka kafka;

  private DevStack(LocalPostgres postgres, LocalKafka kafka) {
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
    return new DevStack(p, k);
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
