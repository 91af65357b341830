package io.pando.aggregator.leader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.aggregator.Tasks;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.AggregateShareReq;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.Prio3PingPong;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyState;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in DAP-09 helper for the leader's tests: a JDK HttpServer on 127.0.0.1 that serves
 * {@code /hpke_config} with its own key and answers {@code PUT
 * /tasks/{task}/aggregation_jobs/{job}} as §4.5.1.2 requires (decrypting its input shares,
 * running {@code ping_pong_helper_init}, keeping its own aggregate shares per batch), idempotently
 * for an identical request, and {@code POST /tasks/{task}/aggregate_shares} (§4.6.2). Per task it
 * can fail requests with a 5xx or 429 (with or without Retry-After), refuse them with a problem
 * document, or reject chosen reports.
 */
final class FakeHelper implements AutoCloseable {
  static final String TOKEN = Tasks.AGGREGATOR_TOKEN;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HpkeKeypair key;
  private final Map<TaskId, HelperTask> tasks = new ConcurrentHashMap<>();

  /** What the helper knows and keeps of one task. */
  static final class HelperTask {
    final Prio3<?, ?> vdaf;
    final byte[] verifyKey;
    final long timePrecision;
    final Map<String, byte[]> requestHashes = new HashMap<>();
    final Map<String, byte[]> responses = new HashMap<>();
    final Map<String, AggregateShare> shares = new HashMap<>();
    final Map<String, Long> counts = new HashMap<>();
    final Map<String, byte[]> checksums = new HashMap<>();
    final Map<ReportId, String> reportBatch = new HashMap<>();
    final Set<ReportId> seen = new HashSet<>();
    final Set<ReportId> reject = ConcurrentHashMap.newKeySet();
    final AtomicInteger failNext = new AtomicInteger();
    /** The status of an injected failure, and the Retry-After sent with it (null: none). */
    volatile int failStatus = 500;
    volatile String failRetryAfter;
    volatile DapProblemType refuse;
    final AtomicInteger puts = new AtomicInteger();
    final AtomicInteger repeatedPuts = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();
    final AtomicInteger replays = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    /** The {@code traceparent} header of every aggregation job request (null when absent). */
    final List<String> traceparents = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Aggregate share requests (§4.6.2): every body received, and the answers by selector. */
    final List<byte[]> shareRequests = new ArrayList<>();
    final Map<String, byte[]> shareAnswers = new HashMap<>();
    final Map<String, byte[]> shareRequestBySelector = new HashMap<>();
    final AtomicInteger shareFailNext = new AtomicInteger();
    volatile DapProblemType shareRefuse;

    HelperTask(Prio3<?, ?> vdaf, byte[] verifyKey, long timePrecision) {
      this.vdaf = vdaf;
      this.verifyKey = verifyKey.clone();
      this.timePrecision = timePrecision;
    }

    /** The helper's aggregate over the given batches (base64url batch identifiers). */
    synchronized AggregateShare share(List<String> batches) {
      AggregateShare sum = vdaf.emptyAggregateShare();
      for (String b : batches) {
        if (shares.containsKey(b)) {
          sum = vdaf.merge(sum, shares.get(b));
        }
      }
      return sum;
    }

    synchronized long count(List<String> batches) {
      long n = 0;
      for (String b : batches) {
        n += counts.getOrDefault(b, 0L);
      }
      return n;
    }

    synchronized byte[] checksum(String batch) {
      return checksums.getOrDefault(batch, new byte[32]).clone();
    }

    synchronized Map<ReportId, String> reportBatches() {
      return new HashMap<>(reportBatch);
    }

    synchronized Map<String, Long> counts() {
      return new HashMap<>(counts);
    }

    synchronized List<byte[]> shareRequests() {
      return new ArrayList<>(shareRequests);
    }
  }

