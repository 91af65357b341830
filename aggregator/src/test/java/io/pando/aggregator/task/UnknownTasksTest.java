package io.pando.aggregator.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.dap.messages.TaskId;
import org.junit.jupiter.api.Test;

class UnknownTasksTest {
  @Test
  void theSetIsBoundedAndForgetsTheLeastRecentlyUsedFirst() {
    UnknownTasks u = new UnknownTasks(100);
    TaskId kept = TaskId.random();
    u.add(kept, 0);
    for (int i = 0; i < 10_000; i++) {
      u.add(TaskId.random(), 0);
      if (i % 50 == 0) {
        assertTrue(u.knownUnknown(kept, 1, 1000)); // used, so it stays
      }
    }
    assertEquals(100, u.size());
    assertTrue(u.knownUnknown(kept, 1, 1000));
  }

  @Test
  void anEntryExpiresAndCanBeRemoved() {
    UnknownTasks u = new UnknownTasks(10);
    TaskId id = TaskId.random();
    u.add(id, 1000);
    assertTrue(u.knownUnknown(id, 1500, 1000));
    assertFalse(u.knownUnknown(id, 2000, 1000));
    u.remove(id);
    assertFalse(u.knownUnknown(id, 1500, 1000));
    assertFalse(u.knownUnknown(TaskId.random(), 1500, 1000));
  }
}
