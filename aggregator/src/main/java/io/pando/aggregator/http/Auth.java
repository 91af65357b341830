package io.pando.aggregator.http;

import io.pando.aggregator.task.AuthTokens;
import io.pando.aggregator.task.Task;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Request authentication (DAP-09 §3.1): the leader authenticates to the helper with the task's
 * aggregator token, the collector to the leader with the collector token. Tokens are checked
 * against stored hashes in constant time; a failure is {@code unauthorizedRequest}.
 */
public final class Auth {
  public static final String DAP_AUTH_TOKEN = "DAP-Auth-Token";

  private Auth() {}

  /** Helper endpoints: the request must carry the task's aggregator token. */
  public static void requireAggregator(Task task, HttpHeaders headers) {
    if (!AuthTokens.matches(AuthTokens.fromHeaders(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
        headers.getHeaderString(DAP_AUTH_TOKEN)), task.aggregatorAuthTokenHash())) {
      throw DapException.unauthorized(task.id());
    }
  }

  /** Leader collection endpoints: the request must carry the task's collector token. */
  public static void requireCollector(Task task, HttpHeaders headers) {
    if (!AuthTokens.matches(AuthTokens.fromHeaders(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
        headers.getHeaderString(DAP_AUTH_TOKEN)), task.collectorAuthTokenHash())) {
      throw DapException.unauthorized(task.id());
    }
  }
}
