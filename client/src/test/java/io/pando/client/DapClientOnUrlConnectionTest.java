package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DapClientTest} over {@link UrlConnectionTransport}, the transport Android uses. */
class DapClientOnUrlConnectionTest extends DapClientTest {
  @Override
  HttpTransport transport() {
    return new UrlConnectionTransport();
  }

  @Override
  HttpTransport transport(Duration timeout) {
    return new UrlConnectionTransport(timeout, timeout);
  }

  /**
   * Without the java.net.http module (as on Android) the default is HttpURLConnection: the client
   * classes loaded again under the boot loader alone, which has java.base but not java.net.http.
   */
  @Test
  void withoutJavaNetHttpTheDefaultIsHttpUrlConnection() throws Exception {
    URL classes = HttpTransport.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader bare = new URLClassLoader(new URL[] {classes}, null)) {
      Class<?> transport = Class.forName(HttpTransport.class.getName(), true, bare);
      Method platformDefault = transport.getMethod("platformDefault");
      Object chosen = platformDefault.invoke(null);
      assertEquals(UrlConnectionTransport.class.getName(), chosen.getClass().getName());
      assertEquals(bare, chosen.getClass().getClassLoader());
    }
  }
}
