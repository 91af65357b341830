package io.pando.aggregator.leader;

import io.pando.aggregator.Infra;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Short intervals for the leader's job tests, and a topic and consumer group of their own on the
 * shared test broker (the topic with three partitions, created up front).
 */
public class LeaderTestProfile implements QuarkusTestProfile {
  static final String TOPIC = "aggregation-jobs-test-" + UUID.randomUUID();

  @Override
  public Map<String, String> getConfigOverrides() {
    Infra.stack().kafka().createTopic(TOPIC, 3);
    Map<String, String> m = new HashMap<>();
    m.put("pando.aggregation.creation-interval", "PT1S");
    m.put("pando.aggregation.min-job-size", "1");
    m.put("pando.aggregation.max-job-size", "4");
    m.put("pando.jobs.lease-duration", "PT3S");
    m.put("pando.jobs.sweep-interval", "PT1S");
    m.put("pando.jobs.retry.initial-backoff", "PT0.2S");
    m.put("pando.jobs.retry.max-backoff", "PT0.8S");
    m.put("pando.jobs.retry.parked-retry-interval", "PT30S");
    m.put("pando.leader.helper-request-timeout", "PT2S");
    m.put("mp.messaging.outgoing.aggregation-jobs-out.topic", TOPIC);
    m.put("mp.messaging.incoming.aggregation-jobs.topic", TOPIC);
    m.put("mp.messaging.incoming.aggregation-jobs.group.id", "leader-test-" + UUID.randomUUID());
    m.put("smallrye.messaging.worker.pando-job-drivers.max-concurrency", "3");
    return m;
  }
}
