package io.pando.aggregator.leader;

import io.pando.aggregator.http.Auth;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.tracing.Tracing;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The leader's requests to the helper (DAP-09 §4.5.1.1, §4.6.2): {@code PUT}/{@code DELETE
 * {helper}/tasks/{task-id}/aggregation_jobs/{aggregation-job-id}} and {@code POST
 * {helper}/tasks/{task-id}/aggregate_shares}, authenticated with the task's aggregator token as
 * {@code Authorization: Bearer} (§3.1), or as {@code DAP-Auth-Token} when
 * {@code pando.leader.helper-auth-scheme} says so. Uses the JDK's {@link HttpClient} with connect and
 * request timeouts.
 *
 * <p>DAP-18 tasks (draft-ietf-ppm-dap-18 §4.5.3, §4.5.4): {@link #createAggregationJob} {@code
 * POST}s to {@code {helper}/tasks/{task-id}/aggregation_jobs} and returns the {@code Location}
 * the helper named; the continuation and the {@code DELETE} go to that resource; bodies use
 * {@code application/ppm-dap;message=...}; an empty 2xx body is polled; problem types are parsed
 * as the task's draft names them. {@link #postDap18AggregateShare} (§4.6.4) creates aggregate
 * shares the same way.
 */
@ApplicationScoped
public class HelperClient {
  private final HttpClient http;
  private final Duration requestTimeout;
  private final LeaderConfig.AuthScheme authScheme;

  private final Tracing tracing;

  @Inject
  public HelperClient(LeaderConfig config, Tracing tracing) {
    this.tracing = tracing;
    this.http = HttpClient.newBuilder()
        .connectTimeout(config.helperConnectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.requestTimeout = config.helperRequestTimeout();
    this.authScheme = config.helperAuthScheme();
  }

  /** What the helper answered. */
  public sealed interface Response {
    /**
     * A 2xx answer and its body; on DAP-18, the resource its {@code Location} names, resolved
     * against the request URL ("Resource Creation"), and its {@code Retry-After} (an empty body
     * means "processing", "Asynchronous Request Handling").
     */
    record Ok(int status, byte[] body, Optional<URI> location, Optional<Duration> retryAfter)
        implements Response {
      public Ok(int status, byte[] body) {
        this(status, body, Optional.empty(), Optional.empty());
      }
    }

    /**
     * No answer, or one worth retrying (408, 429, 5xx): the job is tried again later, after
     * {@code retryAfter} if the helper sent a {@code Retry-After} (RFC 9110 §10.2.3).
     */
    record Transient(String reason, Optional<Duration> retryAfter) implements Response {
      public Transient(String reason) {
        this(reason, Optional.empty());
      }
    }

    /** Any other answer: the helper refused the request; its problem type, if any. */
    record Refused(int status, Optional<DapProblemType> type, String detail) implements Response {}
  }

  static URI aggregationJobUri(Task task, AggregationJobId job) {
    return task.peerEndpoint().resolve("tasks/" + task.id().toBase64Url() + "/aggregation_jobs/"
        + job.toBase64Url());
  }

  static URI aggregateSharesUri(Task task) {
    return task.peerEndpoint().resolve("tasks/" + task.id().toBase64Url() + "/aggregate_shares");
  }

  /** DAP-18 §4.5.3: {@code {helper}/tasks/{task-id}/aggregation_jobs}, where jobs are created. */
  static URI aggregationJobsUri(Task task) {
    return task.peerEndpoint().resolve("tasks/" + task.id().toBase64Url() + "/aggregation_jobs");
  }

  private HttpRequest.Builder request(Task task, URI uri, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    // draft-wang-ppm-dap-taskprov-06 §4: every request of a taskprov task carries its TaskConfig,
    // so that the helper provisions the task on the first one.
    task.taskprovConfig().ifPresent(c -> b.header(
        io.pando.dap.messages.taskprov.TaskConfig.HEADER,
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(c)));
    task.aggregatorAuthToken().ifPresent(t -> {
      String token = new String(t.reveal(), StandardCharsets.UTF_8);
      if (authScheme == LeaderConfig.AuthScheme.DAP_AUTH_TOKEN) {
        b.header(Auth.DAP_AUTH_TOKEN, token);
      } else {
        b.header("Authorization", "Bearer " + token);
      }
    });
    return b;
  }

  /** {@code PUT} an {@code AggregationJobInitReq}. */
  public Response putAggregationJob(Task task, AggregationJobId job, byte[] initReq) {
    return send(request(task, aggregationJobUri(task, job), requestTimeout)
        .header("Content-Type", MediaTypes.AGGREGATION_JOB_INIT_REQ)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(initReq)),
        "PUT /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}");
  }

