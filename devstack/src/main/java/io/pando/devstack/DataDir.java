package io.pando.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A server's root directory and the lock that says a live JVM owns it.
 *
 * <p>The owner holds an OS file lock on {@code devstack.lock} for the server's lifetime. The OS
 * drops the lock when the owner dies, even by SIGKILL, so a lockable directory with a running
 * server in it holds a stale server that may be stopped.
 */
final class DataDir implements AutoCloseable {
  static final String LOCK_FILE = "devstack.lock";
  /** Postmaster pid file, inside the PostgreSQL data directory. */
  static final String PG_PID = "pgdata/postmaster.pid";
  /** Pid of the Kafka child process, written by its parent. */
  static final String KAFKA_PID = "kafka.pid";

  private static final Duration SWEEP_MIN_AGE = Duration.ofMinutes(1);

  private final Path root;
  private final boolean temporary;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDir(Path root, boolean temporary, FileChannel channel, FileLock lock) {
    this.root = root;
    this.temporary = temporary;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Parent of this user's temporary server directories. One per user: another user's directory
   * in a shared {@code /tmp} is not writable, and its servers are not ours to sweep.
   */
  static Path tempParent() {
    String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
    return Paths.get(System.getProperty("java.io.tmpdir"), "pando-devstack-" + user);
  }

  /**
   * Locks {@code dir} (created if missing), or a new temporary directory when it is null. Stale
   * servers left in the directory by a dead owner are stopped first.
   */
  static DataDir open(Path dir, String prefix) {
    try {
      boolean temporary = dir == null;
      Path root;
      if (temporary) {
        Files.createDirectories(tempParent());
        sweepStale();
        root = Files.createTempDirectory(tempParent(), prefix + "-");
      } else {
        root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
      }
      FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw new IllegalStateException("data directory " + root
            + " is in use by another running server (its " + LOCK_FILE + " is locked)");
      }
      DataDir d = new DataDir(root, temporary, ch, lock);
      d.stopStaleServers();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare data directory "
          + (dir == null ? "under " + tempParent() : dir) + ": " + e, e);
    }
  }

  Path root() {
    return root;
  }

  boolean temporary() {
    return temporary;
  }

  /** Releases the lock and deletes the directory if it is temporary. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // The lock goes away with the channel or the process anyway.
    }
    if (temporary) {
      DirectoryTrees.deleteQuietly(root);
    }
  }

  private void stopStaleServers() {
    stopStale(root.resolve(PG_PID), DataDir::isPostgres, "postgres", true);
    stopStale(root.resolve(KAFKA_PID), p -> isKafkaChild(p, root), "kafka", false);
  }

  /** Stops stale servers in, then deletes, temporary directories whose owner is gone. */
  static void sweepStale() {
    Path parent = tempParent();
    if (!Files.isDirectory(parent)) {
      return;
    }
    Instant cutoff = Instant.now().minus(SWEEP_MIN_AGE);
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
      ds.forEach(dirs::add);
    } catch (IOException e) {
      return;
    }
    for (Path dir : dirs) {
      Path lockFile = dir.resolve(LOCK_FILE);
      try {
        if (!Files.isRegularFile(lockFile)
            || Files.getLastModifiedTime(lockFile).toInstant().isAfter(cutoff)) {
          continue;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
          FileLock l = ch.tryLock();
          if (l == null) {
            continue;
          }
          stopStale(dir.resolve(PG_PID), DataDir::isPostgres, "postgres", true);
          stopStale(dir.resolve(KAFKA_PID), p -> isKafkaChild(p, dir), "kafka", false);
          l.release();
        }
        DirectoryTrees.deleteQuietly(dir);
      } catch (IOException | IllegalStateException e) {
        // Owned by this JVM, vanished meanwhile, or not ours to clean: leave it.
      }
    }
  }

  /**
   * Stops the process named in {@code pidFile} when it is alive and passes {@code check}, or
   * deletes the file when a live process fails the check (its pid was reused). Uses
   * SIGINT (PostgreSQL's fast shutdown) or SIGTERM, then SIGKILL after a grace period.
   */
  static void stopStale(Path pidFile, Predicate<ProcessHandle> check, String what, boolean sigint) {
    Optional<ProcessHandle> ph = readPid(pidFile).flatMap(ProcessHandle::of);
    if (ph.isEmpty() || !ph.get().isAlive()) {
      return;
    }
    ProcessHandle p = ph.get();
    if (p.info().command().isEmpty()) {
      return; // Cannot tell what it is: leave it alone.
    }
    if (!check.test(p)) {
      // The pid was reused by an unrelated process; the file is stale and the owner lock is ours.
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException ignored) {
        // The server reports the stale file itself.
      }
      return;
    }
    System.err.println("devstack: stopping stale " + what + " process " + p.pid()
        + " left by a dead owner (" + pidFile + ")");
    if (sigint) {
      signal(p.pid(), "INT");
    } else {
      p.destroy();
    }
    if (!waitExit(p, Duration.ofSeconds(15))) {
      p.destroyForcibly();
      if (!waitExit(p, Duration.ofSeconds(5))) {
        throw new IllegalStateException("cannot stop stale " + what + " process " + p.pid());
      }
    }
  }

  static Optional<Long> readPid(Path pidFile) {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static boolean waitExit(ProcessHandle p, Duration timeout) {
    try {
      p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private static void signal(long pid, String sig) {
    try {
      new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isPostgres(ProcessHandle p) {
    return p.info().command().map(c -> c.endsWith("/postgres") || c.equals("postgres")).orElse(false);
  }

  private static boolean isKafkaChild(ProcessHandle p, Path dir) {
    String[] args = p.info().arguments().orElse(new String[0]);
    boolean child = false;
    boolean ours = false;
    for (String a : args) {
      child |= a.equals(KafkaChild.class.getName());
      ours |= a.startsWith(dir.toString());
    }
    return child && ours;
  }

  /** The last {@code lines} lines of a text file, or a note when it cannot be read. */
  static String tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "(no log at " + file + ")";
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      int n = (int) Math.min(size, 64 * 1024);
      ByteBuffer buf = ByteBuffer.allocate(n);
      ch.position(size - n);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // Fill the buffer.
      }
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      String[] all = text.split("\n", -1);
      int from = Math.max(0, all.length - lines);
      StringBuilder sb = new StringBuilder("--- last lines of " + file + " ---");
      for (int i = from; i < all.length; i++) {
        sb.append('\n').append(all[i]);
      }
      return sb.toString();
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
