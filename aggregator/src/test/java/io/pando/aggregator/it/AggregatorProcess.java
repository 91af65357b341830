package io.pando.aggregator.it;

import io.pando.aggregator.Infra;
import io.pando.aggregator.datastore.Crypter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real aggregator process started from the packaged application
 * ({@code target/quarkus-app/quarkus-run.jar}), on its own database of the shared test PostgreSQL
 * and the shared Kafka broker: what the integration tests run leaders and helpers as. Each
 * process gets Kafka topics and a consumer group of its own ({@code PANDO_KAFKA_AGGREGATION_TOPIC},
 * {@code PANDO_KAFKA_COLLECTION_TOPIC}, {@code PANDO_KAFKA_GROUP}), so that processes sharing the
 * broker never take each other's job messages. It can be stopped gracefully, killed with SIGKILL
 * and started again on the same database and topics; a JVM shutdown hook kills it if the test JVM
 * exits first.
 */
public final class AggregatorProcess implements AutoCloseable {
  public static final String ADMIN_TOKEN = "it-admin-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String name;
  private final String database;
  private final int port;
  private final String datastoreKey;
  private final Map<String, String> extraEnv;
  private final Path log;
  private final String aggregationTopic;
  private final String collectionTopic;
  private final String consumerGroup;
  private volatile Process process;

  private AggregatorProcess(String name, Map<String, String> extraEnv) throws IOException {
    this.name = name;
    this.database = Infra.newDatabase();
    this.port = freePort();
    this.datastoreKey = Crypter.generateKey();
    this.extraEnv = Map.copyOf(extraEnv);
    this.log = Files.createTempFile("pando-" + name + "-", ".log");
    String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.aggregationTopic = "aggregation-jobs-" + suffix;
    this.collectionTopic = "collection-jobs-" + suffix;
    this.consumerGroup = "pando-job-drivers-" + suffix;
    Infra.stack().kafka().createTopic(aggregationTopic, 2);
    Infra.stack().kafka().createTopic(collectionTopic, 2);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Process p = process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }));
  }

  /** Starts an aggregator named {@code name} (used in logs, Kafka topics and groups). */
  public static AggregatorProcess start(String name, Map<String, String> extraEnv)
      throws IOException {
    AggregatorProcess p = new AggregatorProcess(name, extraEnv);
    p.launch();
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public Path log() {
    return log;
  }

  /** The process's database on the shared PostgreSQL. */
  public String database() {
    return database;
  }

  /** The Kafka topic its aggregation jobs are announced on. */
  public String aggregationTopic() {
    return aggregationTopic;
  }

  /** The Kafka topic its collection jobs are announced on. */
  public String collectionTopic() {
    return collectionTopic;
  }

  /** Launches the process and waits until it is ready. */
  public synchronized void launch() throws IOException {
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run the package phase first");
    }
    var stack = Infra.stack();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("PANDO_PORT", Integer.toString(port));
    env.put("PANDO_DB_URL", stack.postgres().reactiveUrl(database));
    env.put("PANDO_DB_JDBC_URL", stack.postgres().jdbcUrl(database));
    env.put("PANDO_DB_USER", stack.postgres().user());
    env.put("PANDO_KAFKA_BOOTSTRAP", stack.kafka().bootstrapServers());
    env.put("PANDO_DATASTORE_KEYS", datastoreKey);
    env.put("PANDO_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("PANDO_INSTANCE", name);
    env.put("PANDO_KAFKA_AGGREGATION_TOPIC", aggregationTopic);
    env.put("PANDO_KAFKA_COLLECTION_TOPIC", collectionTopic);
    env.put("PANDO_KAFKA_GROUP", consumerGroup);
    env.putAll(extraEnv);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    try {
      awaitReady(Duration.ofSeconds(90));
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue()
            + "; log tail:\n" + tail());
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            uri().resolve("q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IllegalStateException(name + " not ready after " + timeout + "; log tail:\n"
        + tail());
  }

  /** The last lines of the process's log. */
  public String tail() {
    return tail(40);
  }

  /** The last {@code n} lines of the process's log. */
  public String tail(int n) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL: no shutdown hooks, no flushing; what a crash looks like. */
  public synchronized void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM and wait. */
  public synchronized void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  /** Calls the admin API; returns the status code and body. */
  public HttpResponse<String> admin(String method, String path, String json) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri().resolve("admin/" + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json));
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** GET of an operator endpoint such as q/metrics. */
  public String get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri().resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
