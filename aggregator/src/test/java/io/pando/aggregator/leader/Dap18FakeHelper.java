package io.pando.aggregator.leader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.core.vdaf.DapVdaf;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregationJobContinueReq;
import io.pando.dap.messages.dap18.AggregationJobInitReq;
import io.pando.dap.messages.dap18.AggregationJobResp;
import io.pando.dap.messages.dap18.MediaTypes;
import io.pando.dap.messages.dap18.PlaintextInputShare;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.VerifyContinue;
import io.pando.dap.messages.dap18.VerifyInit;
import io.pando.dap.messages.dap18.VerifyResp;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.pingpong.PingPong;
import io.pando.vdaf.pingpong.State;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * A stand-in DAP-18 helper for the leader's tests (draft-ietf-ppm-dap-18 §4.5.3, §4.5.4, and our helper's
 * resource ids): {@code POST /dap-18/tasks/{task}/aggregation_jobs} decodes the
 * AggregationJobInitReq with the real messages, opens each helper input share with DAP-18's info
 * string and InputShareAad, and runs the real helper-side VDAF ({@code ping_pong_helper_init})
 * under the task's DAP-18 context, so a wrong context, AAD or encoding fails the report. The job
 * id is derived from the body (an identical POST is the same job: 201, same Location, the stored
 * response). {@code GET}, {@code POST} (continuation) and {@code DELETE} at the job's resource.
 * Per task it can answer the next POSTs with a 500, with "processing" (an empty 201 + Location,
 * the representation then at GET), or refuse with a problem document.
 */
