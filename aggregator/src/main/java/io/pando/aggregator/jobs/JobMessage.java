package io.pando.aggregator.jobs;

import io.pando.aggregator.datastore.LeaseStore.JobKey;
import io.pando.dap.messages.TaskId;
import java.util.Base64;

/**
 * The dispatch bus's message format: the value is {@code taskIdBase64Url/jobIdBase64Url}
 * (unpadded), the key the job id, so that one task's jobs spread over every partition and so
 * over every driver replica of the consumer group (the lease in PostgreSQL, not the partition,
 * keeps each job with one driver at a time). Messages carry ids only; the job itself is in
 * PostgreSQL.
 */
public final class JobMessage {
  private JobMessage() {}

  /** The record key: the job id, base64url (Kafka hashes it to a partition). */
  public static String key(JobKey job) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(job.jobId());
  }

  /** The record value. */
  public static String value(JobKey job) {
    return job.taskId().toBase64Url() + "/" + key(job);
  }

  /**
   * Parses a record value.
   *
   * @throws IllegalArgumentException if it is not {@code task/job} with a 32-byte task id and a
   *     16-byte job id
   */
  public static JobKey parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("empty job message");
    }
    int slash = value.indexOf('/');
    if (slash < 0 || value.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("job message is not task/job");
    }
    TaskId task = TaskId.fromBase64Url(value.substring(0, slash));
    byte[] job = Base64.getUrlDecoder().decode(value.substring(slash + 1));
    if (job.length != 16) {
      throw new IllegalArgumentException("job id must be 16 bytes");
    }
    return new JobKey(task, job);
  }
}
