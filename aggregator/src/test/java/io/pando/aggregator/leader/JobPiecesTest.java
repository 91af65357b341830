package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.aggregator.jobs.JobMessage;
import io.pando.aggregator.jobs.JobRetryConfig;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of the job machinery: message format, backoff, error mapping. */
class JobPiecesTest {
  @Test
  void jobMessagesRoundTripAndKeyByJob() {
    JobKey job = new JobKey(TaskId.random(), AggregationJobId.random().bytes());
    String value = JobMessage.value(job);
    assertEquals(job, JobMessage.parse(value));
    assertEquals(AggregationJobId.of(job.jobId()).toString(), JobMessage.key(job));
    assertEquals(job.taskId().toBase64Url() + "/" + AggregationJobId.of(job.jobId()), value);
  }

  @Test
  void malformedJobMessagesAreRefused() {
    String task = TaskId.random().toBase64Url();
    for (String bad : new String[] {"", "abc", task, task + "/", task + "/AAAA",
        task + "/" + AggregationJobId.random() + "/x", "AAAA/" + AggregationJobId.random()}) {
      assertThrows(IllegalArgumentException.class, () -> JobMessage.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> JobMessage.parse(null));
  }

  private static JobRetryConfig retry() {
    return new JobRetryConfig() {
      @Override
      public Duration initialBackoff() {
        return Duration.ofSeconds(1);
      }

      @Override
      public Duration maxBackoff() {
        return Duration.ofSeconds(10);
      }

      @Override
      public Duration maxRetryAfter() {
        return Duration.ofMinutes(30);
      }

      @Override
      public Duration parkedRetryInterval() {
        return Duration.ofMinutes(1);
      }
    };
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    JobRetryConfig retry = retry();
    assertEquals(Duration.ofSeconds(1), retry.backoff(0));
    assertEquals(Duration.ofSeconds(1), retry.backoff(1));
    assertEquals(Duration.ofSeconds(2), retry.backoff(2));
    assertEquals(Duration.ofSeconds(8), retry.backoff(4));
    assertEquals(Duration.ofSeconds(10), retry.backoff(5));
    assertEquals(Duration.ofSeconds(10), retry.backoff(1000));
  }

  @Test
  void theDelayIsJitteredInTheUpperHalfAndHonoursRetryAfter() {
    JobRetryConfig retry = retry();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      long ms = retry.delay(4, Optional.empty()).toMillis();
      assertTrue(ms >= 4000 && ms <= 8000, "delay " + ms);
      seen.add(ms);
    }
    assertTrue(seen.size() > 10, "the delay varies");
    // Retry-After wins over the backoff, within the cap; a negative one means now.
    assertEquals(Duration.ofSeconds(120), retry.delay(1, Optional.of(Duration.ofSeconds(120))));
    assertEquals(Duration.ofMinutes(30), retry.delay(1, Optional.of(Duration.ofHours(5))));
    assertEquals(Duration.ZERO, retry.delay(1, Optional.of(Duration.ofSeconds(-3))));
  }

  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    Instant now = Instant.parse("2026-12-04T12:00:00Z");
    assertEquals(Optional.of(Duration.ofSeconds(7)), HelperClient.retryAfter(" 7 ", now));
    assertEquals(Optional.of(Duration.ofSeconds(90)),
        HelperClient.retryAfter("Fri, 04 Dec 2026 12:01:30 GMT", now));
    assertEquals(Optional.of(Duration.ZERO),
        HelperClient.retryAfter("Fri, 04 Dec 2026 11:00:00 GMT", now));
    assertEquals(Optional.empty(), HelperClient.retryAfter("soon", now));
    assertEquals(Optional.empty(), HelperClient.retryAfter("-5", now));
    assertTrue(HelperClient.retryAfter("99999999999999999999999", now).orElseThrow()
        .toDays() > 1000);
  }

  @Test
  void refusalsNameTheirCauseForTheOperator() {
    String token = AggregationJobDriver.refusal(new HelperClient.Response.Refused(403,
        Optional.of(DapProblemType.UNAUTHORIZED_REQUEST), "bad token"));
    assertTrue(token.startsWith("the helper refused the aggregator token"), token);
    assertTrue(token.contains("HTTP 403, unauthorizedRequest): bad token"), token);
    String task = AggregationJobDriver.refusal(new HelperClient.Response.Refused(400,
        Optional.of(DapProblemType.UNRECOGNIZED_TASK), "no such task"));
    assertTrue(task.startsWith("the helper does not know the task"), task);
    String other = AggregationJobDriver.refusal(new HelperClient.Response.Refused(413,
        Optional.empty(), "HTTP 413"));
    assertTrue(other.startsWith("the helper refused the job (HTTP 413, no DAP problem type)"),
        other);
  }
}
