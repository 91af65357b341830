package io.pando.devstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The local OHTTP relay: it forwards the body of a {@code message/ohttp-req} POST and nothing
 * that identifies the client, returns the gateway's answer as it came, and refuses anything else
 * without reaching the gateway.
 */
class OhttpRelayTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void forwardsTheBodyOnlyAndReturnsTheAnswer() throws Exception {
    List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/gateway", ex -> {
      try (ex) {
        seen.add(Map.copyOf(ex.getRequestHeaders()));
        bodies.add(ex.getRequestBody().readAllBytes());
        byte[] answer = {9, 8, 7};
        ex.getResponseHeaders().set("Content-Type", "message/ohttp-res");
        ex.getResponseHeaders().set("Set-Cookie", "gateway=1");
        ex.sendResponseHeaders(200, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(answer);
        }
      }
    });
    gateway.start();
    URI target = URI.create("http://127.0.0.1:" + gateway.getAddress().getPort() + "/gateway");
    try (OhttpRelay relay = OhttpRelay.start("127.0.0.1", 0, target)) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(relay.uri())
          .header("Content-Type", "message/ohttp-req")
          .header("User-Agent", "client/1.0").header("Cookie", "id=42")
          .header("X-Forwarded-For", "192.0.2.7").header("Authorization", "Bearer x")
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertEquals("message/ohttp-res", r.headers().firstValue("Content-Type").orElse(""));
      assertArrayEquals(new byte[] {9, 8, 7}, r.body());
      assertFalse(r.headers().firstValue("Set-Cookie").isPresent());
      assertEquals(1, seen.size());
      assertArrayEquals(new byte[] {1, 2, 3}, bodies.get(0));
      for (String name : seen.get(0).keySet()) {
        String n = name.toLowerCase();
        assertFalse(List.of("cookie", "x-forwarded-for", "forwarded", "via", "authorization")
            .contains(n), name + " reached the gateway");
        if (n.equals("user-agent")) {
          assertFalse(seen.get(0).get(name).get(0).contains("client/1.0"));
        }
      }

      // Anything but a POST of message/ohttp-req is refused at the relay.
      assertEquals(405, http.send(HttpRequest.newBuilder(relay.uri()).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(415, http.send(HttpRequest.newBuilder(relay.uri())
          .header("Content-Type", "application/dap-report")
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(1, seen.size());
    } finally {
      gateway.stop(0);
    }
  }
}
