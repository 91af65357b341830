package io.pando.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pando.core.SecretBytes;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.TaskId;
import io.pando.devstack.AggregatorProcess;
import io.pando.devstack.DevStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole DAP deployment on this machine: PostgreSQL and Kafka (devstack), a leader and a helper
 * aggregator process with databases and Kafka topics of their own, and one provisioned
 * Prio3Histogram task with a collector key. Everything lives under one data directory; starting
 * again on the same directory reuses the task, keys and data.
 *
 * <p>With a {@link Topology} of several replicas, each role runs that many processes over its one
 * database and topics: leader API replicas, separate driver replicas ({@code
 * PANDO_API_ENABLED=false}; the API replicas then run no job work) and helper replicas, with a
 * {@link RoundRobinFront} before each role that has more than one API replica.
 */
public final class LocalDeployment implements AutoCloseable {
  /** The demo task's VDAF: a histogram over 10 buckets. */
  public static final int BUCKETS = 10;

  public static final int CHUNK_LENGTH = 3;

  /** The task's time precision, seconds. */
  public static final long TIME_PRECISION = 300;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dataDir;
  private final DevStack stack;
  private final List<AggregatorProcess> leaders;
  private final List<AggregatorProcess> drivers;
  private final List<AggregatorProcess> helpers;
  private final RoundRobinFront leaderFront;
  private final RoundRobinFront helperFront;
  private final State state;
  private final HpkeKeypair collectorKey;

  /**
   * How many processes of each kind: leader API replicas, helper replicas, and leader driver
   * replicas (0: the leader replicas drive the jobs themselves).
   */
  public record Topology(int leaders, int helpers, int drivers) {
    public static final Topology SINGLE = new Topology(1, 1, 0);

    public Topology {
      if (leaders < 1 || helpers < 1 || drivers < 0) {
        throw new IllegalArgumentException("at least one leader and one helper, and drivers >= 0");
      }
    }
  }

  /** Secrets and ids kept in {@code state.json}. */
  public record State(String taskId, String verifyKey, String aggregatorToken,
      String collectorToken, String adminToken, String leaderDatastoreKey,
      String helperDatastoreKey) {}

