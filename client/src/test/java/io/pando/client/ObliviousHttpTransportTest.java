package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.TaskId;
import io.pando.ohttp.BinaryHttpRequest;
import io.pando.ohttp.BinaryHttpResponse;
import io.pando.ohttp.Field;
import io.pando.ohttp.KeyConfig;
import io.pando.ohttp.ObliviousHttp;
import io.pando.ohttp.OhttpException;
import io.pando.ohttp.OhttpKeyPair;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link ObliviousHttpTransport} under {@link DapClient}, against a small gateway in the test
 * (RFC 9458 §4 through the ohttp module) in front of {@link FakeAggregators}' leader: uploads
 * arrive at the leader through the gateway only, the helper is asked directly, a key rotation at
 * the gateway is survived with one refetch, and a spoiled response is an error without status.
 */
class ObliviousHttpTransportTest {
  static final io.pando.dap.messages.Duration PRECISION =
      io.pando.dap.messages.Duration.ofSeconds(3600);

  /** A gateway and relay in one: opens requests, forwards them to the leader, seals answers. */
  static final class Gateway implements AutoCloseable {
    final HttpServer server;
    final URI leader;
    volatile OhttpKeyPair key;
    final AtomicInteger keyFetches = new AtomicInteger();
    final List<String> inner = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> outerHeaders = new CopyOnWriteArrayList<>();
    volatile boolean spoilNext;
    private final JdkHttpTransport http = new JdkHttpTransport();

    Gateway(URI leader) throws Exception {
      this.leader = leader;
      this.key = OhttpKeyPair.generate(3, HpkeSuite.X25519_SHA256_AES128GCM);
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/ohttp-keys", this::keys);
      server.createContext("/relay", this::relay);
      server.start();
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    void rotate() throws Exception {
      key = OhttpKeyPair.generate(key.config().keyId() + 1, HpkeSuite.X25519_SHA256_AES128GCM);
    }

    private void keys(HttpExchange ex) throws IOException {
      try (ex) {
        keyFetches.incrementAndGet();
        send(ex, 200, KeyConfig.MEDIA_TYPE, KeyConfig.encodeList(List.of(key.config())));
      }
    }

    private void relay(HttpExchange ex) throws IOException {
      try (ex) {
        Map<String, String> h = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
        outerHeaders.add(h);
        byte[] body = ex.getRequestBody().readAllBytes();
        OhttpKeyPair k = key;
        ObliviousHttp.GatewayContext ctx;
        try {
          ctx = ObliviousHttp.decapsulate(body,
              id -> id == k.config().keyId() ? Optional.of(k) : Optional.empty());
        } catch (OhttpException e) {
          send(ex, 400, "application/problem+json", ("{\"type\":\"https://iana.org/assignments/"
              + "http-problem-types#ohttp-key\",\"status\":400}").getBytes(StandardCharsets.UTF_8));
          return;
        }
        BinaryHttpRequest r = BinaryHttpRequest.decode(ctx.request());
        inner.add(r.method() + " " + r.path());
        Map<String, String> headers = new HashMap<>();
        r.headers().forEach(f -> headers.put(f.name(), f.value()));
        HttpTransport.Response answer = http.send(new HttpTransport.Request(r.method(),
            leader.resolve(r.path().substring(1)), headers, r.content()));
        List<Field> fields = new ArrayList<>();
        answer.headers().forEach((n, v) -> {
          if (n.equals("content-type")) {
            fields.add(new Field(n, v));
          }
        });
        byte[] sealed = ctx.encapsulateResponse(
            BinaryHttpResponse.of(answer.status(), fields, answer.body()).encode());
        if (spoilNext) {
          spoilNext = false;
          sealed[sealed.length - 1] ^= 1;
        }
        send(ex, 200, ObliviousHttp.RESPONSE_MEDIA_TYPE, sealed);
      } catch (Exception e) {
        throw new IOException(e);
      }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
        throws IOException {
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static DapClient<Boolean> client(FakeAggregators aggs, Gateway gw, TaskId id) {
    return new DapClient<>(new DapTask<>(id, aggs.leader(), aggs.helper(), Prio3.count(),
        PRECISION), new ObliviousHttpTransport(new JdkHttpTransport(), gw.base().resolve("relay"),
        gw.base().resolve("ohttp-keys"), aggs.leader()));
  }

  @Test
  void uploadsReachTheLeaderThroughTheGatewayAndTheHelperDirectly() throws Exception {
    TaskId id = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(id); Gateway gw = new Gateway(aggs.leader())) {
      DapClient<Boolean> client = client(aggs, gw, id);
      for (boolean m : new boolean[] {true, false, true}) {
        client.upload(m);
      }
      assertEquals(3, aggs.received.size());
      assertEquals(List.of("GET /hpke_config?task_id=" + id.toBase64Url(),
          "PUT /tasks/" + id.toBase64Url() + "/reports",
          "PUT /tasks/" + id.toBase64Url() + "/reports",
          "PUT /tasks/" + id.toBase64Url() + "/reports"), gw.inner);
      assertEquals(1, aggs.count("GET", "/helper/hpke_config"), "the helper is asked directly");
      assertEquals(1, gw.keyFetches.get(), "the key configuration is cached");
      for (Map<String, String> h : gw.outerHeaders) {
        assertEquals(ObliviousHttp.REQUEST_MEDIA_TYPE, h.get("content-type"));
      }
    }
  }

  @Test
  void aRotatedGatewayKeyIsFetchedAgainAndTheRequestSentOnceMore() throws Exception {
    TaskId id = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(id); Gateway gw = new Gateway(aggs.leader())) {
      DapClient<Boolean> client = client(aggs, gw, id);
      client.upload(true);
      gw.rotate();
      client.upload(true);
      assertEquals(2, aggs.received.size());
      assertEquals(2, gw.keyFetches.get());
    }
  }

  @Test
  void aSpoiledEncapsulatedResponseIsAnErrorWithoutStatus() throws Exception {
    TaskId id = TaskId.random();
    try (FakeAggregators aggs = new FakeAggregators(id); Gateway gw = new Gateway(aggs.leader())) {
      DapClient<Boolean> client = client(aggs, gw, id);
      client.upload(true);
      gw.spoilNext = true;
      DapClientException e = assertThrows(DapClientException.class, () -> client.upload(true));
      assertEquals(0, e.status());
      assertInstanceOf(IOException.class, e.getCause());
      assertTrue(e.getMessage().contains("unusable encapsulated response"), e.getMessage());
    }
  }
}
