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
 * request timeouts. DAP-18 tasks: {@link #postDap18AggregateShare} (draft-ietf-ppm-dap-18 §4.6.4),
 * which follows a deferred answer to its {@code Location}; refusals are read with the task's
 * draft's problem types.
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
    /** A 2xx answer and its body. */
    record Ok(int status, byte[] body) implements Response {}

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

  /** How often a DAP-18 request answered "processing" is polled before the job is rescheduled. */
  static final int DAP18_POLLS = 3;

  /** The longest wait between two such polls (a longer Retry-After reschedules the job). */
  static final Duration DAP18_MAX_POLL_WAIT = Duration.ofSeconds(1);

  /**
   * DAP-18 {@code POST {helper}/tasks/{task-id}/aggregate_shares} with an {@code
   * aggregate-share-req} (draft-ietf-ppm-dap-18 §4.6.4). A 2xx with an empty body means the
   * helper is still processing (§3 "Asynchronous Request Handling"): the share is fetched with
   * {@code GET} at the {@code Location} (resolved against the request URL) up to {@link
   * #DAP18_POLLS} times, honouring {@code Retry-After} up to {@link #DAP18_MAX_POLL_WAIT};
   * still empty, the answer is {@link Response.Transient} and the job sends the identical
   * request again later, which the helper answers with the same resource (§3 "Resource
   * Creation").
   */
  public Response postDap18AggregateShare(Task task, byte[] aggregateShareReq) {
    URI uri = aggregateSharesUri(task);
    Exchanged answer = exchange(request(task, uri, requestTimeout)
        .header("Content-Type", io.pando.dap.messages.dap18.MediaTypes.AGGREGATE_SHARE_REQ)
        .POST(HttpRequest.BodyPublishers.ofByteArray(aggregateShareReq)),
        "POST /dap-18/tasks/{task-id}/aggregate_shares", DapVersion.DAP_18);
    return awaitRepresentation(task, uri, answer,
        "GET /dap-18/tasks/{task-id}/aggregate_shares/{aggregate-share-id}");
  }

  /** Polls an empty ("processing") 2xx answer's resource until it has a body (see above). */
  private Response awaitRepresentation(Task task, URI requested, Exchanged answer,
      String route) {
    if (!(answer.response() instanceof Response.Ok ok) || ok.body().length > 0) {
      return answer.response();
    }
    Optional<String> location = answer.headers().firstValue("Location");
    if (location.isEmpty()) {
      return new Response.Transient("the helper answered " + requested
          + " with an empty body and no Location");
    }
    URI resource;
    try {
      resource = requested.resolve(location.get());
    } catch (IllegalArgumentException e) {
      return new Response.Transient("the helper's Location is not a URI: " + location.get());
    }
    for (int poll = 0; poll < DAP18_POLLS; poll++) {
      Optional<Duration> after = answer.headers().firstValue("Retry-After")
          .flatMap(v -> retryAfter(v, Instant.now()));
      if (after.isPresent() && after.get().compareTo(DAP18_MAX_POLL_WAIT) > 0) {
        return new Response.Transient("the helper is still processing " + resource, after);
      }
      try {
        Thread.sleep(after.orElse(Duration.ofMillis(100)).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Response.Transient("interrupted");
      }
      answer = exchange(request(task, resource, requestTimeout).GET(), route,
          task.dapVersion());
      if (!(answer.response() instanceof Response.Ok ok2) || ok2.body().length > 0) {
        return answer.response();
      }
    }
    return new Response.Transient("the helper is still processing " + resource + " after "
        + DAP18_POLLS + " polls", answer.headers().firstValue("Retry-After")
            .flatMap(v -> retryAfter(v, Instant.now())));
  }

  /** {@code DELETE} the job at the helper (best effort: the helper may not implement it). */
  public Response deleteAggregationJob(Task task, AggregationJobId job) {
    return send(request(task, aggregationJobUri(task, job), requestTimeout).DELETE(),
        "DELETE /tasks/{task-id}/aggregation_jobs/{aggregation-job-id}");
  }

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
    return exchange(builder, route, DapVersion.DAP_09).response();
  }

  /** An answer and its headers (none when there was no answer). */
  private record Exchanged(Response response, java.net.http.HttpHeaders headers) {}

  /** Sends under a CLIENT span; a refusal's problem type is read from {@code version}'s table. */
  private Exchanged exchange(HttpRequest.Builder builder, String route, DapVersion version) {
    Span span = tracing.start(route, SpanKind.CLIENT);
    try (Scope scope = span.makeCurrent()) {
      tracing.inject(builder::header);
      Exchanged e = send(builder.build(), version);
      Response r = e.response();
      if (r instanceof Response.Ok ok) {
        span.setAttribute(Tracing.HTTP_STATUS, (long) ok.status());
      } else if (r instanceof Response.Refused refused) {
        span.setAttribute(Tracing.HTTP_STATUS, (long) refused.status());
        span.setStatus(StatusCode.ERROR, refused.detail());
      } else {
        span.setStatus(StatusCode.ERROR, ((Response.Transient) r).reason());
      }
      return e;
    } finally {
      span.end();
    }
  }

  private Exchanged send(HttpRequest req, DapVersion version) {
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Exchanged(new Response.Transient(req.method() + " " + req.uri() + ": " + e),
          NO_HEADERS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Exchanged(new Response.Transient("interrupted"), NO_HEADERS);
    }
    return new Exchanged(classify(req, resp, version), resp.headers());
  }

  private static final java.net.http.HttpHeaders NO_HEADERS =
      java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);

  private static Response classify(HttpRequest req, HttpResponse<byte[]> resp,
      DapVersion version) {
    int status = resp.statusCode();
    if (status / 100 == 2) {
      return new Response.Ok(status, resp.body());
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
    return new Response.Refused(status, doc.dapType(version),
        doc.detail() != null ? doc.detail() : doc.title() != null ? doc.title() : "HTTP " + status);
  }
}
