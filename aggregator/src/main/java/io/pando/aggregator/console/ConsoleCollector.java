package io.pando.aggregator.console;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.http.PandoProblem;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.core.SecretBytes;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs one collection for the console as the task's collector, with the project's collector
 * library against this process's own DAP port: the collector token and key file come with the
 * request and are used for it only (never stored, never logged, the key's bytes wiped after), and
 * the aggregate goes back in the response only. The plaintext aggregate thus exists in this
 * process's memory while the request runs: use this only where the operator may see aggregates
 * (README, "Console").
 */
@ApplicationScoped
public class ConsoleCollector {
  private static final Logger LOG = Logger.getLogger(ConsoleCollector.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  @Inject HttpServer server;
  @Inject ObjectMapper json;

  /**
   * Body of {@code POST /admin/console/tasks/{id}/collect}: the collector's token and key file
   * (the JSON {@code pando hpke-keygen} writes), and the query: an interval for a time-interval
   * task, a batch id or the current batch for a fixed-size one.
   */
  public record Request(
      @JsonProperty("collector_token") String collectorToken,
      @JsonProperty("collector_key") String collectorKey,
      @JsonProperty("interval_start") Long intervalStart,
      @JsonProperty("interval_duration") Long intervalDuration,
      @JsonProperty("batch_id") String batchId,
      @JsonProperty("timeout_seconds") Long timeoutSeconds) {
    @Override
    public String toString() {
      return "Request[interval_start=" + intervalStart + ", interval_duration="
          + intervalDuration + ", batch_id=" + batchId + ", secrets redacted]";
    }
  }

  /** The result, in the shape of {@code pando collect --json}. */
  public record Result(
      @JsonProperty("vdaf") String vdaf,
      @JsonProperty("vdaf_parameters") Map<String, Integer> vdafParameters,
      @JsonProperty("report_count") long reportCount,
      @JsonProperty("interval") Map<String, Long> interval,
      @JsonProperty("batch_id") String batchId,
      @JsonProperty("aggregate") Object aggregate) {}

  /** Collects; refusals by the leader and bad inputs are 400s, a result not ready in time 503. */
  public Result collect(Task task, Request r) {
    if (task.dapVdaf().takesAggregationParameter()) {
      throw ProblemException.badRequest("the console collects Prio3 tasks; a " + task.vdaf()
          .type() + " collection names an aggregation parameter, which it does not take yet");
    }
    String token = r.collectorToken() == null ? "" : r.collectorToken().strip();
    if (token.isEmpty()) {
      throw ProblemException.badRequest("collector_token is required");
    }
    Query<?> query = query(task, r);
    Duration timeout = r.timeoutSeconds() == null ? DEFAULT_TIMEOUT
        : Duration.ofSeconds(Math.max(1, Math.min(r.timeoutSeconds(), MAX_TIMEOUT.toSeconds())));
    HpkeKeypair key = key(r.collectorKey());
    if (!Arrays.equals(key.config().encode(), task.collectorHpkeConfig().encode())) {
      throw ProblemException.badRequest("the key file is not for the task's collector HPKE"
          + " config");
    }
    URI leader = URI.create("http://127.0.0.1:" + server.getPort() + "/");
    try {
      CollectionResult<?> result = run(task.prio3(), task, leader, token, key, query, timeout);
      LOG.infof("console collection of task %s: %d reports", task.id(), result.reportCount());
      return result(task, result);
    } catch (CollectorException e) {
      String detail = "collection failed: " + redact(e.getMessage(), token)
          + e.problemType().map(t -> " (" + t.token() + ")").orElse("");
      LOG.infof("console collection of task %s failed: %s", task.id(), detail);
      if (e.status() / 100 == 4) {
        throw ProblemException.badRequest(detail);
      }
      throw new ProblemException(PandoProblem.UNAVAILABLE, detail);
    }
  }

  /**
   * Starts a collection job and polls it (as the leader's Retry-After says) until it is ready;
   * past the timeout the job is deleted, so that it does not use up the batch's queries later
   * with no one to read its result.
   */
  private static <R> CollectionResult<R> run(Prio3<?, R> vdaf, Task task, URI leader,
      String token, HpkeKeypair key, Query<?> query, Duration timeout)
      throws CollectorException {
    Collector<R> plain = new Collector<>(task.id(), leader, token, key, vdaf);
    // A noised task's aggregate may hold negative entries: read it as signed.
    Collector<R> collector = task.dpStrategy().map(plain::withDpStrategy).orElse(plain);
    long deadline = System.nanoTime() + timeout.toNanos();
    CollectionJobId id = collector.start(query);
    while (true) {
      Collector.Poll<R> poll = collector.poll(id, query);
      if (poll instanceof Collector.Poll.Ready<R> ready) {
        return ready.result();
      }
      Duration wait = ((Collector.Poll.InProgress<R>) poll).retryAfter();
      if (System.nanoTime() + wait.toNanos() > deadline) {
        try {
          collector.delete(id);
        } catch (CollectorException e) {
          LOG.infof("console collection job %s of task %s not deleted: %s", id, task.id(),
              e.getMessage());
        }
        throw new CollectorException("collection job " + id + " not ready after " + timeout
            + "; it was deleted (try again once the batch is aggregated)", null);
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CollectorException("interrupted", e);
      }
    }
  }

  private static Query<?> query(Task task, Request r) {
    if (task.queryType() == Task.QueryKind.TIME_INTERVAL) {
      if (r.intervalStart() == null || r.intervalDuration() == null) {
        throw ProblemException.badRequest("interval_start and interval_duration are required");
      }
      try {
        return Query.timeInterval(Interval.of(r.intervalStart(), r.intervalDuration()));
      } catch (IllegalArgumentException e) {
        throw ProblemException.badRequest("bad interval: " + e.getMessage());
      }
    }
    if (r.batchId() == null || r.batchId().isBlank()) {
      return Query.currentBatch();
    }
    try {
      return Query.byBatchId(BatchId.fromBase64Url(r.batchId().strip()));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("batch_id is not a 32-byte base64url id");
    }
  }

  /** Parses the key file JSON; its content is never echoed back. */
  private HpkeKeypair key(String keyFile) {
    if (keyFile == null || keyFile.isBlank()) {
      throw ProblemException.badRequest("collector_key (the key file's contents) is required");
    }
    JsonNode root;
    try {
      root = json.readTree(keyFile);
    } catch (Exception e) {
      throw ProblemException.badRequest("collector_key is not a key file (not JSON)");
    }
    if (root == null || !root.path("config").isTextual()
        || !root.path("private_key").isTextual()) {
      throw ProblemException.badRequest("collector_key is not a key file (\"config\" and"
          + " \"private_key\" strings)");
    }
    byte[] secret = null;
    try {
      HpkeConfig config = HpkeConfig.decode(Base64.getUrlDecoder()
          .decode(root.get("config").asText().strip()));
      secret = Base64.getUrlDecoder().decode(root.get("private_key").asText().strip());
      return HpkeKeypair.of(config, SecretBytes.copyOf(secret));
    } catch (IllegalArgumentException | DecodeException | HpkeException e) {
      throw ProblemException.badRequest("collector_key is not a valid key file");
    } finally {
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }

  private static Result result(Task task, CollectionResult<?> r) {
    Object aggregate = r.aggregate() instanceof List<?> list
        ? list.stream().map(ConsoleCollector::number).toList() : number(r.aggregate());
    return new Result(task.vdaf().type(), task.vdaf().parameters(), r.reportCount(),
        Map.of("start", r.interval().start().seconds(),
            "duration", r.interval().duration().seconds()),
        r.batchId().map(BatchId::toBase64Url).orElse(null), aggregate);
  }

  private static BigInteger number(Object o) {
    if (o instanceof BigInteger b) {
      return b;
    }
    if (o instanceof Number n) {
      return BigInteger.valueOf(n.longValue());
    }
    throw new IllegalStateException("not an integer aggregate: " + o);
  }

  private static String redact(String text, String secret) {
    return text == null || secret.length() < 6 ? text : text.replace(secret, "[token]");
  }
}
