package io.pando.aggregator.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.dap.messages.HpkeConfigList;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /dap-18/hpke_config} (draft-ietf-ppm-dap-18 §4.4.1): the deployment's active HPKE
 * configs, draft-18's media type, cacheable for {@code pando.hpke.config-max-age} (P1D by
 * default); and the start-up rule that expired keys outlive twice that.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class Dap18HpkeConfigTest {
  @Inject HpkeKeys keys;

  @TestHTTPResource("/")
  URI self;

  @Test
  void theGlobalConfigListIsServedWithItsMaxAge() throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(self.resolve("/dap-18/hpke_config")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("application/ppm-dap;message=hpke-config-list",
        r.headers().firstValue("content-type").orElseThrow());
    assertEquals("max-age=86400", r.headers().firstValue("cache-control").orElseThrow());
    HpkeConfigList list = HpkeConfigList.decode(r.body());
    assertFalse(list.configs().isEmpty());
    assertEquals(keys.activeConfigs(), list.configs());
    // DAP-18 names no task in the query; one given changes nothing.
    HttpResponse<byte[]> withQuery = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(self.resolve("/dap-18/hpke_config?task_id=AAAA")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, withQuery.statusCode());
    assertTrue(java.util.Arrays.equals(r.body(), withQuery.body()));
  }

  @Test
  void expiredKeysMustOutliveTwiceTheCacheLifetime() {
    assertDoesNotThrow(() -> Dap18HpkeConfigResource.requireKeysOutliveCaches(
        Duration.ofDays(7), Duration.ofDays(1)));
    assertDoesNotThrow(() -> Dap18HpkeConfigResource.requireKeysOutliveCaches(
        Duration.ofDays(2), Duration.ofDays(1)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Dap18HpkeConfigResource.requireKeysOutliveCaches(
            Duration.ofHours(47), Duration.ofDays(1)));
    assertTrue(e.getMessage().contains("pando.hpke.config-max-age"), e.getMessage());
  }
}
