package io.pando.client;

import io.pando.codec.DecodeException;
import io.pando.ohttp.BinaryHttpRequest;
import io.pando.ohttp.BinaryHttpResponse;
import io.pando.ohttp.Field;
import io.pando.ohttp.KeyConfig;
import io.pando.ohttp.ObliviousHttp;
import io.pando.ohttp.OhttpException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link HttpTransport} that sends the requests under one base URL (the leader's) through an
 * Oblivious HTTP relay (RFC 9458): each request becomes a Binary HTTP request (RFC 9292) whose
 * path is relative to that base (the gateway serves the leader's resources from its root),
 * encapsulated to the gateway's key configuration and POSTed to the relay as {@code
 * message/ohttp-req}; the encapsulated response is opened and handed back as if the origin had
 * answered. The relay sees the client's address but not the request; the gateway sees the
 * request but only the relay's address. Requests for other URLs (the helper's {@code
 * hpke_config}) go to the wrapped transport directly.
 *
 * <p>The gateway's key configuration ({@code application/ohttp-keys}) is fetched on first use
 * and cached; when the gateway answers that it does not know the key (§5.3), it is fetched again
 * and the request is sent once more. {@link DapClient} works over this transport unchanged.
 */
public final class ObliviousHttpTransport implements HttpTransport {
  private final HttpTransport inner;
  private final URI relay;
  private final URI keys;
  private final URI target;
  private final String prefix;
  private volatile KeyConfig config;

  /**
   * @param inner the transport that reaches the relay and the key configuration
   * @param relay the relay's URL for this gateway (RFC 9458 §2: the relay resource)
   * @param keys where the gateway's key configuration is published, e.g. {@code
   *     https://leader.example/ohttp-keys}
   * @param target the base URL whose requests go through the relay: the leader's
   */
  public ObliviousHttpTransport(HttpTransport inner, URI relay, URI keys, URI target) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.relay = Objects.requireNonNull(relay, "relay");
    this.keys = Objects.requireNonNull(keys, "keys");
    String t = Objects.requireNonNull(target, "target").normalize().toString();
    this.prefix = t.endsWith("/") ? t : t + "/";
    this.target = URI.create(prefix);
  }

  @Override
  public Response send(Request request) throws IOException, InterruptedException {
    String uri = request.uri().normalize().toString();
    if (!uri.startsWith(prefix)) {
      return inner.send(request);
    }
    KeyConfig c = config();
    String path = "/" + uri.substring(prefix.length());
    Response r = relayed(c, request, path);
    if (r.status() == 400 && isKeyProblem(r)) {
      config = null; // the gateway rotated its key: fetch the configuration again, retry once
      r = relayed(config(), request, path);
    }
    return r;
  }

  private static boolean isKeyProblem(Response r) {
    String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    return body.contains("http-problem-types#ohttp-key");
  }

  private KeyConfig config() throws IOException, InterruptedException {
    KeyConfig c = config;
    if (c != null) {
      return c;
    }
    Response r = inner.send(new Request("GET", keys, Map.of("Accept", KeyConfig.MEDIA_TYPE),
        new byte[0]));
    if (r.status() != 200) {
      throw new IOException("OHTTP key configuration from " + keys + ": HTTP " + r.status());
    }
    try {
      for (KeyConfig k : KeyConfig.decodeList(r.body())) {
        if (k.firstSupported().isPresent()) {
          config = k;
          return k;
        }
      }
    } catch (DecodeException e) {
      throw new IOException("malformed OHTTP key configuration from " + keys, e);
    }
    throw new IOException("no supported OHTTP key configuration at " + keys);
  }

  /** One request through the relay; {@code path} is relative to the target, with its query. */
  private Response relayed(KeyConfig c, Request request, String path)
      throws IOException, InterruptedException {
    List<Field> headers = new ArrayList<>();
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      headers.add(new Field(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    }
    BinaryHttpRequest bhttp = new BinaryHttpRequest(request.method(), target.getScheme(),
        target.getRawAuthority(), path, headers, request.body(), List.of());
    ObliviousHttp.ClientContext ctx;
    try {
      ctx = ObliviousHttp.encapsulate(c, bhttp.encode());
    } catch (OhttpException e) {
      throw new IOException("cannot encapsulate to " + c + ": " + e.getMessage(), e);
    }
    Response outer = inner.send(new Request("POST", relay,
        Map.of("Content-Type", ObliviousHttp.REQUEST_MEDIA_TYPE), ctx.encapsulatedRequest()));
    if (outer.status() != 200
        || !outer.header("Content-Type").orElse("").startsWith(ObliviousHttp.RESPONSE_MEDIA_TYPE)) {
      return outer; // the relay's or the gateway's own refusal, answered in the clear
    }
    BinaryHttpResponse inside;
    try {
      inside = BinaryHttpResponse.decode(ctx.decapsulateResponse(outer.body()));
    } catch (OhttpException | DecodeException e) {
      throw new IOException("unusable encapsulated response from " + relay + ": "
          + e.getMessage(), e);
    }
    Map<String, String> fields = new HashMap<>();
    for (Field f : inside.headers()) {
      fields.putIfAbsent(f.name(), f.value());
    }
    return new Response(inside.status(), fields, inside.content());
  }
}
