package io.pando.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URLConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link HttpTransport} on {@link HttpURLConnection}, which every JDK and Android have (on Android
 * it is OkHttp inside). Redirects are not followed, as with {@link JdkHttpTransport}.
 */
public final class UrlConnectionTransport implements HttpTransport {
  private final int connectMillis;
  private final int readMillis;

  /** {@link HttpTransport#DEFAULT_TIMEOUT} to connect and for each read. */
  public UrlConnectionTransport() {
    this(HttpTransport.DEFAULT_TIMEOUT, HttpTransport.DEFAULT_TIMEOUT);
  }

  /**
   * Timeouts for the connection and for each blocking read of the response (HttpURLConnection
   * has no whole-request timeout).
   */
  public UrlConnectionTransport(Duration connectTimeout, Duration readTimeout) {
    this.connectMillis = millis(connectTimeout);
    this.readMillis = millis(readTimeout);
  }

  @Override
  public Response send(Request request) throws IOException {
    URLConnection c = request.uri().toURL().openConnection();
    if (!(c instanceof HttpURLConnection)) {
      throw new IOException("not an http or https URI: " + request.uri());
    }
    HttpURLConnection conn = (HttpURLConnection) c;
    try {
      conn.setConnectTimeout(connectMillis);
      conn.setReadTimeout(readMillis);
      conn.setInstanceFollowRedirects(false);
      conn.setUseCaches(false);
      conn.setRequestMethod(request.method());
      for (Map.Entry<String, String> h : request.headers().entrySet()) {
        conn.setRequestProperty(h.getKey(), h.getValue());
      }
      byte[] body = request.body();
      if (body.length > 0 || !"GET".equals(request.method())) {
        conn.setDoOutput(true);
        conn.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = conn.getOutputStream()) {
          out.write(body);
        }
      }
      int status = conn.getResponseCode();
      if (status < 0) {
        throw new IOException("no valid HTTP response from " + request.uri());
      }
      Map<String, String> headers = new HashMap<>();
      for (Map.Entry<String, List<String>> h : conn.getHeaderFields().entrySet()) {
        // The null key is the status line.
        if (h.getKey() != null && h.getValue() != null && !h.getValue().isEmpty()) {
          headers.put(h.getKey(), h.getValue().get(0));
        }
      }
      InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
      return new Response(status, headers, in == null ? new byte[0] : readAll(in));
    } catch (IOException e) {
      conn.disconnect();
      throw e;
    }
  }

  /** The whole stream, closed (InputStream.readAllBytes needs Android API level 33). */
  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) != -1; ) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static int millis(Duration d) {
    long ms = Objects.requireNonNull(d, "timeout").toMillis();
    if (ms <= 0 || ms > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout must be between 1 ms and 24 days: " + d);
    }
    return (int) ms;
  }
}
