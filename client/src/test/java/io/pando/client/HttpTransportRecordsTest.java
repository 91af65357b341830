package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpTransportRecordsTest {
  @Test
  void requestAndResponseCopyTheirBodiesAndHeaders() {
    byte[] body = {1, 2, 3};
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "a/b"));
    var request = new HttpTransport.Request("PUT", URI.create("http://x/"), headers, body);
    var response = new HttpTransport.Response(200, headers, body);
    body[0] = 9;
    headers.put("X-Later", "1");
    request.body()[1] = 9;
    response.body()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, request.body());
    assertArrayEquals(new byte[] {1, 2, 3}, response.body());
    assertEquals(Map.of("Content-Type", "a/b"), request.headers());
    assertEquals(Map.of("content-type", "a/b"), response.headers());
    assertThrows(UnsupportedOperationException.class, () -> request.headers().put("A", "b"));
    assertThrows(UnsupportedOperationException.class, () -> response.headers().put("a", "b"));
  }

  @Test
  void responseHeadersAreLookedUpWithoutCase() {
    var response = new HttpTransport.Response(503, Map.of("Retry-After", "30"), new byte[0]);
    assertEquals("30", response.header("retry-after").orElseThrow());
    assertEquals("30", response.header("RETRY-AFTER").orElseThrow());
    assertTrue(response.header("Content-Type").isEmpty());
  }

  @Test
  void equalResponsesCompareTheirBodies() {
    assertEquals(new HttpTransport.Response(200, Map.of("A", "1"), new byte[] {1}),
        new HttpTransport.Response(200, Map.of("a", "1"), new byte[] {1}));
    assertEquals(
        new HttpTransport.Request("GET", URI.create("http://x/"), Map.of(), new byte[] {1}),
        new HttpTransport.Request("GET", URI.create("http://x/"), Map.of(), new byte[] {1}));
  }
}