  /** {@code POST} an {@code AggregationJobContinueReq} (§4.5.2.1). */
  public Response postAggregationJob(Task task, AggregationJobId job, byte[] continueReq) {
    return send(request(task, aggregationJobUri(task, job), requestTimeout)
        .header("Content-Type", MediaTypes.AGGREGATION_JOB_CONTINUE_REQ)
        .POST(HttpRequest.BodyPublishers.ofByteArray(continueReq)),
        "POST /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}");
  }

  /** {@code POST} an {@code AggregateShareReq} (§4.6.2). */
  public Response postAggregateShare(Task task, byte[] aggregateShareReq) {
    return send(request(task, aggregateSharesUri(task), requestTimeout)
        .header("Content-Type", MediaTypes.AGGREGATE_SHARE_REQ)
        .POST(HttpRequest.BodyPublishers.ofByteArray(aggregateShareReq)),
        "POST /tasks/{task-id}/aggregate_shares");
  }

  /** {@code DELETE} the job at the helper (best effort: the helper may not implement it). */
  public Response deleteAggregationJob(Task task, AggregationJobId job) {
    return send(request(task, aggregationJobUri(task, job), requestTimeout).DELETE(),
        "DELETE /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}");
  }

  /**
   * DAP-18 §4.5.3: {@code POST} an {@code AggregationJobInitReq} to {@code
   * {helper}/tasks/{task-id}/aggregation_jobs}; the helper names the job it created in {@code
   * Location}. An empty 2xx body ("Asynchronous Request Handling") is polled at the Location
   * for a bounded time; still empty after that, the answer is {@link Response.Transient}, so that
   * the job step is taken up again later (with the identical body, which the helper answers from
   * the same job).
   */
  public Response createAggregationJob(Task task, byte[] initReq) {
    URI uri = aggregationJobsUri(task);
    Response r = send(request(task, uri, requestTimeout)
        .header("Content-Type", io.pando.dap.messages.dap18.MediaTypes.AGGREGATION_JOB_INIT_REQ)
        .POST(HttpRequest.BodyPublishers.ofByteArray(initReq)),
        "POST /tasks/{task-id}/aggregation_jobs", task);
    if (r instanceof Response.Ok ok && ok.location().isEmpty()) {
      return new Response.Refused(ok.status(), Optional.empty(),
          "the helper's answer to the aggregation job POST has no Location");
    }
    return representation(task, r, null, GET_JOB);
  }

  /**
   * DAP-18 §4.5.4: {@code POST} an {@code AggregationJobContinueReq} of {@code step} to the
   * job's resource; an empty 2xx body is polled as in {@link #createAggregationJob}, at the
   * helper's Location or else at {@code {job}?step={step}} (§4.5.4.2: GETs name the step).
   */
  public Response continueAggregationJob(Task task, URI job, int step, byte[] continueReq) {
    Response r = send(request(task, job, requestTimeout)
        .header("Content-Type", io.pando.dap.messages.dap18.MediaTypes.AGGREGATION_JOB_CONTINUE_REQ)
        .POST(HttpRequest.BodyPublishers.ofByteArray(continueReq)),
        "POST /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}", task);
    return representation(task, r, URI.create(resource(job) + "?step=" + step), GET_JOB);
  }

  /**
   * DAP-18 §4.6.4: {@code POST} an {@code AggregateShareReq} to {@code
   * {helper}/tasks/{task-id}/aggregate_shares}; the helper names the share in {@code Location}.
   * An empty 2xx body is polled there as in {@link #createAggregationJob}; still empty, the
   * answer is {@link Response.Transient} and the collection job sends the identical request
   * again later, which the helper answers with the same resource (§3 "Resource Creation").
   */
  public Response postDap18AggregateShare(Task task, byte[] aggregateShareReq) {
    Response r = send(request(task, aggregateSharesUri(task), requestTimeout)
        .header("Content-Type", io.pando.dap.messages.dap18.MediaTypes.AGGREGATE_SHARE_REQ)
        .POST(HttpRequest.BodyPublishers.ofByteArray(aggregateShareReq)),
        "POST /tasks/{task-id}/aggregate_shares", task);
    return representation(task, r, null,
        "GET /tasks/{task-id}/aggregate_shares/{aggregate-share-id}");
  }

  private static final String GET_JOB = "GET /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}";

  /** DAP-18: {@code DELETE} a resource the helper created (best effort). */
  public Response deleteResource(Task task, URI resource) {
    return send(request(task, resource, requestTimeout).DELETE(),
        "DELETE /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}", task);
  }

