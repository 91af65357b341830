package io.pando.dap.messages.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void everyTypeOfTheDraftIsPresent() {
    assertEquals(TOKENS,
        Arrays.stream(DapProblemType.values())
            .map(DapProblemType::token)
            .collect(Collectors.toSet()));
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
      assertEquals(Optional.of(t), DapProblemType.fromUri(t.uri()));
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
