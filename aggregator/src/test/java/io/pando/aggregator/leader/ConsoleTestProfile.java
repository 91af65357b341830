package io.pando.aggregator.leader;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/**
 * The console's browser test: the collection tests' short job intervals (so that a collection
 * finishes quickly), jobs large enough for the whole test upload, a parked job left parked until
 * the operator retries it, and topics and a consumer group of its own.
 */
public class ConsoleTestProfile implements QuarkusTestProfile {
  static final String SUFFIX = UUID.randomUUID().toString();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> m = CollectionTestProfile.config("console-" + SUFFIX,
        "console-test-" + SUFFIX);
    m.put("pando.aggregation.max-job-size", "100");
    m.put("pando.jobs.retry.parked-retry-interval", "PT1H");
    return m;
  }
}
