package io.pando.aggregator.management;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pando.aggregator.Infra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Health, metrics, OpenAPI and the admin API answer on the management port, never the DAP one. */
@QuarkusTest
@WithTestResource(Infra.class)
class ManagementPortTest {
  private static final String AUTH = "Bearer " + Infra.ADMIN_TOKEN;

  @TestHTTPResource(value = "/", management = true) URI management;
  @TestHTTPResource("/") URI dap;

  private int status(URI base, String path) {
    return given().baseUri("http://localhost:" + base.getPort()).header("Authorization", AUTH)
        .when().get(path).then().extract().statusCode();
  }

  @Test
  void operatorEndpointsAreOnTheManagementPortOnly() {
    assertNotEquals(management.getPort(), dap.getPort());
    for (String path : new String[] {"/admin/tasks", "/q/health/ready", "/q/metrics",
        "/q/openapi"}) {
      assertEquals(200, status(management, path), "management " + path);
      assertEquals(404, status(dap, path), "DAP port " + path);
    }
    // And the DAP endpoints are not on the management port.
    assertEquals(200, status(dap, "/hpke_config"));
    assertEquals(404, status(management, "/hpke_config"));
  }
}
