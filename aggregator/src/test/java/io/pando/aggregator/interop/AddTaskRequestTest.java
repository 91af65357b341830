package io.pando.aggregator.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.dap.messages.TaskId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mapping of the draft's add_task fields to a task definition, without a server. */
class AddTaskRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AddTaskRequest parse(Map<String, Object> m) {
    return JSON.convertValue(m, AddTaskRequest.class);
  }

  @Test
  void leaderFieldsMapToTheAdminApiDefinition() {
    TaskId id = TaskId.random();
    Map<String, Object> m = InteropResourceTest.addTask(id, "leader", 2);
    m.put("some_future_key", "ignored");
    TaskDefinition d = parse(m).toTaskDefinition();
    assertEquals(id.toBase64Url(), d.taskId());
    assertEquals("leader", d.role());
    assertEquals("http://helper.example:8080/", d.peerEndpoint());
    assertEquals("fixed_size", d.queryType());
    assertEquals(20L, d.maxBatchSize());
    assertEquals(Map.of("type", "Prio3SumVec", "bits", 2, "length", 4, "chunk_length", 2),
        d.vdaf());
    assertEquals(1L, d.maxBatchQueryCount());
    assertEquals(10L, d.minBatchSize());
    assertEquals(300L, d.timePrecision());
    assertEquals(4102444800L, d.taskExpiration());
    assertEquals("leader-H6jK9lP2oI5uY8tR", d.aggregatorAuthToken());
    assertEquals("collector-M3nB8vC5xZ1qW7eR", d.collectorAuthToken());
  }

  @Test
  void helperIgnoresCollectorTokenAndTimeIntervalIgnoresMaxBatchSize() {
    Map<String, Object> m = InteropResourceTest.addTask(TaskId.random(), "helper", 1);
    m.put("collector_authentication_token", "x");
    m.put("max_batch_size", 5);
    TaskDefinition d = parse(m).toTaskDefinition();
    assertEquals("http://leader.example:8080/", d.peerEndpoint());
    assertEquals("time_interval", d.queryType());
    assertNull(d.maxBatchSize());
    assertNull(d.collectorAuthToken());
  }

  @Test
  void badFieldsAreNamed() {
    Map<String, Object> m = InteropResourceTest.addTask(TaskId.random(), "Leader", 1);
    assertEquals("role must be \"leader\" or \"helper\", got \"Leader\"", assertThrows(
        IllegalArgumentException.class, () -> parse(m).toTaskDefinition()).getMessage());
    Map<String, Object> relative = InteropResourceTest.addTask(TaskId.random(), "helper", 1);
    relative.put("leader", "/");
    assertEquals("leader must be an absolute http(s) URL", assertThrows(
        IllegalArgumentException.class, () -> parse(relative).toTaskDefinition()).getMessage());
    Map<String, Object> token = InteropResourceTest.addTask(TaskId.random(), "helper", 1);
    token.put("leader_authentication_token", "two words");
    assertEquals("leader_authentication_token must be a non-empty string of visible ASCII"
        + " characters (an HTTP header value)", assertThrows(IllegalArgumentException.class,
            () -> parse(token).toTaskDefinition()).getMessage());
  }

  @Test
  void toStringHidesSecrets() {
    Map<String, Object> m = InteropResourceTest.addTask(TaskId.random(), "leader", 1);
    String s = parse(m).toString();
    assertFalse(s.contains("leader-H6jK9lP2oI5uY8tR"));
    assertFalse(s.contains("collector-M3nB8vC5xZ1qW7eR"));
    assertFalse(s.contains((String) m.get("vdaf_verify_key")));
  }
}
