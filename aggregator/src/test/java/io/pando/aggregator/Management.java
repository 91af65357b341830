package io.pando.aggregator;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** Requests to the running test application's management port (admin API, health, metrics). */
public final class Management {
  private Management() {}

  public static int port() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }

  /** A request to the management port. */
  public static RequestSpecification management() {
    return RestAssured.given().baseUri("http://localhost").port(port()).basePath("");
  }

  /** A request to the management port with the test admin token. */
  public static RequestSpecification admin() {
    return management().header("Authorization", "Bearer " + Infra.ADMIN_TOKEN);
  }
}
