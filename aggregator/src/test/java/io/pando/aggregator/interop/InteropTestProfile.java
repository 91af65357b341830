package io.pando.aggregator.interop;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The aggregator with the interop test API on. */
public class InteropTestProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("pando.interop.enabled", "true", "pando.jobs.drivers-enabled", "false");
  }
}
