package io.pando.aggregator.interop;

import static io.restassured.RestAssured.given;

import io.pando.aggregator.Infra;
import io.pando.dap.messages.TaskId;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Without pando.interop.enabled (the default) no interop endpoint exists. */
@QuarkusTest
@WithTestResource(Infra.class)
class InteropDisabledTest {
  @Test
  void everyInteropEndpointIs404() {
    for (String prefix : new String[] {"/internal/test/", "/dap-18/internal/test/"}) {
      for (String path : new String[] {"ready", "endpoint_for_task", "add_task", "other"}) {
        given().contentType(ContentType.JSON).body("{}").when().post(prefix + path)
            .then().statusCode(404);
      }
    }
    given().contentType(ContentType.JSON)
        .body(InteropResourceTest.addTask(TaskId.random(), "helper", 1))
        .when().post("/internal/test/add_task").then().statusCode(404);
    given().contentType(ContentType.JSON)
        .body(InteropResourceTest.addTask18(TaskId.random(), "helper", 1))
        .when().post("/dap-18/internal/test/add_task").then().statusCode(404);
  }
}
