package io.pando.aggregator.task;

import io.pando.dap.messages.TaskId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Task ids recently found unknown, with when: requests naming one do not each cost a query, and
 * the set is bounded (least recently used out first), so requests for random task ids cannot
 * grow it without end.
 */
final class UnknownTasks {
  private final int capacity;
  private final LinkedHashMap<TaskId, Long> seen;

  UnknownTasks(int capacity) {
    this.capacity = capacity;
    this.seen = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<TaskId, Long> eldest) {
        return size() > UnknownTasks.this.capacity;
      }
    };
  }

  /** Whether {@code id} was found unknown at most {@code maxAgeMillis} before {@code now}. */
  synchronized boolean knownUnknown(TaskId id, long now, long maxAgeMillis) {
    Long at = seen.get(id);
    return at != null && now - at < maxAgeMillis;
  }

  synchronized void add(TaskId id, long now) {
    seen.put(id, now);
  }

  synchronized void remove(TaskId id) {
    seen.remove(id);
  }

  synchronized void clear() {
    seen.clear();
  }

  synchronized int size() {
    return seen.size();
  }
}
