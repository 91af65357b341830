package io.pando.aggregator.leader;

import io.pando.aggregator.Infra;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The leader's collection tests: short intervals, and aggregation and collection topics and a
 * consumer group of their own on the shared test broker.
 */
public class CollectionTestProfile implements QuarkusTestProfile {
  static final String SUFFIX = UUID.randomUUID().toString();

  @Override
  public Map<String, String> getConfigOverrides() {
    return config("ct-" + SUFFIX, "collection-test-" + SUFFIX);
  }

  /** The settings above, with topics named after {@code topics} and the consumer group. */
  static Map<String, String> config(String topics, String group) {
    String aggregation = "aggregation-jobs-" + topics;
    String collection = "collection-jobs-" + topics;
    Infra.stack().kafka().createTopic(aggregation, 2);
    Infra.stack().kafka().createTopic(collection, 2);
    Map<String, String> m = new HashMap<>();
    m.put("pando.aggregation.creation-interval", "PT1S");
    m.put("pando.aggregation.min-job-size", "1");
    m.put("pando.aggregation.max-job-size", "4");
    m.put("pando.jobs.lease-duration", "PT5S");
    m.put("pando.jobs.sweep-interval", "PT1S");
    m.put("pando.jobs.retry.initial-backoff", "PT0.2S");
    m.put("pando.jobs.retry.max-backoff", "PT0.5S");
    m.put("pando.jobs.retry.parked-retry-interval", "PT1S");
    m.put("pando.collection.wait-interval", "PT0.3S");
    m.put("pando.leader.helper-request-timeout", "PT2S");
    // The OHTTP gateway (OhttpUploadTest); off by default.
    m.put("pando.ohttp.enabled", "true");
    m.put("mp.messaging.outgoing.aggregation-jobs-out.topic", aggregation);
    m.put("mp.messaging.incoming.aggregation-jobs.topic", aggregation);
    m.put("mp.messaging.incoming.aggregation-jobs.group.id", group);
    m.put("mp.messaging.outgoing.collection-jobs-out.topic", collection);
    m.put("mp.messaging.incoming.collection-jobs.topic", collection);
    m.put("mp.messaging.incoming.collection-jobs.group.id", group);
    return m;
  }
}
