package io.pando.aggregator.ohttp;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.PandoProblem;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.http.Unavailable;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.ohttp.BinaryHttpRequest;
import io.pando.ohttp.BinaryHttpResponse;
import io.pando.ohttp.Field;
import io.pando.ohttp.KeyConfig;
import io.pando.ohttp.ObliviousHttp;
import io.pando.ohttp.OhttpException;
import io.quarkus.vertx.http.HttpServer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The Oblivious HTTP gateway (RFC 9458 §2, §6.3) in front of the client-facing DAP endpoints: {@code
 * GET /ohttp-keys} publishes the active key configurations ({@code application/ohttp-keys},
 * §3.2), and {@code POST /gateway} takes an encapsulated request ({@code message/ohttp-req}),
 * opens it, serves the Binary HTTP request inside as if it had arrived directly, and answers with
 * the response encapsulated to it ({@code message/ohttp-res}). Only {@code GET /hpke_config} and
 * {@code PUT /tasks/{id}/reports} are served through it; any other inner request gets a 404
 * problem document inside the encapsulated response. Off unless {@code pando.ohttp.enabled}.
 *
 * <p>The inner request goes over loopback to this process's DAP port, as the management port
 * passes admin requests on ({@link io.pando.aggregator.management.ManagementRoutes}), carrying
 * only its method, path, content type, {@code dap-taskprov} field and body: nothing of the outer
 * request (whose peer is the relay, not the client) reaches the DAP endpoint.
 */
@Access(Access.Caller.ANYONE)
@Path("/")
@jakarta.inject.Singleton
public class OhttpGatewayResource {
  private static final Logger LOG = Logger.getLogger(OhttpGatewayResource.class);
  /** The problem type for a key configuration the gateway does not have (RFC 9458 §5.3). */
  static final String OHTTP_KEY_PROBLEM =
      "https://iana.org/assignments/http-problem-types#ohttp-key";
  /** The most an encapsulated request may carry: far more than any DAP-09 report needs. */
  static final int MAX_ENCAPSULATED_REQUEST = 1 << 20;
  private static final Pattern UPLOAD = Pattern.compile("^/tasks/[A-Za-z0-9_-]+/reports$");
  private static final Pattern HPKE_CONFIG_QUERY = Pattern.compile("^(task_id=[A-Za-z0-9_-]*)?$");
  /** The inner response's header fields carried back to the client. */
  private static final Set<String> RESPONSE_FIELDS =
      Set.of("content-type", "retry-after", "cache-control");

  @Inject PandoConfig config;
  @Inject OhttpKeys keys;
  @Inject HttpServer server;
  @Inject Vertx vertx;
  @Inject MeterRegistry meters;

  private HttpClient loopback;

  /** Loopback connections kept for inner requests: uploads arrive many at once. */
  private static final int LOOPBACK_CONNECTIONS = 64;

