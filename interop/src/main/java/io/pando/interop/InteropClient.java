package io.pando.interop;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.client.HttpTransport;
import io.pando.client.JdkHttpTransport;
import io.pando.client.Poplar1Task;
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.core.vdaf.InteropVdaf;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client of the interop test API (draft-dcook-ppm-dap-interop-test-design, "Client"):
 * {@code upload} shards, encrypts and uploads one measurement with {@link DapClient}, at the
 * given {@code time} or now. Measurements are written as the draft says: base-10 strings, or
 * arrays of them for vector VDAFs ({@code Prio3SumVec}, the multiproof SumVec, and
 * {@code Prio3MultihotCountVec}, whose entries are "0" or "1"). A Poplar1 measurement, which the
 * draft does not define, is a string of {@code bits} characters '0'/'1', the most significant
 * bit first ({@link DapClient#poplar1}).
 *
 * <p>{@code POST /dap-18/internal/test/upload} does the same for a DAP-18 task: its body also
 * carries what goes into the task's TaskConfiguration ({@link Dap18Task}), and the measurement
 * is uploaded in a DAP-18 upload request (DAP-18 §4.5.2).
 */
public final class InteropClient {
  private final HttpTransport http = new JdkHttpTransport(HttpClient.newBuilder()
      .connectTimeout(java.time.Duration.ofSeconds(10)).build(), HttpTransport.DEFAULT_TIMEOUT);
  /** One DapClient per task description, so HPKE configs are fetched once per task. */
  private final Map<TaskKey, DapClient<Object>> clients = new ConcurrentHashMap<>();

  /** The body of {@code upload}. */
  public record UploadRequest(
      @JsonProperty("task_id") String taskId,
      @JsonProperty("leader") String leader,
      @JsonProperty("helper") String helper,
      @JsonProperty("vdaf") Map<String, Object> vdaf,
      @JsonProperty("measurement") JsonNode measurement,
      @JsonProperty("time") Long time,
      @JsonProperty("time_precision") Long timePrecision) {}

  /**
   * The body of {@code /dap-18/internal/test/upload}: the DAP-09 fields with the
   * TaskConfiguration's {@code batch_mode}, {@code min_batch_size} and {@code task_info}
   * (optional); {@code vdaf} with draft-20 parameters.
   */
  public record Dap18UploadRequest(
      @JsonProperty("task_id") String taskId,
      @JsonProperty("leader") String leader,
      @JsonProperty("helper") String helper,
      @JsonProperty("vdaf") Map<String, Object> vdaf,
      @JsonProperty("measurement") JsonNode measurement,
      @JsonProperty("time") Long time,
      @JsonProperty("time_precision") Long timePrecision,
      @JsonProperty("batch_mode") Integer batchMode,
      @JsonProperty("min_batch_size") Long minBatchSize,
      @JsonProperty("task_info") String taskInfo) {}

  /** A DAP-18 task: its id and encoded TaskConfiguration (compared by content). */
  private record Dap18Key(TaskId id, ByteBuffer configuration) {}

  private final Map<Dap18Key, DapClient<Object>> dap18Clients = new ConcurrentHashMap<>();

  private record TaskKey(TaskId id, URI leader, URI helper, VdafInstance vdaf, long precision) {}

  /** The commands, for {@link TestApiServer}. */
  public Map<String, TestApiServer.Command<?>> commands() {
    return Map.of(
        TestApiServer.DAP09 + "ready", new TestApiServer.Command<>(Map.class, r -> Map.of()),
        TestApiServer.DAP09 + "upload",
        new TestApiServer.Command<>(UploadRequest.class, this::upload),
        TestApiServer.DAP18 + "ready", new TestApiServer.Command<>(Map.class, r -> Map.of()),
        TestApiServer.DAP18 + "upload",
        new TestApiServer.Command<>(Dap18UploadRequest.class, this::uploadDap18));
  }

  Object upload(UploadRequest r) throws DapClientException {
    TaskId id = Fields.taskId(r.taskId());
    URI leader = Fields.absoluteUrl(r.leader(), "leader");
    URI helper = Fields.absoluteUrl(r.helper(), "helper");
    VdafInstance vdaf = InteropVdaf.parse(Fields.required(r.vdaf(), "vdaf"));
    long precision = Fields.required(r.timePrecision(), "time_precision");
    if (precision <= 0) {
      throw new IllegalArgumentException("time_precision must be positive");
    }
    Object measurement = measurement(vdaf, Fields.required(r.measurement(), "measurement"));
    DapClient<Object> client = clients.computeIfAbsent(
        new TaskKey(id, leader, helper, vdaf, precision), k -> dap09Client(k));
    if (r.time() == null) {
      client.upload(measurement);
    } else {
      client.upload(measurement, Instant.ofEpochSecond(r.time()));
    }
    return Status.success();
  }

  @SuppressWarnings("unchecked")
  private DapClient<Object> dap09Client(TaskKey k) {
    if (k.vdaf() instanceof VdafInstance.Poplar1 p) {
      return (DapClient<Object>) (DapClient<?>) DapClient.poplar1(new Poplar1Task(k.id(),
          k.leader(), k.helper(), p.bits(), Duration.ofSeconds(k.precision())), http,
          Clock.systemUTC());
    }
    return new DapClient<>(new DapTask<>(k.id(), k.leader(), k.helper(),
        (Prio3<Object, ?>) k.vdaf().prio3(), Duration.ofSeconds(k.precision())), http,
        Clock.systemUTC());
  }

  @SuppressWarnings("unchecked")
  private DapClient<Object> dap18Client(TaskId id, Dap18Task task) {
    TaskConfiguration config = task.configuration();
    if (task.vdaf() instanceof VdafInstance.Poplar1) {
      return (DapClient<Object>) (DapClient<?>) DapClient.poplar1(id, config, http,
          Clock.systemUTC());
    }
    return new DapClient<>(DapTask.dap18(id, config,
        (Prio3<Object, ?>) Dap18Vdafs.prio3(config.vdaf())), http, Clock.systemUTC());
  }

  Object uploadDap18(Dap18UploadRequest r) throws DapClientException {
    TaskId id = Fields.taskId(r.taskId());
    Dap18Task task = Dap18Task.of(r.leader(), r.helper(), r.vdaf(), r.timePrecision(),
        r.batchMode(), r.minBatchSize(), r.taskInfo());
    Object measurement = measurement(task.vdaf(),
        Fields.required(r.measurement(), "measurement"));
    DapClient<Object> client = dap18Clients.computeIfAbsent(
        new Dap18Key(id, ByteBuffer.wrap(task.configuration().encode())),
        k -> dap18Client(id, task));
    if (r.time() == null) {
      client.upload(measurement);
    } else {
      client.upload(measurement, Instant.ofEpochSecond(r.time()));
    }
    return Status.success();
  }

  /**
   * The measurement in the VDAF's Java type, from the draft's JSON form; the same for a VDAF's
   * draft-08 and draft-20 variants.
   */
  static Object measurement(VdafInstance vdaf, JsonNode m) {
    String type = vdaf.type();
    if (vdaf instanceof VdafInstance.Poplar1 p) {
      // Not in the interop draft: a string of `bits` characters '0'/'1', the most significant
      // bit first, as DapClient.poplar1 takes (docs/INTEROP.md).
      if (!m.isTextual() || !m.asText().matches("[01]{" + p.bits() + "}")) {
        throw new IllegalArgumentException("measurement must be a string of " + p.bits()
            + " characters '0'/'1' for Poplar1, got " + m);
      }
      return m.asText();
    }
    if (type.equals("Prio3Count")) {
      BigInteger x = decimal(m, "measurement");
      if (x.signum() != 0 && !x.equals(BigInteger.ONE)) {
        throw new IllegalArgumentException("measurement must be \"0\" or \"1\"");
      }
      return x.equals(BigInteger.ONE);
    }
    if (type.equals("Prio3Sum")) {
      return decimal(m, "measurement").longValueExact();
    }
    if (type.equals("Prio3Histogram")) {
      return decimal(m, "measurement").intValueExact();
    }
    if (type.equals("Prio3MultihotCountVec")) {
      return longs(m).stream().map(x -> {
        if (x != 0 && x != 1) {
          throw new IllegalArgumentException("measurement entries must be \"0\" or \"1\"");
        }
        return x == 1;
      }).toList();
    }
    return longs(m); // Prio3SumVec and the multiproof SumVec
  }

  private static List<Long> longs(JsonNode m) {
    if (!m.isArray()) {
      throw new IllegalArgumentException("measurement must be an array of base-10 strings");
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      out.add(decimal(m.get(i), "measurement[" + i + "]").longValueExact());
    }
    return out;
  }

  private static BigInteger decimal(JsonNode n, String field) {
    if (!n.isTextual() || !n.asText().matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException(field + " must be an integer written in base 10 as a"
          + " string, got " + n);
    }
    return new BigInteger(n.asText());
  }
}
