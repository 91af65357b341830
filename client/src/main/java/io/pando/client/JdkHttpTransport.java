package io.pando.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;

/**
 * {@link HttpTransport} on the JDK's {@link HttpClient} ({@code java.net.http}, Java 11+). Not on
 * Android, so this is the one class the Android API check skips; {@link
 * HttpTransport#platformDefault()} only builds it when {@code java.net.http} is there.
 */
@IgnoreJRERequirement
public final class JdkHttpTransport implements HttpTransport {
  private final HttpClient http;
  private final Duration timeout;

  /** An HttpClient with {@link HttpTransport#DEFAULT_TIMEOUT} to connect and answer. */
  public JdkHttpTransport() {
    this(HttpClient.newBuilder().connectTimeout(HttpTransport.DEFAULT_TIMEOUT).build(),
        HttpTransport.DEFAULT_TIMEOUT);
  }

  /** The given client; {@code timeout} bounds each request until the response headers. */
  public JdkHttpTransport(HttpClient http, Duration timeout) {
    this.http = Objects.requireNonNull(http, "http");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public Response send(Request request) throws IOException, InterruptedException {
    byte[] body = request.body();
    HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
        .timeout(timeout)
        .method(request.method(), body.length == 0 && "GET".equals(request.method())
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    request.headers().forEach(b::header);
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
      if (!h.getValue().isEmpty()) {
        headers.put(h.getKey(), h.getValue().get(0));
      }
    }
    return new Response(r.statusCode(), headers, r.body() == null ? new byte[0] : r.body());
  }
}
