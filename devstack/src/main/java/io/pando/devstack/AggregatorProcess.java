package io.pando.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An aggregator process started from the packaged application ({@code quarkus-run.jar}) against
 * a {@link DevStack}: its own database, its own Kafka topics and consumer group (named after
 * {@code Spec.topicPrefix}), so that processes sharing the broker never take each other's job
 * messages. Used by {@code bin/pando demo|up} and by the aggregator's integration tests. It can be
 * stopped with SIGTERM, killed with SIGKILL and launched again on the same database and topics; a
 * JVM shutdown hook kills it if this JVM exits first.
 */
public final class AggregatorProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** What to start. */
  public record Spec(String name, Path jar, DevStack stack, String database, int port,
      String datastoreKey, String adminToken, String topicPrefix, Map<String, String> env,
      Path log) {}

  private final Spec spec;
  private final int managementPort;
  private volatile Process process;

  private AggregatorProcess(Spec spec) {
    this.spec = spec;
    String fixed = spec.env().get("PANDO_MANAGEMENT_PORT");
    this.managementPort = fixed != null ? Integer.parseInt(fixed) : Ports.freePort();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Process p = process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }));
  }

  /** Starts the process and waits until it reports ready. */
  public static AggregatorProcess start(Spec spec) throws IOException {
    if (!Files.exists(spec.jar())) {
      throw new IllegalStateException(spec.jar() + " is missing: build the aggregator first");
    }
    spec.stack().postgres().createDatabase(spec.database());
    spec.stack().kafka().createTopic(spec.topicPrefix() + "-aggregation-jobs", 2);
    spec.stack().kafka().createTopic(spec.topicPrefix() + "-collection-jobs", 2);
    AggregatorProcess p = new AggregatorProcess(spec);
    p.launch();
    return p;
  }

  /** The DAP port's base URL. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + spec.port() + "/");
  }

  /** The management port's base URL: admin API, health, metrics, OpenAPI. */
  public URI managementUri() {
    return URI.create("http://127.0.0.1:" + managementPort + "/");
  }

  /** The process's name ({@code PANDO_INSTANCE}, its lease holder name). */
  public String name() {
    return spec.name();
  }

  /** The operating-system process id of the running process. */
  public long pid() {
    return process.pid();
  }

  public Path log() {
    return spec.log();
  }

  /** The process's database. */
  public String database() {
    return spec.database();
  }

  /** The Kafka topic its aggregation jobs are announced on. */
  public String aggregationTopic() {
    return spec.topicPrefix() + "-aggregation-jobs";
  }

  /** The Kafka topic its collection jobs are announced on. */
  public String collectionTopic() {
    return spec.topicPrefix() + "-collection-jobs";
  }

  /** Launches the process (again, after {@link #kill}) and waits until it is ready. */
  public synchronized void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-jar", spec.jar().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    DevStack stack = spec.stack();
    env.put("PANDO_PORT", Integer.toString(spec.port()));
    env.put("PANDO_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.put("PANDO_DB_URL", stack.postgres().reactiveUrl(spec.database()));
    env.put("PANDO_DB_JDBC_URL", stack.postgres().jdbcUrl(spec.database()));
    env.put("PANDO_DB_USER", stack.postgres().user());
    env.put("PANDO_KAFKA_BOOTSTRAP", stack.kafka().bootstrapServers());
    env.put("PANDO_DATASTORE_KEYS", spec.datastoreKey());
    env.put("PANDO_ADMIN_TOKEN", spec.adminToken());
    env.put("PANDO_INSTANCE", spec.name());
    env.put("PANDO_KAFKA_AGGREGATION_TOPIC", aggregationTopic());
    env.put("PANDO_KAFKA_COLLECTION_TOPIC", collectionTopic());
    env.put("PANDO_KAFKA_GROUP", spec.topicPrefix() + "-job-drivers");
    env.putAll(spec.env());
    Files.createDirectories(spec.log().getParent());
    pb.redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
    process = pb.start();
    try {
      awaitReady(Duration.ofSeconds(120));
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void awaitReady(Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(spec.name() + " exited with " + process.exitValue()
            + "; the end of its log (" + spec.log() + "):\n" + tail(30));
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            managementUri().resolve("q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
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
    throw new IllegalStateException(spec.name() + " not ready after " + timeout
        + "; the end of its log (" + spec.log() + "):\n" + tail(30));
  }

  /** The last 40 lines of the process's log. */
  public String tail() {
    return tail(40);
  }

  /** The last lines of the process's log. */
  public String tail(int n) {
    try {
      List<String> lines = Files.readAllLines(spec.log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Calls the admin API with a JSON body (or none); returns the response. */
  public HttpResponse<String> admin(String method, String path, String json) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(managementUri().resolve("admin/" + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + spec.adminToken())
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** GET of a management endpoint such as {@code q/metrics}; returns the body. */
  public String get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(managementUri().resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** SIGSTOP: the process freezes, its sockets stay open; what a hung peer looks like. */
  public synchronized void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public synchronized void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** SIGKILL: no shutdown hooks, no flushing; what a crash looks like. */
  public synchronized void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  @Override
  public synchronized void close() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
