package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DapClientTest} over {@link JdkHttpTransport}. */
class DapClientOnJdkHttpTest extends DapClientTest {
  @Override
  HttpTransport transport() {
    return new JdkHttpTransport();
  }

  @Override
  HttpTransport transport(Duration timeout) {
    return new JdkHttpTransport(HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
  }

  @Test
  void theJvmDefaultIsJavaNetHttp() {
    assertInstanceOf(JdkHttpTransport.class, HttpTransport.platformDefault());
  }
}