  @PostConstruct
  void init() {
    loopback = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(LOOPBACK_CONNECTIONS));
  }

  /**
   * {@code pando_ohttp_requests_total{outcome}}: served (the inner request reached its
   * endpoint), refused (an inner request for another endpoint or not Binary HTTP), and the
   * reasons an encapsulated request is refused in the clear (malformed, unknown_key,
   * unsupported_algorithm, decryption_failed).
   */
  private void count(String outcome) {
    meters.counter("pando_ohttp_requests_total", "outcome", outcome).increment();
  }

  private void requireEnabled() {
    if (!config.ohttp().enabled()) {
      throw ProblemException.notFound("the OHTTP gateway is off (pando.ohttp.enabled)");
    }
  }

  /** The gateway's key configurations (RFC 9458 §3.2), newest first. */
  @GET
  @Path("ohttp-keys")
  public Response keys() {
    requireEnabled();
    List<KeyConfig> active = keys.activeConfigs();
    if (active.isEmpty()) {
      throw new Unavailable(Duration.ofSeconds(5), "no OHTTP key is active");
    }
    return Response.ok(KeyConfig.encodeList(active)).type(KeyConfig.MEDIA_TYPE)
        .header("Cache-Control", "max-age=60").build();
  }

  /** One encapsulated request (RFC 9458 §4.3) and its encapsulated response (§4.4). */
  @POST
  @Path("gateway")
  @Consumes(ObliviousHttp.REQUEST_MEDIA_TYPE)
  public Uni<Response> gateway(byte[] body) {
    requireEnabled();
    if (body == null || body.length == 0) {
      throw ProblemException.badRequest("empty encapsulated request");
    }
    if (body.length > MAX_ENCAPSULATED_REQUEST) {
      throw new ProblemException(PandoProblem.BODY_TOO_LARGE,
          "an encapsulated request may be at most " + MAX_ENCAPSULATED_REQUEST + " bytes");
    }
    ObliviousHttp.GatewayContext ctx;
    try {
      ctx = ObliviousHttp.decapsulate(body, keys::opener);
    } catch (OhttpException e) {
      count(e.reason().name().toLowerCase(Locale.ROOT));
      return Uni.createFrom().item(refusal(e));
    }
    BinaryHttpRequest inner;
    try {
      inner = BinaryHttpRequest.decode(ctx.request());
    } catch (DecodeException e) {
      // The client's own bytes were not Binary HTTP: it learns so inside the response.
      count("refused");
      return Uni.createFrom().item(sealed(ctx, problem(PandoProblem.BAD_REQUEST, 400,
          "the encapsulated request is not a known-length Binary HTTP request")));
    }
    if (!servable(inner)) {
      count("refused");
      return Uni.createFrom().item(sealed(ctx, problem(PandoProblem.NOT_FOUND, 404,
          "the gateway serves GET /hpke_config and PUT /tasks/{task-id}/reports only")));
    }
    count("served");
    return dispatch(inner)
        .onFailure().recoverWithItem(e -> {
          LOG.debugf("gateway: the inner request failed: %s", e.getMessage());
          return problem(PandoProblem.UNAVAILABLE, 503, "the gateway's target did not answer");
        })
        .map(r -> sealed(ctx, r));
  }

  /** Whether the inner request is one of the client-facing endpoints. */
  static boolean servable(BinaryHttpRequest r) {
    String path = r.path();
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String bare = q < 0 ? path : path.substring(0, q);
    return switch (r.method()) {
      case "GET" -> bare.equals("/hpke_config") && HPKE_CONFIG_QUERY.matcher(query).matches();
      case "PUT" -> q < 0 && UPLOAD.matcher(bare).matches();
      default -> false;
    };
  }

  private Uni<BinaryHttpResponse> dispatch(BinaryHttpRequest inner) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(inner.method()))
        .setHost("127.0.0.1").setPort(server.getPort()).setURI(inner.path());
    inner.header("content-type").ifPresent(v -> options.putHeader("Content-Type", v));
    // A taskprov upload names its task in this field (draft-wang-ppm-dap-taskprov-06).
    inner.header(TaskConfig.HEADER).ifPresent(v -> options.putHeader(TaskConfig.HEADER, v));
    Buffer content = Buffer.buffer(inner.content());
    return Uni.createFrom().completionStage(() -> loopback.request(options)
        .compose(req -> req.send(content))
        .compose(resp -> resp.body().map(b -> {
          List<Field> fields = new ArrayList<>();
          resp.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (RESPONSE_FIELDS.contains(name)) {
              fields.add(new Field(name, h.getValue()));
            }
          });
          return BinaryHttpResponse.of(resp.statusCode(), fields, b.getBytes());
        }))
        .toCompletionStage());
  }

  private static Response sealed(ObliviousHttp.GatewayContext ctx, BinaryHttpResponse inner) {
    return Response.ok(ctx.encapsulateResponse(inner.encode()))
        .type(ObliviousHttp.RESPONSE_MEDIA_TYPE).header("Cache-Control", "no-store").build();
  }

  private static BinaryHttpResponse problem(PandoProblem type, int status, String detail) {
    byte[] doc = new ProblemDocument(type.uri(), type.title(), status, detail, null, null)
        .toJson().getBytes(StandardCharsets.UTF_8);
    return BinaryHttpResponse.of(status, List.of(new Field("content-type",
        MediaTypes.PROBLEM_JSON)), doc);
  }

  /**
   * The answer to a request the gateway cannot open (RFC 9458 §5.2): 400 with a problem
   * document; for a key it does not have, the {@code ohttp-key} problem type (§5.3), so the
   * client fetches the configuration again.
   */
  static Response refusal(OhttpException e) {
    LOG.debugf("gateway: %s: %s", e.reason(), e.getMessage());
    ProblemDocument doc = switch (e.reason()) {
      case UNKNOWN_KEY, UNSUPPORTED_ALGORITHM -> new ProblemDocument(OHTTP_KEY_PROBLEM,
          "key identifier unknown", 400, e.getMessage(), null, null);
      case MALFORMED, DECRYPTION_FAILED -> new ProblemDocument(PandoProblem.BAD_REQUEST.uri(),
          PandoProblem.BAD_REQUEST.title(), 400, e.reason() == OhttpException.Reason.MALFORMED
              ? "malformed encapsulated request" : "the encapsulated request does not open",
          null, null);
    };
    return Response.status(400).type(MediaTypes.PROBLEM_JSON).entity(doc.toJson()).build();
  }
}
