package io.pando.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An Oblivious HTTP relay for local testing (RFC 9458 §6.2; in production the relay is a
 * separate party): every {@code POST} of a {@code message/ohttp-req} body is forwarded to the
 * one gateway it serves, and the gateway's answer is returned as it came. The forwarded request
 * carries the body and its content type only, nothing of the client's request (no client
 * address, no {@code Forwarded} or {@code Via}, no cookies, no user agent); anything else is
 * refused (405 or 415) without reaching the gateway.
 */
public final class OhttpRelay implements AutoCloseable {
  static final String REQUEST_TYPE = "message/ohttp-req";
  /** The most a request body may carry (the gateway's own bound). */
  static final int MAX_BODY = 1 << 20;

  private final HttpServer server;
  private final HttpClient client;
  private final URI gateway;
  private final ExecutorService executor;

  private OhttpRelay(HttpServer server, URI gateway) {
    this.server = server;
    this.gateway = gateway;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "ohttp-relay");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts a relay for {@code gateway} (e.g. {@code http://127.0.0.1:8081/gateway}) on {@code
   * port} of {@code host} (0 for a free port).
   */
  public static OhttpRelay start(String host, int port, URI gateway) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    OhttpRelay relay = new OhttpRelay(server, gateway);
    server.createContext("/", relay::handle);
    server.setExecutor(relay.executor);
    server.start();
    return relay;
  }

  /** The relay's URL, for clients. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
  }

  public URI gateway() {
    return gateway;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "POST");
        reply(ex, 405, "text/plain", "the relay takes POST only".getBytes());
        return;
      }
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type == null || !type.trim().toLowerCase(java.util.Locale.ROOT)
          .startsWith(REQUEST_TYPE)) {
        reply(ex, 415, "text/plain", ("the relay forwards " + REQUEST_TYPE + " only").getBytes());
        return;
      }
      byte[] body = readBounded(ex.getRequestBody());
      if (body == null) {
        reply(ex, 413, "text/plain", "body too large".getBytes());
        return;
      }
      HttpResponse<byte[]> answer;
      try {
        answer = client.send(HttpRequest.newBuilder(gateway).timeout(Duration.ofSeconds(30))
            .header("Content-Type", REQUEST_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        reply(ex, 502, "text/plain", "the gateway did not answer".getBytes());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply(ex, 503, "text/plain", "the relay is stopping".getBytes());
        return;
      }
      reply(ex, answer.statusCode(),
          answer.headers().firstValue("Content-Type").orElse("application/octet-stream"),
          answer.body());
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > MAX_BODY) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void reply(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
