package io.pando.aggregator.http;

import io.pando.core.vdaf.DapVdaf;
import io.pando.aggregator.task.Task;

/**
 * The largest request body each DAP endpoint can need for a task, from its VDAF's encoded sizes
 * (DAP-09 §4.4.2, §4.5.1.1, §4.5.2.1, §4.6.1, §4.6.3). {@link RequestGuard} refuses a declared
 * {@code Content-Length} above it before the body is read; the strict decoders bound what a
 * chunked body can carry.
 */
public final class BodyLimits {
  /** The longest HPKE encapsulated key (DHKEM(P-521), RFC 9180 §7.1). */
  public static final int MAX_ENC_LENGTH = 133;
  /** The AEAD tag of every AEAD DAP uses (AES-128-GCM, AES-256-GCM, ChaCha20Poly1305). */
  public static final int AEAD_TAG_LENGTH = 16;
  /**
   * Collection requests, polls and aggregate share requests hold a query or batch selector (at
   * most 33 bytes), Prio3's empty aggregation parameter, a count and a checksum.
   */
  public static final int SMALL = 1024;

  private static final int METADATA = 16 + 8;

  private BodyLimits() {}

  /**
   * The length of aggregator {@code aggId}'s sealed {@code PlaintextInputShare} (§4.4.2): an
   * empty extension list (2 bytes), the length-prefixed (4 bytes) input share, and the tag.
   */
  public static int inputSharePayloadLength(DapVdaf vdaf, int aggId) {
    return 2 + 4 + vdaf.inputShareLength(aggId) + AEAD_TAG_LENGTH;
  }

  /** An {@code HpkeCiphertext} around a payload: config id, enc, payload (§4.1). */
  private static long ciphertext(int payload) {
    return 1 + 2 + MAX_ENC_LENGTH + 4 + payload;
  }

  /** {@code Report} (§4.4.2): metadata, public share, both encrypted input shares. */
  public static long report(Task task) {
    DapVdaf vdaf = task.dapVdaf();
    return METADATA + 4 + vdaf.publicShareLength()
        + ciphertext(inputSharePayloadLength(vdaf, 0))
        + ciphertext(inputSharePayloadLength(vdaf, 1))
        + 2L * io.pando.aggregator.taskprov.ReportExtensions.encodedLength(task);
  }

  /**
   * {@code AggregationJobInitReq} of at most {@code maxReports} reports (§4.5.1.1): the
   * aggregation parameter, the partial batch selector, and per report its {@code ReportShare}
   * and the leader's first ping-pong message (type, prep share).
   */
  public static long aggregationJobInit(Task task, int maxReports) {
    DapVdaf vdaf = task.dapVdaf();
    long perReport = METADATA + 4 + vdaf.publicShareLength()
        + ciphertext(inputSharePayloadLength(vdaf, 1))
        + 1 + 4 + vdaf.maxVerifierShareLength()
        + io.pando.aggregator.taskprov.ReportExtensions.encodedLength(task);
    return 4 + 1 + 32 + 4 + perReport * maxReports;
  }

  /**
   * {@code AggregationJobContinueReq} of at most {@code maxReports} reports (§4.5.2.1): the step,
   * and per report its id and a ping-pong message (type, prep message, prep share).
   */
  public static long aggregationJobContinue(Task task, int maxReports) {
    DapVdaf vdaf = task.dapVdaf();
    long perReport = 16 + 1 + 4 + vdaf.maxVerifierMessageLength() + 4
        + vdaf.maxVerifierShareLength();
    return 2 + 4 + perReport * maxReports;
  }

  /** DAP-18's bodies (draft-ietf-ppm-dap-18 §4.4.2, §4.5.3.1), which carry more than one report. */
  public static final class Dap18 {
    /**
     * Room per report for public and private report extensions: none is recognized on DAP-18
     * tasks, so a report carrying more is refused for it anyway; this is room to name it.
     */
    static final int EXTENSION_ROOM = 64;
    /** Aggregation job extensions (a leader-selected batch id) and the verification key id. */
    static final int JOB_HEADER = 256;

    private Dap18() {}

    /** {@code UploadRequest} of at most {@code maxReports} reports. */
    public static long upload(Task task, int maxReports) {
      return (report(task) + EXTENSION_ROOM) * (long) maxReports;
    }

    /** {@code AggregationJobInitReq} of at most {@code maxReports} reports. */
    public static long aggregationJobInit(Task task, int maxReports) {
      return JOB_HEADER + BodyLimits.aggregationJobInit(task, maxReports)
          + (long) EXTENSION_ROOM * maxReports;
    }
  }
}
