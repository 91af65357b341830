package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.jobs.JobRunner;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** An API-only replica ({@code pando.jobs.drivers-enabled=false}) stores reports only. */
@QuarkusTest
@TestProfile(DriversDisabledTest.Profile.class)
@WithTestResource(Infra.class)
class DriversDisabledTest {
  /** Drivers off, short intervals. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("pando.jobs.drivers-enabled", "false",
          "pando.aggregation.creation-interval", "PT1S",
          "pando.jobs.sweep-interval", "PT1S");
    }
  }

  @Inject TaskService tasks;
  @Inject Datastore datastore;
  @Inject JobRunner runner;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int port;

  @Test
  void reportsAreStoredButNoJobIsCreatedOrDriven() throws Exception {
    try (FakeHelper helper = new FakeHelper()) {
      TaskId id = TaskId.random();
      TaskDefinition d = Tasks.leader(id, Map.of("type", "Prio3Count"), helper.uri().toString());
      tasks.put(d);
      helper.add(id, Prio3.count(), d.vdafVerifyKey(), 3600);
      URI self = URI.create("http://localhost:" + port + "/");
      DapClient<Boolean> client = new DapClient<>(new DapTask<>(id, self, helper.uri(),
          Prio3.count(), Duration.ofSeconds(3600)));
      client.upload(true);
      client.upload(false);
      Thread.sleep(2500);
      long waiting = datastore.inTransaction("test", tx -> tx.reports().countUnaggregated(id));
      assertEquals(2L, waiting);
      assertTrue(datastore.inTransaction("test", tx -> tx.aggregationJobs().jobs(id)).isEmpty());
      assertTrue(runner.run(JobKind.AGGREGATION,
          new JobKey(id, AggregationJobId.random().bytes())).isEmpty());
    }
  }
}
