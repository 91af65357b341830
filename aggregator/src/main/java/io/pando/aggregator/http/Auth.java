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
      throw DapException.unauthorized(task.id());
    }
  }

  /** Leader collection endpoints: the request must carry the task's collector token. */
  public static void requireCollector(Task task, UnaryOperator<String> headers) {
    if (!AuthTokens.matches(presented(headers), task.collectorAuthTokenHash())) {
      throw DapException.unauthorized(task.id());
    }
  }

  /** The token a request presents ({@code Authorization: Bearer} or {@code DAP-Auth-Token}). */
  private static Optional<String> presented(UnaryOperator<String> headers) {
    return AuthTokens.fromHeaders(headers.apply(HttpHeaders.AUTHORIZATION),
        headers.apply(DAP_AUTH_TOKEN));
  }
}
