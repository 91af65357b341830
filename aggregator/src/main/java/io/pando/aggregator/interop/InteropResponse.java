package io.pando.aggregator.interop;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An interop test API answer: {@code status} is "success" or "error", {@code error} an optional
 * message for the test runner's log, {@code endpoint} the answer of endpoint_for_task.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InteropResponse(String status, String error, String endpoint) {
  static InteropResponse success() {
    return new InteropResponse("success", null, null);
  }

  static InteropResponse endpoint(String endpoint) {
    return new InteropResponse("success", null, endpoint);
  }

  static InteropResponse error(String message) {
    return new InteropResponse("error", message, null);
  }
}
