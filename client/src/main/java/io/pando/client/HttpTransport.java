package io.pando.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How {@link DapClient} sends its HTTP requests: {@link JdkHttpTransport} on the JDK's {@code
 * java.net.http}, {@link UrlConnectionTransport} on {@code java.net.HttpURLConnection} (which
 * Android has), or an application's own (OkHttp, for example).
 *
 * <p>A transport answers every HTTP response, 2xx or not, with a {@link Response}; it throws
 * {@link IOException} only when no response arrived (connection refused, timeout, reset). It
 * follows no redirects. Implementations must be thread-safe.
 */
public interface HttpTransport {
  /** The connect and response timeout of the no-argument transports. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Sends one request and reads the whole response. */
  Response send(Request request) throws IOException, InterruptedException;

  /**
   * One HTTP request. Header names are as given; the body is empty for a GET.
   *
   * @param method "GET" or "PUT" (the two that an upload needs), or any other
   * @param uri absolute http or https URI
   * @param headers request headers, one value each
   * @param body the request body (copied)
   */
  record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
      body = Objects.requireNonNull(body, "body").clone();
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Request r && method.equals(r.method) && uri.equals(r.uri)
          && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
      return Objects.hash(method, uri, headers) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return method + " " + uri;
    }
  }

  /**
   * One HTTP response.
   *
   * @param status the HTTP status code
   * @param headers response headers by lower-case name, the first value of each
   * @param body the response body (copied), empty when there was none
   */
  record Response(int status, Map<String, String> headers, byte[] body) {
    public Response {
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(body, "body");
      Map<String, String> lower = new TreeMap<>();
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey() != null && h.getValue() != null) {
          lower.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        }
      }
      headers = Map.copyOf(lower);
      body = body.clone();
    }

    /** The first value of a response header, by case-insensitive name. */
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Response r && status == r.status && headers.equals(r.headers)
          && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return "Response[status=" + status + ", headers=" + headers + ", " + body.length
          + " bytes]";
    }
  }

  /**
   * The transport that {@code new DapClient<>(task)} uses: {@link JdkHttpTransport} when the
   * {@code java.net.http} module is there at run time, else {@link UrlConnectionTransport}
   * (Android, or a JDK runtime image without that module).
   */
  static HttpTransport platformDefault() {
    try {
      Class.forName("java.net.http.HttpClient", false, HttpTransport.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return new UrlConnectionTransport();
    }
    return new JdkHttpTransport();
  }
}
