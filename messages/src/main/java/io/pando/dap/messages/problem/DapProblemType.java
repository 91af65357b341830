package io.pando.dap.messages.problem;

import io.pando.dap.messages.DapVersion;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The DAP problem types (DAP-09 §3.2, DAP-18 §3.6): the {@code type} of an RFC 9457 problem
 * document, in the URN namespace {@code urn:ietf:params:ppm:dap:error:}.
 *
 * <p>All fourteen types of the DAP-09 table, plus {@link #INVALID_TASK} from the taskprov
 * extension, and the three that DAP-18's table (§3.6) adds. {@link #versions()} says which drafts
 * list a type: DAP-18 keeps eight of DAP-09's types, drops outdatedConfig, reportRejected,
 * reportTooEarly, batchQueriedTooManyTimes, unauthorizedRequest and missingTaskID (the first and
 * third became report errors), and adds invalidAggregationParameter, unsupportedExtension and
 * invalidExtension. The HTTP status is 400 Bad Request, which §3.2 implies for every "abort"
 * unless the text says otherwise; the one exception is marked where it is chosen.
 */
public enum DapProblemType {
  INVALID_MESSAGE(
      "invalidMessage", "A message could not be parsed or was otherwise invalid.", 400,
      Drafts.BOTH),
  UNRECOGNIZED_TASK(
      "unrecognizedTask", "The message names an unknown task ID.", 400, Drafts.BOTH),
  UNRECOGNIZED_AGGREGATION_JOB(
      "unrecognizedAggregationJob", "The message names an unknown aggregation job ID.", 400,
      Drafts.BOTH),
  OUTDATED_CONFIG(
      "outdatedConfig", "The message was built with an outdated configuration.", 400,
      Drafts.DAP_09),
  REPORT_REJECTED("reportRejected", "The report could not be processed.", 400, Drafts.DAP_09),
  REPORT_TOO_EARLY(
      "reportTooEarly",
      "The report could not be processed because its timestamp is too far in the future.",
      400,
      Drafts.DAP_09),
  BATCH_INVALID(
      "batchInvalid", "The batch boundary check of the query failed.", 400, Drafts.BOTH),
  INVALID_BATCH_SIZE(
      "invalidBatchSize", "The batch holds an invalid number of reports.", 400, Drafts.BOTH),
  BATCH_QUERIED_TOO_MANY_TIMES(
      "batchQueriedTooManyTimes",
      "A report in the batch has been queried more often than the task allows.",
      400,
      Drafts.DAP_09),
  BATCH_MISMATCH(
      "batchMismatch", "The aggregators disagree on the reports aggregated in a batch.", 400,
      Drafts.BOTH),
  /**
   * 403 Forbidden, not 400: request authentication (§3.1) is not an "abort" of the protocol, so the
   * 400 default of §3.2 does not bind it. Janus 0.7 answers 403 here too.
   */
  UNAUTHORIZED_REQUEST(
      "unauthorizedRequest", "The request's authentication is not valid.", 403, Drafts.DAP_09),
  MISSING_TASK_ID(
      "missingTaskID", "The HPKE configuration was requested without a task ID.", 400,
      Drafts.DAP_09),
  STEP_MISMATCH(
      "stepMismatch", "The aggregators disagree on the current aggregation step.", 400,
      Drafts.BOTH),
  BATCH_OVERLAP(
      "batchOverlap",
      "The query includes reports that were collected in a different batch.",
      400,
      Drafts.BOTH),
  /**
   * Not in the DAP-09 table: defined by the taskprov extension (draft-wang-ppm-dap-taskprov-06)
   * for an aggregator that opts out of an in-band provisioned task, and sent by Janus 0.7.
   */
  INVALID_TASK(
      "invalidTask", "The aggregator has opted out of the indicated task.", 400, Drafts.DAP_09),
  /** New in DAP-18 (§3.6). */
  INVALID_AGGREGATION_PARAMETER(
      "invalidAggregationParameter",
      "The aggregation parameter assigned to the batch is invalid.",
      400,
      Drafts.DAP_18),
  /** New in DAP-18 (§3.6). */
  UNSUPPORTED_EXTENSION(
      "unsupportedExtension", "An extensions list includes an unknown extension.", 400,
      Drafts.DAP_18),
  /** New in DAP-18 (§3.6). */
  INVALID_EXTENSION(
      "invalidExtension",
      "An extensions list is out of order or holds an invalid extension encoding.",
      400,
      Drafts.DAP_18);

  /** The URN prefix shared by every DAP problem type. */
  public static final String URN_PREFIX = "urn:ietf:params:ppm:dap:error:";

  private static final Map<String, DapProblemType> BY_URI =
      Map.copyOf(Stream.of(values())
          .collect(Collectors.toMap(DapProblemType::uri, Function.identity())));

  /** The version sets of the constants above. */
  private static final class Drafts {
    static final Set<DapVersion> BOTH = Set.of(DapVersion.DAP_09, DapVersion.DAP_18);
    static final Set<DapVersion> DAP_09 = Set.of(DapVersion.DAP_09);
    static final Set<DapVersion> DAP_18 = Set.of(DapVersion.DAP_18);
  }

  private final String token;
  private final String description;
  private final int httpStatus;
  private final Set<DapVersion> versions;

  DapProblemType(String token, String description, int httpStatus, Set<DapVersion> versions) {
    this.token = token;
    this.description = description;
    this.httpStatus = httpStatus;
    this.versions = versions;
  }

  /** The drafts whose error table lists this type. */
  public Set<DapVersion> versions() {
    return versions;
  }

  /** Whether {@code version}'s error table lists this type (DAP-09 §3.2, DAP-18 §3.6). */
  public boolean existsIn(DapVersion version) {
    return versions.contains(version);
  }

  /** The draft's token, e.g. {@code invalidMessage}. */
  public String token() {
    return token;
  }

  /** The full type URI, e.g. {@code urn:ietf:params:ppm:dap:error:invalidMessage}. */
  public String uri() {
    return URN_PREFIX + token;
  }

  /** A one-sentence human-readable summary, suitable as the problem document's title. */
  public String description() {
    return description;
  }

  /** The HTTP status an aggregator answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The DAP-09 problem type whose URI is exactly {@code uri} (case-sensitive), if any: {@code
   * fromUri(uri, DapVersion.DAP_09)}.
   */
  public static Optional<DapProblemType> fromUri(String uri) {
    return fromUri(uri, DapVersion.DAP_09);
  }

  /** The problem type of {@code version} whose URI is exactly {@code uri}, if any. */
  public static Optional<DapProblemType> fromUri(String uri, DapVersion version) {
    return Optional.ofNullable(uri == null ? null : BY_URI.get(uri))
        .filter(t -> t.existsIn(version));
  }
}