  FakeHelper() throws IOException, HpkeException {
    key = HpkeKeypair.generate(HpkeConfigId.of(77), HpkeSuite.X25519_SHA256_AES128GCM);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/hpke_config", this::hpkeConfig);
    server.createContext("/tasks/", this::aggregationJob);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  HelperTask add(TaskId id, Prio3<?, ?> vdaf, String verifyKeyBase64Url, long timePrecision) {
    HelperTask t = new HelperTask(vdaf, Base64.getUrlDecoder().decode(verifyKeyBase64Url),
        timePrecision);
    tasks.put(id, t);
    return t;
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void hpkeConfig(HttpExchange ex) throws IOException {
    byte[] body = HpkeConfigList.of(key.config()).encode();
    ex.getResponseHeaders().set("Content-Type", MediaTypes.HPKE_CONFIG_LIST);
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
    ex.close();
  }

  private static void problem(HttpExchange ex, DapProblemType type, TaskId task, String detail)
      throws IOException {
    send(ex, type.httpStatus(), MediaTypes.PROBLEM_JSON,
        ProblemDocument.of(type, detail, task == null ? null : task.toBase64Url()).toJson()
            .getBytes(StandardCharsets.UTF_8));
  }

  private void aggregationJob(HttpExchange ex) throws IOException {
    try {
      String[] parts = ex.getRequestURI().getPath().split("/");
      // "", "tasks", task, "aggregation_jobs", job  or  "", "tasks", task, "aggregate_shares"
      boolean shares = parts.length == 4 && parts[3].equals("aggregate_shares");
      if (!shares && (parts.length != 5 || !parts[3].equals("aggregation_jobs"))) {
        send(ex, 404, null, new byte[0]);
        return;
      }
      TaskId taskId = TaskId.fromBase64Url(parts[2]);
      String jobId = shares ? null : parts[4];
      HelperTask task = tasks.get(taskId);
      if (task == null) {
        problem(ex, DapProblemType.UNRECOGNIZED_TASK, taskId, "unknown task");
        return;
      }
      if (!shares) {
        task.traceparents.add(ex.getRequestHeaders().getFirst("traceparent"));
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + TOKEN).equals(auth)) {
        task.unauthorized.incrementAndGet();
        problem(ex, DapProblemType.UNAUTHORIZED_REQUEST, taskId, "bad token");
        return;
      }
      if (shares) {
        if (!ex.getRequestMethod().equals("POST")) {
          send(ex, 405, null, new byte[0]);
          return;
        }
        aggregateShare(ex, taskId, task, ex.getRequestBody().readAllBytes());
        return;
      }
      switch (ex.getRequestMethod()) {
        case "DELETE" -> {
          task.deletes.incrementAndGet();
          send(ex, 204, null, new byte[0]);
        }
        case "PUT" -> put(ex, taskId, task, jobId, ex.getRequestBody().readAllBytes());
        default -> send(ex, 405, null, new byte[0]);
      }
    } catch (RuntimeException e) {
      send(ex, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private void put(HttpExchange ex, TaskId taskId, HelperTask task, String jobId, byte[] body)
      throws IOException {
    task.puts.incrementAndGet();
    if (!MediaTypes.AGGREGATION_JOB_INIT_REQ.equals(
        ex.getRequestHeaders().getFirst("Content-Type"))) {
      send(ex, 415, null, new byte[0]);
      return;
    }
    if (task.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      if (task.failRetryAfter != null) {
        ex.getResponseHeaders().add("Retry-After", task.failRetryAfter);
      }
      send(ex, task.failStatus, "text/plain",
          "injected failure".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (task.refuse != null) {
      problem(ex, task.refuse, taskId, "injected refusal");
      return;
    }
    AggregationJobInitReq<?> req;
    try {
      req = AggregationJobInitReq.decode(body);
    } catch (DecodeException e) {
      problem(ex, DapProblemType.INVALID_MESSAGE, taskId, e.getMessage());
      return;
    }
    byte[] hash = sha256(body);
    byte[] response;
    synchronized (task) {
      byte[] previous = task.requestHashes.get(jobId);
      if (previous != null) {
        if (!Arrays.equals(previous, hash)) {
          problem(ex, DapProblemType.INVALID_MESSAGE, taskId, "job exists with another request");
          return;
        }
        task.repeatedPuts.incrementAndGet();
        response = task.responses.get(jobId);
      } else {
        response = initialize(taskId, task, req).encode();
        task.requestHashes.put(jobId, hash);
        task.responses.put(jobId, response);
      }
    }
    send(ex, 200, MediaTypes.AGGREGATION_JOB_RESP, response);
  }

  /**
   * §4.6.2: the helper's aggregate share over the batch the selector names, sealed to the test
   * collector key; the same selector again gets the same answer; a report count or checksum
   * that differs from the helper's is a batchMismatch.
   */
  private void aggregateShare(HttpExchange ex, TaskId taskId, HelperTask task, byte[] body)
      throws IOException {
    if (!MediaTypes.AGGREGATE_SHARE_REQ.equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
      send(ex, 415, null, new byte[0]);
      return;
    }
    synchronized (task) {
      task.shareRequests.add(body.clone());
    }
    if (task.shareFailNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      send(ex, 500, "text/plain", "injected failure".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (task.shareRefuse != null) {
      problem(ex, task.shareRefuse, taskId, "injected refusal");
      return;
    }
    AggregateShareReq<?> req;
    try {
      req = AggregateShareReq.decode(body);
    } catch (DecodeException e) {
      problem(ex, DapProblemType.INVALID_MESSAGE, taskId, e.getMessage());
      return;
    }
    List<String> batches = new ArrayList<>();
    if (req.batchSelector() instanceof BatchSelector.FixedSize fs) {
      batches.add(b64(fs.batchId().bytes()));
    } else {
      Interval i = ((BatchSelector.TimeInterval) req.batchSelector()).batchInterval();
      for (long t = i.start().seconds(); t < i.end().seconds(); t += task.timePrecision) {
        batches.add(Long.toString(t));
      }
    }
    String selector = b64(req.batchSelector().encode());
    byte[] answer;
    synchronized (task) {
      long count = task.count(batches);
      byte[] checksum = new byte[32];
      for (String b : batches) {
        byte[] c = task.checksum(b);
        for (int i = 0; i < 32; i++) {
          checksum[i] ^= c[i];
        }
      }
      if (count != req.reportCount() || !Arrays.equals(checksum, req.checksum().bytes())) {
        problem(ex, DapProblemType.BATCH_MISMATCH, taskId, "the helper counts " + count);
        return;
      }
      answer = task.shareAnswers.get(selector);
      if (answer == null) {
        try {
          byte[] aad = aad(taskId, req.batchSelector());
          answer = new io.pando.dap.messages.AggregateShare(Hpke.sealer(Tasks.COLLECTOR_KEY.config()).seal(
              ApplicationInfo.aggregateShare(Role.HELPER),
              task.vdaf.encodeAggregateShare(task.share(batches)), aad)).encode();
        } catch (HpkeException e) {
          throw new IllegalStateException(e);
        }
        task.shareAnswers.put(selector, answer);
        task.shareRequestBySelector.put(selector, body.clone());
      }
    }
    send(ex, 200, MediaTypes.AGGREGATE_SHARE, answer);
  }

  private static <Q extends QueryType> byte[] aad(TaskId task, BatchSelector<Q> selector) {
    return new AggregateShareAad<>(task, new byte[0], selector).encode();
  }

  /** §4.5.1.2: prepares each report and adds the output shares to the batch's aggregate. */
  private AggregationJobResp initialize(TaskId taskId, HelperTask task,
      AggregationJobInitReq<?> req) {
    PingPong<VerifyState, OutputShare> pp = Prio3PingPong.of(task.vdaf);
    List<PrepareResp> resps = new ArrayList<>();
    for (PrepareInit init : req.prepareInits()) {
      ReportId id = init.reportId();
      if (!task.seen.add(id)) {
        task.replays.incrementAndGet();
        resps.add(new PrepareResp(id, PrepareStepResult.reject(PrepareError.REPORT_REPLAYED)));
        continue;
      }
      if (task.reject.contains(id)) {
        resps.add(new PrepareResp(id, PrepareStepResult.reject(PrepareError.VDAF_PREP_ERROR)));
        continue;
      }
      byte[] payload;
      try {
        byte[] plaintext = key.open(ApplicationInfo.inputShare(Role.HELPER),
            init.reportShare().encryptedInputShare(),
            new InputShareAad(taskId, init.reportShare().metadata(),
                init.reportShare().publicShare()).encode());
        payload = PlaintextInputShare.decode(plaintext).payload();
      } catch (HpkeException | DecodeException e) {
        resps.add(new PrepareResp(id, PrepareStepResult.reject(PrepareError.HPKE_DECRYPT_ERROR)));
        continue;
      }
      PingPong.Transition<VerifyState, OutputShare> t = pp.helperInit(task.verifyKey,
          req.aggregationParameter(), id.bytes(), init.reportShare().publicShare(), payload,
          init.payload());
      if (!(t.state() instanceof State.Finished<VerifyState, OutputShare> f)) {
        resps.add(new PrepareResp(id, PrepareStepResult.reject(PrepareError.VDAF_PREP_ERROR)));
        continue;
      }
      String batch;
      if (req.partialBatchSelector() instanceof PartialBatchSelector.FixedSize fs) {
        batch = b64(fs.batchId().bytes());
      } else {
        long time = init.reportShare().metadata().time().seconds();
        batch = Long.toString(Math.floorDiv(time, task.timePrecision) * task.timePrecision);
      }
      task.shares.merge(batch, task.vdaf.aggregate(List.of(f.outputShare())), task.vdaf::merge);
      task.counts.merge(batch, 1L, Long::sum);
      byte[] sum = task.checksums.getOrDefault(batch, new byte[32]);
      byte[] h = sha256(id.bytes());
      for (int i = 0; i < 32; i++) {
        sum[i] ^= h[i];
      }
      task.checksums.put(batch, sum);
      task.reportBatch.put(id, batch);
      resps.add(new PrepareResp(id, PrepareStepResult.continueWith(t.outbound())));
    }
    return new AggregationJobResp(resps);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
