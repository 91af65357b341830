package io.pando.aggregator.leader;

import io.pando.aggregator.datastore.CollectionJobStore.Job;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.task.Task;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.AggregateShareAad;
import io.pando.dap.messages.dap18.AggregateShareReq;
import io.pando.dap.messages.dap18.BatchMode;
import io.pando.dap.messages.dap18.BatchSelector;
import io.pando.dap.messages.dap18.CollectionJobExtension;
import io.pando.dap.messages.dap18.CollectionJobReq;
import io.pando.dap.messages.dap18.CollectionJobResp;
import io.pando.dap.messages.dap18.Interval;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.dap18.TimePrecision;
import io.pando.dap.messages.problem.DapProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The DAP-18 edges of the leader's collection (draft-ietf-ppm-dap-18 §4.6): what differs from
 * DAP-09 on the wire, converted at the boundary so that {@link CollectionJobs} and {@link
 * CollectionJobDriver} keep one set of rules in seconds.
 *
 * <ul>
 *   <li>A DAP-18 job stores its whole encoded {@link CollectionJobReq} in the job's {@code query}
 *       column (DAP-09 stores its {@code Query} there): the {@code AggregateShareReq} (§4.6.4)
 *       and the {@code AggregateShareAad} (§4.6.7) repeat it byte for byte.
 *   <li>Times on the wire are time-precision units (§2.2 "Times, Durations and Intervals"); the
 *       datastore keeps seconds.
 *   <li>The job id is chosen from the request (§3 "Resource Creation": "derive the resource
 *       identifier deterministically from the request content"): the first 16 bytes of SHA-256
 *       over {@code "pando dap-18 collection job" || task_id || body}.
 * </ul>
 */
final class Dap18Collection {
  private static final byte[] JOB_ID_LABEL =
      "pando dap-18 collection job".getBytes(StandardCharsets.UTF_8);

  private Dap18Collection() {}

  /** The collection job id of a {@code POST} of {@code body} (aggregator/README.md, "DAP-18"). */
  static CollectionJobId jobId(TaskId task, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(JOB_ID_LABEL);
      sha.update(task.bytes());
      sha.update(body);
      return CollectionJobId.of(Arrays.copyOf(sha.digest(), CollectionJobId.LENGTH));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * §4.6.1: decodes the body; a malformed request or a batch mode other than the task's is
   * {@code invalidMessage}.
   */
  static CollectionJobReq decode(Task task, byte[] body) {
    CollectionJobReq req;
    try {
      req = CollectionJobReq.decode(body);
    } catch (DecodeException | IllegalArgumentException e) {
      throw DapException.invalidMessage(task.id(), "malformed CollectionJobReq: "
          + e.getMessage());
    }
    BatchMode mode = batchMode(task);
    if (req.query().batchMode() != mode) {
      throw DapException.invalidMessage(task.id(), "the query's batch mode is "
          + req.query().batchMode().draftName() + ", the task's " + mode.draftName());
    }
    return req;
  }

  /**
   * §4.6.2: no collection job extension is supported here, so any is {@code
   * unsupportedExtension}, unless the list is out of order ({@code invalidExtension}).
   */
  static void checkExtensions(Task task, CollectionJobReq req) {
    if (req.extensions().isEmpty()) {
      return;
    }
    if (!CollectionJobExtension.strictlyIncreasing(req.extensions())) {
      throw new DapException(DapProblemType.INVALID_EXTENSION, task.id(),
          "collection job extensions must be in strictly increasing order");
    }
    throw new DapException(DapProblemType.UNSUPPORTED_EXTENSION, task.id(),
        "unsupported collection job extension 0x"
            + String.format("%04x", req.extensions().get(0).extensionType()));
  }

  /** The stored request of a DAP-18 job. */
  static CollectionJobReq request(Job job) {
    try {
      return CollectionJobReq.decode(job.query());
    } catch (DecodeException e) {
      throw new IllegalStateException("stored CollectionJobReq does not decode", e);
    }
  }

  /**
   * The query as DAP-09's rules see it, in seconds: a time-interval query's interval (§5.1; an
   * interval whose seconds overflow identifies no valid batch buckets: {@code batchInvalid}),
   * or a leader-selected query (§5.2, empty config: "the next batch selected by the Leader"),
   * DAP-09's {@code current_batch}.
   */
  static Query<?> inSeconds(Task task, CollectionJobReq req) {
    if (req.query().batchMode() == BatchMode.LEADER_SELECTED) {
      return Query.currentBatch();
    }
    Interval units = req.query().batchInterval();
    TimePrecision precision = precision(task);
    try {
      long start = units.start().toSeconds(precision);
      long duration = Math.multiplyExact(units.duration().units(), precision.seconds());
      Math.addExact(start, duration);
      return Query.timeInterval(io.pando.dap.messages.Interval.of(start, duration));
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new DapException(DapProblemType.BATCH_INVALID, task.id(), "batch interval "
          + units + " does not fit in time");
    }
  }

  /**
   * §4.6.4 {@code AggregateShareReq} of a COLLECTABLE job, from stored values only: the
   * collector's request, the batch selector (the query's interval, §5.1, or the batch the
   * leader picked, §5.2), the report count and the checksum recorded with the query.
   */
  static byte[] aggregateShareReq(Task task, Job job) {
    BatchSelector selector = task.queryType() == Task.QueryKind.FIXED_SIZE
        ? BatchSelector.leaderSelected(BatchId.of(job.batchIdentifier()))
        : BatchSelector.timeInterval(units(task, job.batchStart(),
            job.batchEnd() - job.batchStart()));
    return new AggregateShareReq(request(job), selector, job.reportCount(),
        ReportIdChecksum.of(job.checksum())).encode();
  }

  /** §4.6.7 {@code AggregateShareAad}: the task, its configuration and the request. */
  static byte[] aad(Task task, CollectionJobReq req) {
    return new AggregateShareAad(task.id(), configuration(task), req).encode();
  }

  /**
   * §4.6.1 {@code CollectionJobResp} of a finished job: the report count, the smallest interval
   * holding the reports' times (time-precision units) and both sealed shares.
   */
  static byte[] collectionJobResp(Task task, Job job) {
    try {
      return new CollectionJobResp(job.reportCount(),
          units(task, job.intervalStart(), job.intervalDuration()),
          HpkeCiphertext.decode(job.leaderEncryptedShare()),
          HpkeCiphertext.decode(job.helperEncryptedShare())).encode();
    } catch (DecodeException e) {
      throw new IllegalStateException("stored aggregate share does not decode", e);
    }
  }

  /** Seconds (multiples of the time precision) as a wire {@link Interval}. */
  static Interval units(Task task, long startSeconds, long durationSeconds) {
    long p = precision(task).seconds();
    return Interval.of(startSeconds / p, durationSeconds / p);
  }

  private static TaskConfiguration configuration(Task task) {
    return task.dap18().orElseThrow(() -> new IllegalStateException(task + " is not DAP-18"))
        .configuration();
  }

  private static TimePrecision precision(Task task) {
    return configuration(task).timePrecision();
  }

  private static BatchMode batchMode(Task task) {
    return task.queryType() == Task.QueryKind.FIXED_SIZE
        ? BatchMode.LEADER_SELECTED : BatchMode.TIME_INTERVAL;
  }
}
