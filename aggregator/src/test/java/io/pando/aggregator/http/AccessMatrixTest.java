package io.pando.aggregator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Management;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every route of the application, found by scanning its compiled classes for JAX-RS resources,
 * declares an {@link Access}, and answers as that declaration says: with no token, a wrong one,
 * and another caller's, a protected route refuses (DAP's {@code unauthorizedRequest}, or {@code
 * urn:pando:problem:unauthorized} for the admin API); with the right one it does not; admin
 * routes answer only on the management port, DAP routes only on the DAP port.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class AccessMatrixTest {
  private static final String DAP_UNAUTHORIZED =
      "urn:ietf:params:ppm:dap:error:unauthorizedRequest";
  private static final String ADMIN_TOKEN = Infra.ADMIN_TOKEN;

  @Inject TaskService tasks;

  @TestHTTPResource("/") URI dap;

  private final HttpClient http = HttpClient.newHttpClient();

  /** A route: its HTTP method, path template, what it consumes, and who may call it. */
  record Route(String method, String path, String consumes, Access.Caller caller) {}

  static List<Route> routes() throws Exception {
    java.nio.file.Path classes = Paths.get("target/classes");
    List<Route> routes = new ArrayList<>();
    List<java.nio.file.Path> files;
    try (Stream<java.nio.file.Path> walk = Files.walk(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    for (java.nio.file.Path file : files) {
      String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
      Class<?> type = Class.forName(name, false, AccessMatrixTest.class.getClassLoader());
      Path base = type.getAnnotation(Path.class);
      if (base == null) {
        continue;
      }
      for (Method m : type.getMethods()) {
        String verb = httpMethod(m);
        if (verb == null) {
          continue;
        }
        Path sub = m.getAnnotation(Path.class);
        String path = join(base.value(), sub == null ? "" : sub.value());
        Access access = m.getAnnotation(Access.class) != null ? m.getAnnotation(Access.class)
            : type.getAnnotation(Access.class);
        assertNotNull(access, verb + " " + path + " (" + name + "." + m.getName()
            + ") declares no @Access");
        Consumes consumes = m.getAnnotation(Consumes.class) != null
            ? m.getAnnotation(Consumes.class) : type.getAnnotation(Consumes.class);
        routes.add(new Route(verb, path, consumes == null ? null : consumes.value()[0],
            access.value()));
      }
    }
    return routes;
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
      if (h != null) {
        return h.value();
      }
    }
    return null;
  }

  private static String join(String a, String b) {
    String s = ("/" + a + "/" + b).replaceAll("/+", "/");
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private String fill(String template, TaskId task) {
    return template.replace("{taskId}", task.toBase64Url())
        .replace("{jobId}", AggregationJobId.random().toBase64Url())
        .replace("{shareId}", AggregationJobId.random().toBase64Url())
        .replace("{kind}", "aggregation")
        .replace("{configId}", "999999")
        .replace("{unknown: .+}", "unknown");
  }

  private HttpResponse<String> send(int port, Route r, String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    headers.forEach(b::header);
    if (r.consumes() != null) {
      b.header("Content-Type", r.consumes());
    }
    byte[] body = r.consumes() != null && r.consumes().contains("json")
        ? "{}".getBytes() : new byte[0];
    b.method(r.method(), "GET".equals(r.method()) || "DELETE".equals(r.method())
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A DAP-18 Prio3Count task in {@code role}, through the admin API. */
  private static TaskId dap18Task(String role) {
    TaskId id = TaskId.random();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("dap_version", "dap-18");
    d.put("role", role);
    d.put("task_info", Tasks.b64("access".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    d.put("leader_aggregator_endpoint", "http://leader.invalid/dap-18/");
    d.put("helper_aggregator_endpoint", "http://helper.invalid/dap-18/");
    d.put("batch_mode", "time_interval");
    d.put("vdaf", Map.of("type", "Prio3Count"));
    d.put("vdaf_verify_key", Tasks.b64(new byte[32]));
    d.put("min_batch_size", 1);
    d.put("time_precision", 3600);
    d.put("tolerable_clock_skew", 60);
    d.put("collector_hpke_config", Tasks.b64(Tasks.COLLECTOR_KEY.config().encode()));
    d.put("aggregator_auth_token", Tasks.AGGREGATOR_TOKEN);
    d.put("collector_auth_token", Tasks.COLLECTOR_TOKEN);
    Management.admin().contentType(io.restassured.http.ContentType.JSON).body(d)
        .when().put("/admin/tasks/" + id.toBase64Url()).then().statusCode(200);
    return id;
  }

  private static String type(HttpResponse<String> r) {
    return io.pando.dap.messages.problem.ProblemDocument.parse(r.body()).type();
  }

  @Test
  void everyRouteDeclaresWhoMayCallItAndAnswersAccordingly() throws Exception {
    List<Route> routes = routes();
    assertTrue(routes.size() >= 15, "found only " + routes);
    TaskId leader = TaskId.random();
    tasks.put(Tasks.leader(leader, Map.of("type", "Prio3Count"), "http://helper.invalid/"));
    TaskId helper = TaskId.random();
    tasks.put(Tasks.definition(helper, "helper", Map.of("type", "Prio3Count"),
        "http://leader.invalid/"));
    // DAP-18 routes (under /dap-18) name DAP-18 tasks; a DAP-09 task is unknown there.
    TaskId leader18 = dap18Task("leader");
    TaskId helper18 = dap18Task("helper");
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("aggregator", "Bearer " + Tasks.AGGREGATOR_TOKEN);
    tokens.put("collector", "Bearer " + Tasks.COLLECTOR_TOKEN);
    tokens.put("admin", "Bearer " + ADMIN_TOKEN);
    tokens.put("wrong", "Bearer wrong-" + Tasks.AGGREGATOR_TOKEN);
    int dapPort = dap.getPort();
    int managementPort = Management.port();
    int checked = 0;
    for (Route r : routes) {
      if (r.path().startsWith("/internal/test")
          || r.path().startsWith(DapVersion.DAP_18.pathPrefix() + "/internal/test")) {
        continue; // the interop test API: on only in test deployments, 404 here (below)
      }
      // Admin routes get an unknown task (their right token may delete what it names).
      boolean dap18 = r.path().startsWith(DapVersion.DAP_18.pathPrefix() + "/");
      String path = fill(r.path(), switch (r.caller()) {
        case AGGREGATOR -> dap18 ? helper18 : helper;
        case ADMIN -> TaskId.random();
        default -> dap18 ? leader18 : leader;
      });
      String right = switch (r.caller()) {
        case AGGREGATOR -> "aggregator";
        case COLLECTOR -> "collector";
        case ADMIN -> "admin";
        case ANYONE -> null;
      };
      int port = r.caller() == Access.Caller.ADMIN ? managementPort : dapPort;
      String what = r.method() + " " + r.path() + " (" + r.caller() + ")";
      if (right == null) {
        HttpResponse<String> open = send(port, r, path, Map.of());
        assertNotEquals(DAP_UNAUTHORIZED, type(open), what);
        assertNotEquals(401, open.statusCode(), what);
      } else {
        // DAP-18 has no unauthorizedRequest type: its routes answer Pando's own (aggregator/README.md).
        String refused = r.caller() == Access.Caller.ADMIN || dap18
            ? PandoProblem.UNAUTHORIZED.uri() : DAP_UNAUTHORIZED;
        HttpResponse<String> none = send(port, r, path, Map.of());
        assertEquals(refused, type(none), what + " without a token: " + none.body());
        for (Map.Entry<String, String> t : tokens.entrySet()) {
          HttpResponse<String> a = send(port, r, path, Map.of("Authorization", t.getValue()));
          if (t.getKey().equals(right)) {
            assertNotEquals(refused, type(a), what + " with its own token: " + a.body());
          } else {
            assertEquals(refused, type(a), what + " with the " + t.getKey() + " token");
          }
        }
        // DAP-Auth-Token, the header the interop design uses, is the same token.
        if (r.caller() != Access.Caller.ADMIN) {
          HttpResponse<String> other = send(port, r, path,
              Map.of("DAP-Auth-Token", tokens.get("wrong").substring(7)));
          assertEquals(refused, type(other), what + " with a wrong DAP-Auth-Token");
        }
      }
      // Each route lives on one port only.
      int otherPort = port == dapPort ? managementPort : dapPort;
      HttpResponse<String> elsewhere = send(otherPort, r, path,
          right == null ? Map.of() : Map.of("Authorization", tokens.get(right)));
      assertEquals(404, elsewhere.statusCode(), what + " on the other port: " + elsewhere.body());
      checked++;
    }
    assertTrue(checked >= 14, "checked " + checked);
    // The interop test API is off unless pando.interop.enabled.
    assertEquals(404, send(dapPort, new Route("POST", "/internal/test/ready",
        "application/json", Access.Caller.ANYONE), "/internal/test/ready", Map.of()).statusCode());
    // The OHTTP gateway is off unless pando.ohttp.enabled.
    assertEquals(404, send(dapPort, new Route("GET", "/ohttp-keys", null, Access.Caller.ANYONE),
        "/ohttp-keys", Map.of()).statusCode());
    assertEquals(404, send(dapPort, new Route("POST", "/gateway", "message/ohttp-req",
        Access.Caller.ANYONE), "/gateway", Map.of()).statusCode());
    assertFalse(routes.stream().anyMatch(r -> r.path().startsWith("/q")), "no resource under /q");
  }
}
