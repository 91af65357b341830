package io.pando.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of the interop test API for the collector and the client
 * (draft-dcook-ppm-dap-interop-test-design, "Interoperation Test API"): every command is a
 * {@code POST /internal/test/<command>} with a JSON object, answered with a JSON object. A parsed
 * command answers 200 whatever its DAP outcome (carried in {@code status}); a body that is not
 * the command's JSON answers 400 with {@code status: "error"}; any other path under
 * {@code /internal/test/} answers 404, other methods 405. Commands of DAP-18 tasks are served
 * the same way under {@code /dap-18/internal/test/} (DAP-18's route prefix, as the aggregator
 * serves them; docs/INTEROP.md "DAP-18 tasks").
 */
public final class TestApiServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  /** Where the commands of DAP-09 tasks are (the interop draft's paths). */
  public static final String DAP09 = "/internal/test/";
  /** Where the commands of DAP-18 tasks are. */
  public static final String DAP18 = "/dap-18/internal/test/";

  /** One command: its request type and what it does with a parsed request. */
  public record Command<T>(Class<T> request, Handler<T> handler) {}

  /** Runs a parsed command; its answer is written as JSON. */
  @FunctionalInterface
  public interface Handler<T> {
    Object handle(T request) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private TestApiServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code commands} on host:port (0: a free port), each by its path, e.g.
   * {@code DAP09 + "ready"}.
   */
  public static TestApiServer start(String host, int port, Map<String, Command<?>> commands)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "interop-api");
      t.setDaemon(true);
      return t;
    });
    Map<String, Command<?>> byName = new LinkedHashMap<>(commands);
    server.createContext("/", ex -> {
      try (ex) {
        handle(ex, byName);
      } catch (RuntimeException | IOException | LinkageError e) {
        System.err.println("interop API: " + ex.getRequestURI() + ": " + e);
        ex.sendResponseHeaders(500, -1);
      }
    });
    server.setExecutor(executor);
    server.start();
    return new TestApiServer(server, executor);
  }

  private static void handle(HttpExchange ex, Map<String, Command<?>> commands)
      throws IOException {
    String path = ex.getRequestURI().getPath();
    Command<?> command = commands.get(path);
    if (command == null) {
      respond(ex, 404, Map.of("status", "error", "error", "no such command: " + path));
      return;
    }
    if (!ex.getRequestMethod().equals("POST")) {
      ex.getResponseHeaders().add("Allow", "POST");
      respond(ex, 405, Map.of("status", "error", "error", "commands are POSTed"));
      return;
    }
    run(ex, command);
  }

  private static <T> void run(HttpExchange ex, Command<T> command) throws IOException {
    T request;
    try {
      byte[] body = ex.getRequestBody().readAllBytes();
      request = JSON.readValue(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body,
          command.request());
      if (request == null) {
        throw new IllegalArgumentException("a JSON object is required");
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      respond(ex, 400, Status.error("malformed request: " + m));
      return;
    }
    Object answer;
    try {
      answer = command.handler().handle(request);
    } catch (Exception e) {
      answer = Status.error(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    respond(ex, 200, answer);
  }

  private static void respond(HttpExchange ex, int status, Object body) throws IOException {
    byte[] b = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening (requests under way get a second to finish). */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
