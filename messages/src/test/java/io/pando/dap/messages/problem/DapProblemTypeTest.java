package io.pando.dap.messages.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.dap.messages.DapVersion;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DapProblemTypeTest {
  /** The DAP-09 §3.2 table, plus invalidTask from the taskprov extension. */
  private static final Set<String> TOKENS = Set.of(
      "invalidMessage",
      "unrecognizedTask",
      "unrecognizedAggregationJob",
      "outdatedConfig",
      "reportRejected",
      "reportTooEarly",
      "batchInvalid",
      "invalidBatchSize",
      "batchQueriedTooManyTimes",
      "batchMismatch",
      "unauthorizedRequest",
      "missingTaskID",
      "stepMismatch",
      "batchOverlap",
      "invalidTask");

  /** The DAP-18 §3.6 table. */
  private static final Set<String> TOKENS_18 = Set.of(
      "invalidMessage",
      "unrecognizedTask",
      "unrecognizedAggregationJob",
      "batchInvalid",
      "invalidBatchSize",
      "invalidAggregationParameter",
      "batchMismatch",
      "stepMismatch",
      "batchOverlap",
      "unsupportedExtension",
      "invalidExtension");

  @Test
  void everyTypeOfTheDraftIsPresent() {
    assertEquals(TOKENS, tokens(DapVersion.DAP_09));
    assertEquals(TOKENS_18, tokens(DapVersion.DAP_18));
    for (DapProblemType t : DapProblemType.values()) {
      assertFalse(t.versions().isEmpty(), t.name());
    }
  }

  private static Set<String> tokens(DapVersion version) {
    return Arrays.stream(DapProblemType.values())
        .filter(t -> t.existsIn(version))
        .map(DapProblemType::token)
        .collect(Collectors.toSet());
  }

  @Test
  void fromUriKeepsToTheVersionsTable() {
    String ext = "urn:ietf:params:ppm:dap:error:invalidExtension";
    assertEquals(Optional.of(DapProblemType.INVALID_EXTENSION),
        DapProblemType.fromUri(ext, DapVersion.DAP_18));
    assertEquals(Optional.empty(), DapProblemType.fromUri(ext, DapVersion.DAP_09));
    assertEquals(Optional.empty(), DapProblemType.fromUri(ext));
    String early = "urn:ietf:params:ppm:dap:error:reportTooEarly";
    assertEquals(Optional.of(DapProblemType.REPORT_TOO_EARLY), DapProblemType.fromUri(early));
    assertEquals(Optional.empty(), DapProblemType.fromUri(early, DapVersion.DAP_18));
    assertEquals(Optional.of(DapProblemType.BATCH_OVERLAP),
        DapProblemType.fromUri("urn:ietf:params:ppm:dap:error:batchOverlap", DapVersion.DAP_18));
    assertEquals(Optional.empty(), DapProblemType.fromUri(null, DapVersion.DAP_18));
  }

  @Test
  void urisUseTheDapNamespace() {
    assertEquals("urn:ietf:params:ppm:dap:error:invalidMessage",
        DapProblemType.INVALID_MESSAGE.uri());
    assertEquals("urn:ietf:params:ppm:dap:error:missingTaskID",
        DapProblemType.MISSING_TASK_ID.uri());
    for (DapProblemType t : DapProblemType.values()) {
      assertEquals(DapProblemType.URN_PREFIX + t.token(), t.uri());
      assertFalse(t.description().isBlank(), t.name());
    }
  }

  @Test
  void fromUriRoundTrips() {
    for (DapProblemType t : DapProblemType.values()) {
      for (DapVersion v : t.versions()) {
        assertEquals(Optional.of(t), DapProblemType.fromUri(t.uri(), v));
      }
      if (t.existsIn(DapVersion.DAP_09)) {
        assertEquals(Optional.of(t), DapProblemType.fromUri(t.uri()));
      }
    }
    assertEquals(Optional.empty(), DapProblemType.fromUri("invalidMessage"));
    assertEquals(Optional.empty(),
        DapProblemType.fromUri("urn:ietf:params:ppm:dap:error:invalidmessage"));
    assertEquals(Optional.empty(), DapProblemType.fromUri("urn:ietf:params:ppm:dap:error:nope"));
    assertEquals(Optional.empty(), DapProblemType.fromUri(null));
  }

  @Test
  void statusIs400ExceptForUnauthorizedRequest() {
    Map<DapProblemType, Integer> statuses = Arrays.stream(DapProblemType.values())
        .collect(Collectors.toMap(t -> t, DapProblemType::httpStatus));
    assertEquals(403, statuses.remove(DapProblemType.UNAUTHORIZED_REQUEST));
    assertTrue(statuses.values().stream().allMatch(s -> s == 400), statuses.toString());
  }
}
