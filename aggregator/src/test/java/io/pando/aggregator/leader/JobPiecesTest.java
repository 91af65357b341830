package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of the job machinery: message format, backoff, error mapping. */
class JobPiecesTest {
  @Test
  void jobMessagesRoundTripAndKeyByTask() {
    JobKey job = new JobKey(TaskId.random(), AggregationJobId.random().bytes());
    String value = JobMessage.value(job);
    assertEquals(job, JobMessage.parse(value));
    assertEquals(job.taskId().toBase64Url(), JobMessage.key(job));
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

  @Test
  void backoffDoublesUpToTheMaximum() {
    JobRetryConfig retry = new JobRetryConfig() {
      @Override
      public Duration initialBackoff() {
        return Duration.ofSeconds(1);
      }

      @Override
      public Duration maxBackoff() {
        return Duration.ofSeconds(10);
      }
    };
    assertEquals(Duration.ofSeconds(1), retry.backoff(0));
    assertEquals(Duration.ofSeconds(1), retry.backoff(1));
    assertEquals(Duration.ofSeconds(2), retry.backoff(2));
    assertEquals(Duration.ofSeconds(8), retry.backoff(4));
    assertEquals(Duration.ofSeconds(10), retry.backoff(5));
    assertEquals(Duration.ofSeconds(10), retry.backoff(1000));
  }

  @Test
  void refusedJobsFailTheirReportsWithAFittingError() {
    assertEquals(PrepareError.INVALID_MESSAGE,
        AggregationJobDriver.errorFor(Optional.of(DapProblemType.INVALID_MESSAGE)));
    assertEquals(PrepareError.REPORT_TOO_EARLY,
        AggregationJobDriver.errorFor(Optional.of(DapProblemType.REPORT_TOO_EARLY)));
    assertEquals(PrepareError.REPORT_DROPPED,
        AggregationJobDriver.errorFor(Optional.of(DapProblemType.UNAUTHORIZED_REQUEST)));
    assertEquals(PrepareError.REPORT_DROPPED, AggregationJobDriver.errorFor(Optional.empty()));
    assertFalse(AggregationJobDriver.isConcurrentShardInsert(new RuntimeException("x")));
  }
}