  private LocalDeployment(Path dataDir, DevStack stack, List<AggregatorProcess> leaders,
      List<AggregatorProcess> drivers, List<AggregatorProcess> helpers,
      RoundRobinFront leaderFront, RoundRobinFront helperFront, State state,
      HpkeKeypair collectorKey) {
    this.dataDir = dataDir;
    this.stack = stack;
    this.leaders = List.copyOf(leaders);
    this.drivers = List.copyOf(drivers);
    this.helpers = List.copyOf(helpers);
    this.leaderFront = leaderFront;
    this.helperFront = helperFront;
    this.state = state;
    this.collectorKey = collectorKey;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Fails with a clear message when a port on 127.0.0.1 is taken. */
  static void requireFree(int port, String what, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " (" + what + ") is already in use;"
          + " stop whatever listens there or choose another with " + option);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts everything. Ports 0 pick free ones.
   *
   * @param aggregatorJar the packaged aggregator ({@code quarkus-run.jar})
   */
  public static LocalDeployment start(Path dataDir, Path aggregatorJar, int leaderPort,
      int helperPort, Map<String, String> aggregatorEnv) throws Exception {
    return start(dataDir, aggregatorJar, leaderPort, helperPort, aggregatorEnv, Topology.SINGLE);
  }

  /** Starts everything with this many processes per role; ports 0 pick free ones. */
  public static LocalDeployment start(Path dataDir, Path aggregatorJar, int leaderPort,
      int helperPort, Map<String, String> aggregatorEnv, Topology topology) throws Exception {
    requireFree(leaderPort, "leader", "--leader-port");
    requireFree(helperPort, "helper", "--helper-port");
    Files.createDirectories(dataDir);
    State state = loadOrCreateState(dataDir.resolve("state.json"));
    HpkeKeypair collectorKey = loadOrCreateCollectorKey(dataDir.resolve("collector-key.json"));

    DevStack stack = DevStack.start(dataDir.resolve("devstack"));
    List<AggregatorProcess> leaders = new ArrayList<>();
    List<AggregatorProcess> drivers = new ArrayList<>();
    List<AggregatorProcess> helpers = new ArrayList<>();
    RoundRobinFront leaderFront = null;
    RoundRobinFront helperFront = null;
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
      env.put("PANDO_AGGREGATION_CREATION_INTERVAL", "PT1S");
      env.put("PANDO_JOBS_SWEEP_INTERVAL", "PT2S");
      env.put("PANDO_JOBS_LEASE_DURATION", "PT15S");
      env.put("PANDO_KAFKA_SESSION_TIMEOUT_MS", "6000");
      env.put("PANDO_KAFKA_HEARTBEAT_INTERVAL_MS", "2000");
      env.putAll(aggregatorEnv);
      Map<String, String> apiOnly = new LinkedHashMap<>(env);
      if (topology.drivers() > 0) {
        apiOnly.put("PANDO_JOBS_DRIVERS_ENABLED", "false");
        apiOnly.put("PANDO_GC_ENABLED", "false");
        apiOnly.put("PANDO_RESEAL_ENABLED", "false");
      }
      Map<String, String> driverOnly = new LinkedHashMap<>(env);
      driverOnly.put("PANDO_API_ENABLED", "false");
      Path logs = dataDir.resolve("logs");
      for (Kind k : List.of(
          // Driver processes are leader processes: the leader's database, key and topics.
          new Kind("leader", topology.leaders(), leaderPort, "pando_leader",
              state.leaderDatastoreKey(), "leader", apiOnly, leaders),
          new Kind("driver", topology.drivers(), 0, "pando_leader", state.leaderDatastoreKey(),
              "leader", driverOnly, drivers),
          new Kind("helper", topology.helpers(), helperPort, "pando_helper",
              state.helperDatastoreKey(), "helper", env, helpers))) {
        for (int i = 0; i < k.count(); i++) {
          int port = i == 0 && k.firstPort() != 0 ? k.firstPort() : freePort();
          String name = name(k.name(), i, k.count());
          k.into().add(AggregatorProcess.start(new AggregatorProcess.Spec(name, aggregatorJar,
              stack, k.database(), port, k.datastoreKey(), state.adminToken(), k.topics(), k.env(),
              logs.resolve(name + ".log"))));
        }
      }
      if (leaders.size() > 1) {
        leaderFront = new RoundRobinFront("leader", leaders.stream().map(AggregatorProcess::uri)
            .toList());
      }
      if (helpers.size() > 1) {
        helperFront = new RoundRobinFront("helper", helpers.stream().map(AggregatorProcess::uri)
            .toList());
      }
      LocalDeployment d = new LocalDeployment(dataDir, stack, leaders, drivers, helpers,
          leaderFront, helperFront, state, collectorKey);
      d.provision();
      return d;
    } catch (Exception | Error e) {
      if (leaderFront != null) {
        leaderFront.close();
      }
      if (helperFront != null) {
        helperFront.close();
      }
      helpers.forEach(AggregatorProcess::close);
      drivers.forEach(AggregatorProcess::close);
      leaders.forEach(AggregatorProcess::close);
      stack.close();
      throw e;
    }
  }

  /** The processes of one kind to start, and the list they go into. */
  private record Kind(String name, int count, int firstPort, String database,
      String datastoreKey, String topics, Map<String, String> env,
      List<AggregatorProcess> into) {}

  /** "leader" when there is one process of the kind, else "leader-1", "leader-2", ... */
  private static String name(String kind, int i, int count) {
    return count == 1 ? kind : kind + "-" + (i + 1);
  }

