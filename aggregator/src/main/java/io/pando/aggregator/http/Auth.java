package io.pando.aggregator.http;

import io.pando.aggregator.task.AuthTokens;
import io.pando.aggregator.task.Task;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Request authentication (DAP-09 §3.1): the leader authenticates to the helper with the task's
 * aggregator token, the collector to the leader with the collector token. Tokens are checked
 * against stored hashes in constant time; a failure is {@code unauthorizedRequest}.
 */
public final class Auth {
  public static final String DAP_AUTH_TOKEN = "DAP-Auth-Token";

  private Auth() {}

  /** Helper endpoints: the request must carry the task's aggregator token. */
  public static void requireAggregator(Task task, UnaryOperator<String> headers) {
    if (!AuthTokens.matches(presented(headers), task.aggregatorAuthTokenHash())) {
      throw refused(task);
    }
  }

  /** Leader collection endpoints: the request must carry the task's collector token. */
  public static void requireCollector(Task task, UnaryOperator<String> headers) {
    if (!AuthTokens.matches(presented(headers), task.collectorAuthTokenHash())) {
      throw refused(task);
    }
  }

  /**
   * DAP-09's {@code unauthorizedRequest} (403); DAP-18 (§3.5, §3.6) defines no problem type for
   * authentication, and the DAP URN namespace may carry only the registered ones, so a DAP-18
   * task's refusal is the plain {@code urn:pando:problem:unauthorized} (401).
   */
  private static RuntimeException refused(Task task) {
    if (task.isDap18()) {
      return new ProblemException(PandoProblem.UNAUTHORIZED,
          "missing or wrong authentication token");
    }
    return DapException.unauthorized(task.id());
  }

  /** The token a request presents ({@code Authorization: Bearer} or {@code DAP-Auth-Token}). */
  private static Optional<String> presented(UnaryOperator<String> headers) {
    return AuthTokens.fromHeaders(headers.apply(HttpHeaders.AUTHORIZATION),
        headers.apply(DAP_AUTH_TOKEN));
  }
}
