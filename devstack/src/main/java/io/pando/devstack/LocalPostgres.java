package io.pando.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server on 127.0.0.1, from the zonky embedded binaries (PostgreSQL 18).
 *
 * <p>Layout of the root directory: {@code pgdata/} (the cluster), {@code postgres.log} (server
 * output) and {@code devstack.lock}. An initialised {@code pgdata/} is reused, so data survives a
 * restart on the same root. Authentication is {@code trust} for user {@link #user()}; any
 * password is accepted.
 *
 * <p>As root, zonky runs {@code initdb}, {@code pg_ctl} and {@code postgres} under
 * {@code unshare -U}, which needs unprivileged user namespaces.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final String USER = "postgres";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final DataDir dir;
  private final EmbeddedPostgres pg;
  private final int port;
  private final Path log;
  private final Thread hook;
  private boolean closed;

  private LocalPostgres(DataDir dir, EmbeddedPostgres pg, int port, Path log) {
    this.dir = dir;
    this.pg = pg;
    this.port = port;
    this.log = log;
    this.hook = new Thread(this::close, "local-postgres-stopper");
  }

  /**
   * Starts a server. {@code dataDir} null means a temporary root deleted on {@link #close()};
   * {@code port} 0 means a free port.
   */
  public static LocalPostgres start(Path dataDir, int port) {
    DataDir dir = DataDir.open(dataDir, "pg");
    try {
      int p = Ports.choose(port, "PostgreSQL");
      Path pgdata = dir.root().resolve("pgdata");
      Path log = dir.root().resolve("postgres.log");
      ProcessBuilder.Redirect out = ProcessBuilder.Redirect.appendTo(log.toFile());
      long logStart = size(log);
      FailureWatch watch = new FailureWatch(log, logStart, Thread.currentThread());
      EmbeddedPostgres pg = null;
      RuntimeException failure = null;
      watch.start();
      try {
        pg = EmbeddedPostgres.builder()
            .setDataDirectory(pgdata)
            .setCleanDataDirectory(false)
            .setPort(p)
            .setServerConfig("listen_addresses", Ports.HOST)
            // The library turns synchronous_commit off, so a crash of the server loses commits
            // it has acknowledged (found by `pando chaos`). PostgreSQL's own default: a commit
            // is durable once acknowledged, which a 201 for an upload promises.
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("unix_socket_directories", "")
            .setLocaleConfig("locale", "C")
            .setPGStartupWait(STARTUP_WAIT)
            .setRegisterShutdownHook(false)
            .setOutputRedirector(out)
            .setErrorRedirector(out)
            .start();
      } catch (IOException | RuntimeException e) {
        failure = new IllegalStateException(e.getMessage(), e);
      } finally {
        watch.finish();
      }
      if (watch.failed() != null) {
        failure = new IllegalStateException("pg_ctl reported: " + watch.failed(),
            failure == null ? null : failure.getCause());
      }
      if (failure != null) {
        String tail = DataDir.tail(log, 30);
        if (pg != null) {
          closeQuietly(pg);
        }
        throw new IllegalStateException("PostgreSQL failed to start on " + Ports.HOST + ":" + p
            + " with data in " + pgdata + ": " + failure.getMessage() + "\n" + tail,
            failure.getCause());
      }
      LocalPostgres local = new LocalPostgres(dir, pg, p, log);
      Runtime.getRuntime().addShutdownHook(local.hook);
      return local;
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  private static long size(Path f) {
    try {
      return Files.isRegularFile(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException | RuntimeException e) {
      // Already failed; the original error is what matters.
    }
  }

  /**
   * Watches the server output during startup. zonky waits for a connection until its timeout even
   * when {@code pg_ctl} has already given up; a {@code pg_ctl: } line means it has, so the watch
   * interrupts the starting thread, which makes zonky stop waiting.
   */
  private static final class FailureWatch extends Thread {
    private final Path log;
    private final Thread starter;
    private long offset;
    private volatile boolean done;
    private volatile String failed;

    FailureWatch(Path log, long offset, Thread starter) {
      super("local-postgres-watch");
      setDaemon(true);
      this.log = log;
      this.offset = offset;
      this.starter = starter;
    }

    String failed() {
      return failed;
    }

    @Override
    public void run() {
      StringBuilder pending = new StringBuilder();
      while (!done && failed == null) {
        try (SeekableByteChannel ch = Files.newByteChannel(log)) {
          if (ch.size() > offset) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size() - offset, 1 << 16));
            ch.position(offset);
            offset += ch.read(buf);
            pending.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            int nl;
            while ((nl = pending.indexOf("\n")) >= 0) {
              String line = pending.substring(0, nl);
              pending.delete(0, nl + 1);
              if (line.startsWith("pg_ctl: ")) {
                failed = line;
                synchronized (this) {
                  if (!done) {
                    starter.interrupt();
                  }
                }
              }
            }
          }
        } catch (IOException e) {
          // Not written yet.
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** Stops watching and clears an interrupt this watch may have caused. */
    void finish() {
      synchronized (this) {
        done = true;
      }
      interrupt();
      if (failed != null) {
        Thread.interrupted();
      }
    }
  }

  /** The TCP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The superuser name (trust authentication, no password needed). */
  public String user() {
    return USER;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/database}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + Ports.HOST + ":" + port + "/" + database;
  }

  /** The Vert.x reactive client form, {@code postgresql://127.0.0.1:PORT/database}. */
  public String reactiveUrl(String database) {
    return "postgresql://" + Ports.HOST + ":" + port + "/" + database;
  }

  /** The root directory (cluster in {@code pgdata/}, server output in {@code postgres.log}). */
  public Path dataDir() {
    return dir.root();
  }

  /** The postmaster's process id (first line of {@code pgdata/postmaster.pid}). */
  public long pid() {
    try {
      return Long.parseLong(Files.readAllLines(dir.root().resolve(DataDir.PG_PID)).get(0)
          .trim());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("no postmaster.pid under " + dir.root(), e);
    }
  }

  /** The server's output file. */
  public Path logFile() {
    return log;
  }

  /** Opens a JDBC connection to {@code database} as {@link #user()}. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, "");
  }

  /** Creates {@code name} unless it exists. */
  public void createDatabase(String name) {
    try (Connection c = connect("postgres")) {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      if ("42P04".equals(e.getSQLState())) {
        return; // Created concurrently.
      }
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Forgets a server that was killed: releases the data directory's lock without trying to stop
   * it (there is nothing left to stop), so that {@link #start} may open the directory again.
   */
  public synchronized void abandon() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutdown in progress.
    }
    // pg_ctl stop finds no server; what matters is that the library lets go of its lock on the
    // data directory.
    closeQuietly(pg);
    dir.close();
  }

  /** Stops the server (fast shutdown) and deletes a temporary root. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutdown in progress: this is the hook, or it runs concurrently and waits on this lock.
    }
    try {
      pg.close();
    } catch (IOException e) {
      System.err.println("devstack: stopping PostgreSQL failed: " + e);
    } finally {
      dir.close();
    }
  }

  @Override
  public String toString() {
    return "LocalPostgres[" + Ports.HOST + ":" + port + ", " + dir.root() + "]";
  }
}
