package io.pando.aggregator.management;

import io.pando.aggregator.http.PandoProblem;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.problem.ProblemDocument;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The management port ({@code quarkus.management.port}, env {@code PANDO_MANAGEMENT_PORT},
 * default 9000): Quarkus serves health, metrics and OpenAPI there under {@code /q}; this adds
 * the admin API. Its requests are passed over loopback to the application's JAX-RS admin
 * resource with a marker only this process knows ({@link #MARKER}, random per start);
 * {@link io.pando.aggregator.http.AccessFilter} serves admin requests only with it, so the DAP
 * port never answers them from outside.
 */
@ApplicationScoped
public class ManagementRoutes {
  /** The request header that marks a request as passed on from the management port. */
  public static final String MARKER = "X-Pando-Management";
  private static final byte[] SECRET = secret();
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive",
      "transfer-encoding", "upgrade", "http2-settings", "te", "trailer", "host",
      "content-length", MARKER.toLowerCase());

  @Inject HttpServer server;

  private HttpClient loopback;

  void management(@Observes ManagementInterface management, Vertx vertx) {
    loopback = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    management.router().route("/admin/*").handler(this::passOn);
  }

  private void passOn(RoutingContext rc) {
    RequestOptions options = new RequestOptions().setMethod(rc.request().method())
        .setHost("127.0.0.1").setPort(server.getPort()).setURI(rc.request().uri());
    rc.request().headers().forEach(h -> {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
        options.addHeader(h.getKey(), h.getValue());
      }
    });
    options.putHeader(MARKER, Base64.getEncoder().encodeToString(SECRET));
    Buffer body = rc.body() == null || rc.body().buffer() == null ? Buffer.buffer()
        : rc.body().buffer();
    loopback.request(options).compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> {
          rc.response().setStatusCode(resp.statusCode());
          resp.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
              rc.response().headers().add(h.getKey(), h.getValue());
            }
          });
          return b;
        }))
        .onSuccess(b -> rc.response().end(b))
        .onFailure(e -> rc.response().setStatusCode(503).putHeader("Retry-After", "1")
            .putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.PROBLEM_JSON)
            .end(new ProblemDocument(PandoProblem.UNAVAILABLE.uri(),
                PandoProblem.UNAVAILABLE.title(), 503, "the admin API did not answer", null,
                null).toJson()));
  }

  /** Whether a request carries this process's management marker. */
  public static boolean passedOnFromManagement(String marker) {
    if (marker == null) {
      return false;
    }
    byte[] presented;
    try {
      presented = Base64.getDecoder().decode(marker);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(presented, SECRET);
  }

  private static byte[] secret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