  /**
   * The representation behind a DAP-18 answer ("Asynchronous Request Handling"): a non-empty 2xx
   * body as it is; an empty one means "processing", and the resource (its Location, else {@code
   * resource}) is polled with {@code GET}, honouring {@code Retry-After}, for at most {@link
   * #POLL_BUDGET}; after that a {@link Response.Transient} with the helper's Retry-After.
   */
  private Response representation(Task task, Response first, URI resource, String getRoute) {
    if (!(first instanceof Response.Ok ok) || ok.body().length > 0) {
      return first;
    }
    URI at = ok.location().orElse(resource);
    if (at == null) {
      return new Response.Refused(ok.status(), Optional.empty(),
          "the helper answered with an empty body and no Location");
    }
    Instant deadline = Instant.now().plus(POLL_BUDGET);
    Optional<Duration> wait = ok.retryAfter();
    while (true) {
      Duration pause = wait.map(d -> d.compareTo(MIN_POLL_PAUSE) < 0 ? MIN_POLL_PAUSE : d)
          .orElse(Duration.ofMillis(200));
      Duration left = Duration.between(Instant.now(), deadline);
      if (pause.compareTo(left) > 0) {
        return new Response.Transient("the helper is still processing " + at,
            Optional.of(wait.orElse(Duration.ofSeconds(1))));
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Response.Transient("interrupted");
      }
      Response polled = send(request(task, at, requestTimeout).GET(), getRoute, task);
      if (!(polled instanceof Response.Ok p) || p.body().length > 0) {
        return polled instanceof Response.Ok p2
            ? new Response.Ok(p2.status(), p2.body(), Optional.of(at), p2.retryAfter()) : polled;
      }
      wait = p.retryAfter();
    }
  }

  /** A resource's URL: {@code location} without its query and fragment. */
  static URI resource(URI location) {
    try {
      return new URI(location.getScheme(), location.getRawAuthority() == null ? null
          : location.getAuthority(), location.getPath(), null, null);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + location, e);
    }
  }

  /** How long a DAP-18 answer "processing" is polled within one job step. */
  static final Duration POLL_BUDGET = Duration.ofSeconds(2);
  /** The shortest pause between two polls (a {@code Retry-After: 0} is not a busy loop). */
  private static final Duration MIN_POLL_PAUSE = Duration.ofMillis(50);

  /**
   * A {@code Retry-After} value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as a wait
   * from {@code now}; empty if it is neither.
   */
  static Optional<Duration> retryAfter(String value, Instant now) {
    String v = value.trim();
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Sends a request to the helper under a CLIENT span whose trace context goes with it ({@code
   * traceparent}), so the helper's span of this request joins the leader's trace.
   */
  private Response send(HttpRequest.Builder builder, String route) {
    return send(builder, route, DapVersion.DAP_09);
  }

  private Response send(HttpRequest.Builder builder, String route, Task task) {
    return send(builder, route, task.dapVersion());
  }

  private Response send(HttpRequest.Builder builder, String route, DapVersion version) {
    Span span = tracing.start(route, SpanKind.CLIENT);
    try (Scope scope = span.makeCurrent()) {
      tracing.inject(builder::header);
      Response r = send(builder.build(), version);
      if (r instanceof Response.Ok ok) {
        span.setAttribute(Tracing.HTTP_STATUS, (long) ok.status());
      } else if (r instanceof Response.Refused refused) {
        span.setAttribute(Tracing.HTTP_STATUS, (long) refused.status());
        span.setStatus(StatusCode.ERROR, refused.detail());
      } else {
        span.setStatus(StatusCode.ERROR, ((Response.Transient) r).reason());
      }
      return r;
    } finally {
      span.end();
    }
  }

  private Response send(HttpRequest req, DapVersion version) {
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Response.Transient(req.method() + " " + req.uri() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response.Transient("interrupted");
    }
    int status = resp.statusCode();
    if (status / 100 == 2) {
      if (version == DapVersion.DAP_09) {
        return new Response.Ok(status, resp.body());
      }
      Optional<URI> location;
      try {
        location = resp.headers().firstValue("Location").map(req.uri()::resolve);
      } catch (IllegalArgumentException e) {
        return new Response.Refused(status, Optional.empty(),
            "the helper's Location does not parse: " + e.getMessage());
      }
      return new Response.Ok(status, resp.body(), location, resp.headers()
          .firstValue("Retry-After").flatMap(v -> retryAfter(v, Instant.now())));
    }
    if (status == 408 || status == 429 || status / 100 == 5) {
      Optional<Duration> after = resp.headers().firstValue("Retry-After")
          .flatMap(v -> retryAfter(v, Instant.now()));
      return new Response.Transient(req.method() + " " + req.uri() + ": HTTP " + status
          + after.map(d -> ", Retry-After " + d.toSeconds() + " s").orElse(""), after);
    }
    String type = resp.headers().firstValue("Content-Type").orElse("");
    ProblemDocument doc = type.startsWith(MediaTypes.PROBLEM_JSON)
        ? ProblemDocument.parse(new String(resp.body(), StandardCharsets.UTF_8))
        : new ProblemDocument(null, null, status, null, null, null);
    // DAP-18's problem types are its own: parsed by the task's version.
    return new Response.Refused(status, doc.dapType(version),
        doc.detail() != null ? doc.detail() : doc.title() != null ? doc.title() : "HTTP " + status);
  }
}