  private static State loadOrCreateState(Path file) throws IOException {
    if (Files.exists(file)) {
      return JSON.readValue(file.toFile(), State.class);
    }
    State s = new State(random(32), random(16), random(24), random(24), random(24), random(32),
        random(32));
    writePrivate(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
    return s;
  }

  /** The collector key, in the same file format as {@code pando hpke-keygen}. */
  private static HpkeKeypair loadOrCreateCollectorKey(Path file) throws Exception {
    if (Files.exists(file)) {
      var node = JSON.readTree(file.toFile());
      HpkeConfig config = HpkeConfig.decode(
          Base64.getUrlDecoder().decode(node.get("config").asText()));
      return HpkeKeypair.of(config, SecretBytes.copyOf(
          Base64.getUrlDecoder().decode(node.get("private_key").asText())));
    }
    HpkeKeypair k = HpkeKeypair.generate(HpkeConfigId.of(1), HpkeSuite.X25519_SHA256_AES128GCM);
    ObjectNode node = JSON.createObjectNode();
    node.put("config", Base64.getUrlEncoder().withoutPadding().encodeToString(
        k.config().encode()));
    node.put("private_key", Base64.getUrlEncoder().withoutPadding().encodeToString(
        k.privateKey().reveal()));
    writePrivate(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    return k;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.writeString(file, content);
    try {
      Files.setPosixFilePermissions(file,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
  }

  /** Puts the demo task on both aggregators (idempotent). */
  private void provision() throws IOException {
    provision(state.taskId(), Map.of("type", "Prio3Histogram", "length", BUCKETS,
        "chunk_length", CHUNK_LENGTH), 100);
  }

  /** Puts a task with this id, VDAF and minimum batch size on both aggregators (idempotent). */
  public void provision(String taskId, Map<String, Object> vdaf, long minBatchSize)
      throws IOException {
    for (boolean isLeader : new boolean[] {true, false}) {
      Map<String, Object> def = new LinkedHashMap<>();
      def.put("task_id", taskId);
      def.put("role", isLeader ? "leader" : "helper");
      def.put("peer_endpoint", (isLeader ? helperUri() : leaderUri()).toString());
      def.put("query_type", "time_interval");
      def.put("vdaf", vdaf);
      def.put("vdaf_verify_key", state.verifyKey());
      def.put("max_batch_query_count", 1);
      def.put("min_batch_size", minBatchSize);
      def.put("time_precision", TIME_PRECISION);
      def.put("tolerable_clock_skew", 60);
      def.put("collector_hpke_config", Base64.getUrlEncoder().withoutPadding().encodeToString(
          collectorKey.config().encode()));
      def.put("aggregator_auth_token", state.aggregatorToken());
      if (isLeader) {
        def.put("collector_auth_token", state.collectorToken());
      }
      // One replica of each role: the others see the task through the change feed.
      AggregatorProcess p = isLeader ? leader() : helper();
      var r = p.admin("PUT", "tasks/" + taskId, JSON.writeValueAsString(def));
      if (r.statusCode() != 200) {
        throw new IllegalStateException("provisioning the task on the "
            + (isLeader ? "leader" : "helper") + " failed: HTTP " + r.statusCode() + " "
            + r.body());
      }
    }
  }

  /** A new random task id, base64url. */
  public static String newTaskId() {
    return random(32);
  }

  /** The first leader process. */
  public AggregatorProcess leader() {
    return leaders.get(0);
  }

  /** The first helper process. */
  public AggregatorProcess helper() {
    return helpers.get(0);
  }

  /** The leader API processes. */
  public List<AggregatorProcess> leaders() {
    return leaders;
  }

  /** The leader's driver-only processes (empty when the leaders drive their jobs). */
  public List<AggregatorProcess> drivers() {
    return drivers;
  }

  public List<AggregatorProcess> helpers() {
    return helpers;
  }

  /** Where clients and the collector reach the leader: its front, or its one process. */
  public URI leaderUri() {
    return leaderFront != null ? leaderFront.uri() : leader().uri();
  }

  /** Where the leader reaches the helper: its front, or its one process. */
  public URI helperUri() {
    return helperFront != null ? helperFront.uri() : helper().uri();
  }

  public DevStack stack() {
    return stack;
  }

  public State state() {
    return state;
  }

  public TaskId taskId() {
    return TaskId.fromBase64Url(state.taskId());
  }

  public HpkeKeypair collectorKey() {
    return collectorKey;
  }

  public Path collectorKeyFile() {
    return dataDir.resolve("collector-key.json");
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the aggregators, then PostgreSQL and Kafka. */
  @Override
  public void close() {
    if (leaderFront != null) {
      leaderFront.close();
    }
    if (helperFront != null) {
      helperFront.close();
    }
    helpers.forEach(AggregatorProcess::close);
    drivers.forEach(AggregatorProcess::close);
    leaders.forEach(AggregatorProcess::close);
    stack.close();
  }
}