final class Dap18FakeHelper implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HpkeKeypair key;
  private final Map<TaskId, HelperTask> tasks = new ConcurrentHashMap<>();

  /** One aggregation job at the helper: its init body and its latest response. */
  static final class Job {
    final byte[] initBody;
    final AggregationJobInitReq req;
    byte[] response;
    /** Per report: the helper's state waiting for the leader's continuation (Poplar1). */
    final Map<ReportId, State.Continued<Object, Object>> continued = new HashMap<>();
    final Map<ReportId, String> batchOf = new HashMap<>();
    byte[] continueBody;
    boolean processing;

    Job(byte[] initBody, AggregationJobInitReq req) {
      this.initBody = initBody;
      this.req = req;
    }
  }

  /** What the helper knows and keeps of one task. */
  static final class HelperTask {
    final Task task;
    final TaskConfiguration configuration;
    final Map<String, Job> jobs = new HashMap<>();
    final Map<String, Object> shares = new HashMap<>();
    final Map<String, Long> counts = new HashMap<>();
    /** Replay protection per (report id, aggregation parameter). */
    final Set<String> seen = new HashSet<>();
    /** Every init POST body received, in order, and those answered with an injected 500. */
    final List<byte[]> initBodies = new ArrayList<>();
    final List<byte[]> failedBodies = new ArrayList<>();
    final List<byte[]> continueBodies = new ArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();
    /** Continuations to answer with an injected 500, and the bodies so answered. */
    final AtomicInteger failContinueNext = new AtomicInteger();
    final List<byte[]> failedContinueBodies = new ArrayList<>();
    final AtomicInteger processingNext = new AtomicInteger();
    volatile DapProblemType refuse;
    volatile int refuseStatus = 400;
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();
    final AtomicInteger replays = new AtomicInteger();
    final List<String> requestContentTypes =
        java.util.Collections.synchronizedList(new ArrayList<>());

    HelperTask(Task task) {
      this.task = task;
      this.configuration = task.dap18().orElseThrow().configuration();
    }

    synchronized long count(String batch) {
      return counts.getOrDefault(batch, 0L);
    }

    synchronized Object share(String batch) {
      return shares.getOrDefault(batch, task.dapVdaf().emptyAggregateShare(aggParam(batch)));
    }

    synchronized List<byte[]> initBodies() {
      return new ArrayList<>(initBodies);
    }

    synchronized List<byte[]> failedBodies() {
      return new ArrayList<>(failedBodies);
    }

    synchronized List<byte[]> continueBodies() {
      return new ArrayList<>(continueBodies);
    }

    synchronized List<byte[]> failedContinueBodies() {
      return new ArrayList<>(failedContinueBodies);
    }

    synchronized Map<String, Long> counts() {
      return new HashMap<>(counts);
    }

    private byte[] aggParam(String batch) {
      int at = batch.indexOf('/');
      return at < 0 ? new byte[0] : Base64.getUrlDecoder().decode(batch.substring(at + 1));
    }
  }

  Dap18FakeHelper() throws IOException, HpkeException {
    key = HpkeKeypair.generate(HpkeConfigId.of(78), HpkeSuite.X25519_SHA256_AES128GCM);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/dap-18/tasks/", this::handle);
    server.start();
  }

  /** The helper's DAP-18 endpoint, {@code http://127.0.0.1:port/dap-18/}. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dap-18/");
  }

  HpkeKeypair key() {
    return key;
  }

  HelperTask add(Task task) {
    HelperTask t = new HelperTask(task);
    tasks.put(task.id(), t);
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

  private static void problem(HttpExchange ex, int status, DapProblemType type, TaskId task,
      String detail) throws IOException {
    send(ex, status, io.pando.dap.messages.MediaTypes.PROBLEM_JSON,
        ProblemDocument.of(type, detail, task.toBase64Url()).toJson()
            .getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String[] parts = ex.getRequestURI().getPath().split("/");
      // "", "dap-18", "tasks", task, "aggregation_jobs" [, job]
      if (parts.length < 5 || parts.length > 6 || !parts[4].equals("aggregation_jobs")) {
        send(ex, 404, null, new byte[0]);
        return;
      }
      TaskId taskId = TaskId.fromBase64Url(parts[3]);
      HelperTask task = tasks.get(taskId);
      if (task == null) {
        problem(ex, 400, DapProblemType.UNRECOGNIZED_TASK, taskId, "unknown task");
        return;
      }
      if (!("Bearer " + Tasks.AGGREGATOR_TOKEN).equals(
          ex.getRequestHeaders().getFirst("Authorization"))) {
        problem(ex, 403, DapProblemType.UNAUTHORIZED_REQUEST, taskId, "bad token");
        return;
      }
      String contentType = ex.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null) {
        task.requestContentTypes.add(contentType);
      }
      if (parts.length == 5) {
        if (!ex.getRequestMethod().equals("POST")) {
          send(ex, 405, null, new byte[0]);
          return;
        }
        create(ex, taskId, task, ex.getRequestBody().readAllBytes());
        return;
      }
      String jobId = parts[5];
      switch (ex.getRequestMethod()) {
        case "GET" -> {
          task.gets.incrementAndGet();
          byte[] response;
          synchronized (task) {
            Job job = task.jobs.get(jobId);
            response = job == null ? null : job.processing ? new byte[0] : job.response;
            if (job != null) {
              job.processing = false;
            }
          }
          if (response == null) {
            problem(ex, 404, DapProblemType.UNRECOGNIZED_AGGREGATION_JOB, taskId, "no such job");
          } else if (response.length == 0) {
            ex.getResponseHeaders().set("Retry-After", "0");
            send(ex, 200, null, response);
          } else {
            send(ex, 200, MediaTypes.AGGREGATION_JOB_RESP, response);
          }
        }
        case "POST" -> continueJob(ex, taskId, task, jobId, ex.getRequestBody().readAllBytes());
        case "DELETE" -> {
          task.deletes.incrementAndGet();
          send(ex, 204, null, new byte[0]);
        }
        default -> send(ex, 405, null, new byte[0]);
      }
    } catch (RuntimeException e) {
      send(ex, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The helper's job id: SHA-256("pando dap-18 aggregation job" || task_id || body)[0..16]. */
  static String jobId(TaskId task, byte[] body) {
    byte[] label = "pando dap-18 aggregation job".getBytes(StandardCharsets.UTF_8);
    byte[] in = new byte[label.length + 32 + body.length];
    System.arraycopy(label, 0, in, 0, label.length);
    System.arraycopy(task.bytes(), 0, in, label.length, 32);
    System.arraycopy(body, 0, in, label.length + 32, body.length);
    return b64(Arrays.copyOf(FakeHelper.sha256(in), 16));
  }

  private void create(HttpExchange ex, TaskId taskId, HelperTask task, byte[] body)
      throws IOException {
    synchronized (task) {
      task.initBodies.add(body.clone());
    }
    if (!MediaTypes.is(ex.getRequestHeaders().getFirst("Content-Type"),
        MediaTypes.Message.AGGREGATION_JOB_INIT_REQ)) {
      send(ex, 415, null, new byte[0]);
      return;
    }
    if (task.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      synchronized (task) {
        task.failedBodies.add(body.clone());
      }
      send(ex, 500, "text/plain", "injected failure".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (task.refuse != null) {
      problem(ex, task.refuseStatus, task.refuse, taskId, "injected refusal");
      return;
    }
    AggregationJobInitReq req;
    try {
      req = AggregationJobInitReq.decode(body);
    } catch (DecodeException e) {
      problem(ex, 400, DapProblemType.INVALID_MESSAGE, taskId, e.getMessage());
      return;
    }
    String id = jobId(taskId, body);
    String location = "/dap-18/tasks/" + taskId.toBase64Url() + "/aggregation_jobs/" + id;
    byte[] response;
    synchronized (task) {
      Job job = task.jobs.get(id);
      if (job == null) {
        job = new Job(body.clone(), req);
        job.response = initialize(taskId, task, job).encode();
        job.processing = task.processingNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        task.jobs.put(id, job);
      }
      response = job.processing ? new byte[0] : job.response;
    }
    ex.getResponseHeaders().set("Location", location);
    if (response.length == 0) {
      ex.getResponseHeaders().set("Retry-After", "0");
      send(ex, 201, null, response);
    } else {
      send(ex, 201, MediaTypes.AGGREGATION_JOB_RESP, response);
    }
  }

  /** The report's batch at the helper: its time bucket or the leader-selected batch id. */
  private static String batch(HelperTask task, AggregationJobInitReq req, VerifyInit init)
      throws DecodeException {
    String suffix = req.aggregationParameter().length == 0 ? ""
        : "/" + b64(req.aggregationParameter());
    java.util.Optional<BatchId> selected = req.leaderSelectedBatchId();
    if (selected.isPresent()) {
      return b64(selected.get().bytes()) + suffix;
    }
    long seconds = init.reportShare().metadata().time().toSeconds(
        task.configuration.timePrecision());
    long precision = task.configuration.timePrecision().seconds();
    return Math.floorDiv(seconds, precision) * precision + suffix;
  }

  /** DAP-18 §4.5.3.3 with the real VDAF: each report verified, output shares committed. */
  private AggregationJobResp initialize(TaskId taskId, HelperTask task, Job job) {
    DapVdaf vdaf = task.task.dapVdaf();
    PingPong<Object, Object> pp = vdaf.pingPong(task.task.vdafContext());
    byte[] aggParam = job.req.aggregationParameter();
    List<VerifyResp> resps = new ArrayList<>();
    for (VerifyInit init : job.req.verifyInits()) {
      ReportId id = init.reportId();
      if (!task.seen.add(b64(id.bytes()) + "/" + b64(aggParam))) {
        task.replays.incrementAndGet();
        resps.add(VerifyResp.reject(id, ReportError.REPORT_REPLAYED));
        continue;
      }
      byte[] payload;
      String batch;
      try {
        byte[] plaintext = key.open(ApplicationInfo.inputShare(DapVersion.DAP_18, Role.HELPER),
            init.reportShare().encryptedInputShare(),
            init.reportShare().inputShareAad(taskId, task.configuration).encode());
        payload = PlaintextInputShare.decode(plaintext).payload();
        batch = batch(task, job.req, init);
      } catch (HpkeException | DecodeException e) {
        resps.add(VerifyResp.reject(id, ReportError.HPKE_DECRYPT_ERROR));
        continue;
      }
      PingPong.Transition<Object, Object> t = pp.helperInit(task.task.verifyKey().reveal(),
          aggParam, id.bytes(), init.reportShare().publicShare(), payload, init.payload());
      if (t.state() instanceof State.Finished<Object, Object> f && t.outbound() != null) {
        commit(task, vdaf, aggParam, batch, f.outputShare());
        resps.add(VerifyResp.continueWith(id, t.outbound()));
      } else if (t.state() instanceof State.Continued<Object, Object> c && t.outbound() != null) {
        job.continued.put(id, c);
        job.batchOf.put(id, batch);
        resps.add(VerifyResp.continueWith(id, t.outbound()));
      } else {
        resps.add(VerifyResp.reject(id, ReportError.VDAF_VERIFY_ERROR));
      }
    }
    return new AggregationJobResp(resps);
  }

  private static void commit(HelperTask task, DapVdaf vdaf, byte[] aggParam, String batch,
      Object outputShare) {
    task.shares.merge(batch, vdaf.aggregate(aggParam, List.of(outputShare)), vdaf::merge);
    task.counts.merge(batch, 1L, Long::sum);
  }

  /** DAP-18 §4.5.4.2: the continuation (two-round VDAFs); a retry gets the stored answer. */
  private void continueJob(HttpExchange ex, TaskId taskId, HelperTask task, String jobId,
      byte[] body) throws IOException {
    if (!MediaTypes.is(ex.getRequestHeaders().getFirst("Content-Type"),
        MediaTypes.Message.AGGREGATION_JOB_CONTINUE_REQ)) {
      send(ex, 415, null, new byte[0]);
      return;
    }
    if (task.failContinueNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      synchronized (task) {
        task.continueBodies.add(body.clone());
        task.failedContinueBodies.add(body.clone());
      }
      send(ex, 500, "text/plain", "injected failure".getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] response;
    synchronized (task) {
      task.continueBodies.add(body.clone());
      Job job = task.jobs.get(jobId);
      if (job == null) {
        problem(ex, 404, DapProblemType.UNRECOGNIZED_AGGREGATION_JOB, taskId, "no such job");
        return;
      }
      if (job.continueBody != null) {
        if (!Arrays.equals(job.continueBody, body)) {
          problem(ex, 400, DapProblemType.INVALID_MESSAGE, taskId, "another continuation");
          return;
        }
        response = job.response;
      } else {
        AggregationJobContinueReq req;
        try {
          req = AggregationJobContinueReq.decode(body);
        } catch (DecodeException e) {
          problem(ex, 400, DapProblemType.INVALID_MESSAGE, taskId, e.getMessage());
          return;
        }
        DapVdaf vdaf = task.task.dapVdaf();
        PingPong<Object, Object> pp = vdaf.pingPong(task.task.vdafContext());
        byte[] aggParam = job.req.aggregationParameter();
        List<VerifyResp> resps = new ArrayList<>();
        for (VerifyContinue c : req.verifyContinues()) {
          State.Continued<Object, Object> state = job.continued.get(c.reportId());
          if (state == null) {
            continue;
          }
          PingPong.Transition<Object, Object> t = pp.helperContinued(aggParam, state,
              c.payload());
          if (t.state() instanceof State.Finished<Object, Object> f) {
            commit(task, vdaf, aggParam, job.batchOf.get(c.reportId()), f.outputShare());
            resps.add(VerifyResp.finish(c.reportId()));
          } else {
            resps.add(VerifyResp.reject(c.reportId(), ReportError.VDAF_VERIFY_ERROR));
          }
        }
        response = new AggregationJobResp(resps).encode();
        job.continueBody = body.clone();
        job.response = response;
      }
    }
    send(ex, 200, MediaTypes.AGGREGATION_JOB_RESP, response);
  }
}
