package io.pando.devstack;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM.
 *
 * <p>The child runs {@link KafkaChild} with this JVM's class path, so {@code kafka_2.13} must be
 * on it (this module depends on it at runtime), unless {@value #CLASSPATH_PROPERTY} names another. Layout of the root directory:
 * {@code server.properties}, {@code broker.log} (all broker output), {@code kafka.pid},
 * {@code kafka-logs/} (topic data and metadata log) and {@code devstack.lock}.
 *
 * <p>The child exits when {@link #close()} is called, when this JVM exits normally (shutdown
 * hook), and when this JVM dies abruptly (the child sees its stdin close).
 */
public final class LocalKafka implements AutoCloseable {
  /** Overrides the child's class path (default: this JVM's own). */
  public static final String CLASSPATH_PROPERTY = "pando.devstack.kafka.classpath";
  /** Kafka 4.x brokers need Java 17. */
  static final int MIN_JAVA = 17;

  private static final Duration STARTUP_WAIT = Duration.ofSeconds(90);
  private static final Duration STOP_WAIT = Duration.ofSeconds(20);
  private static final List<String> JVM_OPTS = List.of(
      "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-Djava.awt.headless=true");

  private final DataDir dir;
  private final Process process;
  private final int port;
  private final int controllerPort;
  private final Path log;
  private final Thread hook;
  private Admin admin;
  private boolean closed;

  private LocalKafka(DataDir dir, Process process, int port, int controllerPort, Path log) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.controllerPort = controllerPort;
    this.log = log;
    this.hook = new Thread(this::close, "local-kafka-stopper");
  }

  /**
   * Starts a broker. {@code dataDir} null means a temporary root deleted on {@link #close()};
   * {@code port} 0 means a free port. The controller listener always takes a free port.
   */
  public static LocalKafka start(Path dataDir, int port) {
    requireRuntime();
    DataDir dir = DataDir.open(dataDir, "kafka");
    Process process = null;
    LocalKafka kafka = null;
    try {
      int p = Ports.choose(port, "Kafka broker");
      int cp;
      do {
        cp = Ports.freePort();
      } while (cp == p);
      Path root = dir.root();
      Path props = root.resolve("server.properties");
      Path log = root.resolve("broker.log");
      writeConfig(props, root.resolve("kafka-logs"), p, cp);

      List<String> cmd = new ArrayList<>();
      cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(JVM_OPTS);
      cmd.add("-Dslf4j.provider=" + StdoutLogProvider.class.getName());
      cmd.add("-Dslf4j.internal.verbosity=WARN");
      cmd.add("-Dkafka.logs.dir=" + root);
      cmd.add("-cp");
      cmd.add(childClassPath());
      cmd.add(KafkaChild.class.getName());
      cmd.add(props.toString());
      cmd.add(clusterId(root.resolve("kafka-logs")));
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .directory(root.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot launch the Kafka child JVM: " + e.getMessage(), e);
      }
      Files.writeString(root.resolve(DataDir.KAFKA_PID), process.pid() + "\n");
      kafka = new LocalKafka(dir, process, p, cp, log);
      Runtime.getRuntime().addShutdownHook(kafka.hook);
      kafka.awaitReady();
      return kafka;
    } catch (IOException e) {
      throw failed(kafka, process, dir, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw failed(kafka, process, dir, e);
    }
  }

  private static RuntimeException failed(LocalKafka k, Process p, DataDir dir, RuntimeException e) {
    if (k != null) {
      k.close();
    } else {
      if (p != null) {
        stop(p);
      }
      dir.close();
    }
    return e;
  }

  private static void requireRuntime() {
    int v = Runtime.version().feature();
    if (v < MIN_JAVA) {
      throw new IllegalStateException("Kafka needs Java " + MIN_JAVA + " or newer, but this JVM ("
          + System.getProperty("java.home") + ") is Java " + v);
    }
    if (System.getProperty(CLASSPATH_PROPERTY) == null
        && ClassLoader.getSystemResource("kafka/Kafka.class") == null) {
      throw new IllegalStateException("org.apache.kafka:kafka_2.13 is not on this JVM's class path"
          + " (java.class.path), which the broker child process reuses; add it, or set -D"
          + CLASSPATH_PROPERTY + " to a class path holding kafka_2.13 and pando-devstack");
    }
  }

  private static void writeConfig(Path file, Path logDirs, int port, int controllerPort)
      throws IOException {
    String h = Ports.HOST;
    Map<String, String> c = new LinkedHashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", "1");
    c.put("controller.quorum.voters", "1@" + h + ":" + controllerPort);
    c.put("listeners", "PLAINTEXT://" + h + ":" + port + ",CONTROLLER://" + h + ":" + controllerPort);
    c.put("advertised.listeners", "PLAINTEXT://" + h + ":" + port);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    c.put("log.dirs", logDirs.toString());
    c.put("num.partitions", "1");
    c.put("default.replication.factor", "1");
    c.put("min.insync.replicas", "1");
    c.put("offsets.topic.replication.factor", "1");
    c.put("offsets.topic.num.partitions", "1");
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("share.coordinator.state.topic.replication.factor", "1");
    c.put("share.coordinator.state.topic.min.isr", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    c.put("auto.create.topics.enable", "true");
    // The log cleaner's dedupe buffer takes 128 MiB of the 256 MiB heap by default, and a busy
    // machine saw the broker die of it at start; the dev broker's compacted topics are tiny.
    c.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
    StringBuilder sb = new StringBuilder("# Generated on each start; edits are overwritten.\n");
    c.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /** The cluster id of formatted storage, so a reused directory keeps its id; else a new one. */
  private static String clusterId(Path logDirs) throws IOException {
    Path meta = logDirs.resolve("meta.properties");
    if (Files.isRegularFile(meta)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      String id = p.getProperty("cluster.id");
      if (id != null && !id.isBlank()) {
        return id.trim();
      }
    }
    return Uuid.randomUuid().toString();
  }

  /**
   * This JVM's class path as absolute paths (the child runs in the data directory), with the
   * {@code Class-Path} of manifest-only jars (as surefire uses) expanded.
   */
  static String childClassPath() {
    String override = System.getProperty(CLASSPATH_PROPERTY);
    if (override != null && !override.isBlank()) {
      return override;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      if (e.endsWith("*")) {
        out.add(e);
        continue;
      }
      Path path = Paths.get(e).toAbsolutePath();
      out.add(path.toString());
      if (e.endsWith(".jar")) {
        out.addAll(manifestClassPath(path));
      }
    }
    return String.join(File.pathSeparator, out);
  }

  private static List<String> manifestClassPath(Path jar) {
    List<String> out = new ArrayList<>();
    if (!Files.isRegularFile(jar)) {
      return out;
    }
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest m = jf.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (cp == null) {
        return out;
      }
      URI base = jar.toAbsolutePath().getParent().toUri();
      for (String entry : cp.trim().split("\\s+")) {
        if (!entry.isEmpty()) {
          try {
            out.add(Paths.get(base.resolve(entry)).toString());
          } catch (IllegalArgumentException ex) {
            // Not a file URI; the JVM would ignore it too.
          }
        }
      }
    } catch (IOException e) {
      // Unreadable: keep the entry as it is.
    }
    return out;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
            + " during startup\n" + DataDir.tail(log, 40));
      }
      if (Ports.accepts(port)) {
        try {
          if (!admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
      }
      sleep(100);
    }
    throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " not ready after "
        + STARTUP_WAIT.toSeconds() + " s" + (last == null ? "" : " (last error: " + last + ")")
        + "\n" + DataDir.tail(log, 40));
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
      p.put(AdminClientConfig.CLIENT_ID_CONFIG, "devstack-admin");
      admin = Admin.create(p);
    }
    return admin;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return Ports.HOST + ":" + port;
  }

  /** The broker (PLAINTEXT) port. */
  public int port() {
    return port;
  }

  /** The KRaft controller port. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The child process id. */
  public long pid() {
    return process.pid();
  }

  /** The root directory. */
  public Path dataDir() {
    return dir.root();
  }

  /** The broker's output file. */
  public Path logFile() {
    return log;
  }

  /** Creates a topic with replication factor 1, unless it exists. */
  public void createTopic(String name, int partitions) {
    try {
      admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topic " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    }
  }

  /** Stops the broker (SIGTERM, then SIGKILL after a timeout) and deletes a temporary root. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutdown in progress: this is the hook, or it runs concurrently and waits on this lock.
    }
    stop(process);
    try {
      Files.deleteIfExists(dir.root().resolve(DataDir.KAFKA_PID));
    } catch (IOException ignored) {
      // Stale pid files are checked against the live process anyway.
    }
    dir.close();
  }

  private static void stop(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  @Override
  public String toString() {
    return "LocalKafka[" + bootstrapServers() + ", pid " + process.pid() + ", " + dir.root() + "]";
  }
}
