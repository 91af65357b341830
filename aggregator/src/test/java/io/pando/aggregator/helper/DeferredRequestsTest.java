package io.pando.aggregator.helper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Infra;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.datastore.DeferredRequestStore.Resource;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous helper's queue (V101, {@link DeferredRequests}) against the real datastore:
 * a deferred request is stored once, handled once by the driver and then answers for itself; a
 * failure the sender caused is kept and answered as its problem; a transient failure leaves it
 * pending for a later attempt; a claim whose driver died is taken up again once its lease
 * expired. The driver's handlers here are the test's; the DAP-18 helper's own are exercised by
 * the end-to-end tests.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class DeferredRequestsTest {
  @Inject DeferredRequests deferred;
  @Inject TaskService tasks;

  private Task task() {
    return tasks.put(Tasks.definition(TaskId.random(), "helper",
        Map.of("type", "Prio3Count"), "http://leader.example/"));
  }

  /** A handler that records what it was given and does what {@code behaviour} says. */
  private static final class Recording implements DeferredHandler {
    final List<byte[]> bodies = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    RuntimeException failWith;
    boolean crash;

    @Override
    public Resource resource() {
      return Resource.AGGREGATION_JOB;
    }

    @Override
    public void handle(Task task, byte[] resourceId, byte[] body) {
      calls.incrementAndGet();
      if (crash) {
        throw new DriverDied();
      }
      if (failWith != null) {
        throw failWith;
      }
      bodies.add(body);
    }
  }

  /** What a driver that stops mid-request looks like from the queue's side. */
  private static final class DriverDied extends Error {}

  private static byte[] id(int b) {
    byte[] id = new byte[16];
    id[0] = (byte) b;
    return id;
  }

  /** Drains everything this test deferred (other tests' rows may be there too). */
  private void drain(Recording h, Duration lease) {
    while (deferred.drainOnce(Map.of(Resource.AGGREGATION_JOB, h), lease) > 0) {
      // until nothing is claimable
    }
  }

  @Test
  void aDeferredRequestIsHandledOnceThenAnswersForItself() {
    Task t = task();
    byte[] body = {1, 2, 3};
    deferred.defer(t, Resource.AGGREGATION_JOB, id(1), body);
    deferred.defer(t, Resource.AGGREGATION_JOB, id(1), body); // repeated creation
    assertTrue(deferred.pending(t.id(), Resource.AGGREGATION_JOB, id(1)));
    assertArrayEquals(body, deferred.body(t.id(), Resource.AGGREGATION_JOB, id(1)).orElseThrow());
    assertFalse(deferred.pending(t.id(), Resource.AGGREGATE_SHARE, id(1)), "another resource");

    Recording h = new Recording();
    drain(h, Duration.ofMinutes(1));
    assertEquals(1, h.calls.get(), "stored once, handled once");
    assertArrayEquals(body, h.bodies.get(0));
    assertFalse(deferred.pending(t.id(), Resource.AGGREGATION_JOB, id(1)));
    drain(h, Duration.ofMinutes(1));
    assertEquals(1, h.calls.get(), "nothing left to handle");
  }

  @Test
  void aFailureTheSenderCausedIsAnsweredAsItsProblem() {
    Task t = task();
    deferred.defer(t, Resource.AGGREGATION_JOB, id(2), new byte[] {9});
    Recording h = new Recording();
    h.failWith = new DapException(DapProblemType.INVALID_MESSAGE, t.id(), "malformed request");
    drain(h, Duration.ofMinutes(1));
    DapException e = assertThrows(DapException.class,
        () -> deferred.pending(t.id(), Resource.AGGREGATION_JOB, id(2)));
    assertEquals(DapProblemType.INVALID_MESSAGE, e.type());
    assertEquals("malformed request", e.getMessage());
    assertEquals(t.id(), e.taskId());
    h.failWith = null;
    drain(h, Duration.ofMinutes(1));
    assertEquals(1, h.calls.get(), "a failed request is not handled again");
  }

  @Test
  void aTransientFailureAndADeadDriversClaimAreTakenUpAgain() throws Exception {
    Task t = task();
    deferred.defer(t, Resource.AGGREGATION_JOB, id(3), new byte[] {7});
    Recording h = new Recording();
    h.failWith = new IllegalStateException("the datastore went away");
    drain(h, Duration.ofMinutes(1));
    assertEquals(1, h.calls.get());
    assertTrue(deferred.pending(t.id(), Resource.AGGREGATION_JOB, id(3)), "still pending");
    drain(h, Duration.ofMinutes(1));
    assertEquals(1, h.calls.get(), "not before its backoff (1 s)");
    Thread.sleep(1200);
    h.failWith = null;
    drain(h, Duration.ofMinutes(1));
    assertEquals(2, h.calls.get(), "handled after the backoff");
    assertFalse(deferred.pending(t.id(), Resource.AGGREGATION_JOB, id(3)));

    // A driver that claimed a request and died: its lease (here 300 ms) runs out and another
    // takes the request up; while the lease holds, nobody does.
    deferred.defer(t, Resource.AGGREGATION_JOB, id(4), new byte[] {8});
    Recording dies = new Recording();
    dies.failWith = null;
    dies.crash = true;
    assertThrows(DriverDied.class,
        () -> deferred.drainOnce(Map.of(Resource.AGGREGATION_JOB, dies), Duration.ofMillis(300)));
    Recording other = new Recording();
    drain(other, Duration.ofMinutes(1));
    assertEquals(0, other.bodies.size(), "the dead driver's lease still holds");
    Thread.sleep(500);
    drain(other, Duration.ofMinutes(1));
    assertEquals(1, other.bodies.size());
    assertArrayEquals(new byte[] {8}, other.bodies.get(0));
  }

  @Test
  void backoffDoublesToAMinute() {
    assertEquals(Duration.ofSeconds(1), DeferredRequests.backoff(1));
    assertEquals(Duration.ofSeconds(4), DeferredRequests.backoff(3));
    assertEquals(Duration.ofMinutes(1), DeferredRequests.backoff(30));
  }
}
