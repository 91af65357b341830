package io.pando.aggregator.http;

import java.time.Duration;

/**
 * This aggregator cannot take the request now but will later (its write queue is full, its
 * datastore is unreachable, it is over its capacity): {@link ProblemMapper} answers {@code
 * status} (503, or 429) with {@code Retry-After} (RFC 9110 §10.2.3) and a problem document.
 * Nothing was stored or counted.
 */
public final class Unavailable extends RuntimeException {
  private final int status;
  private final Duration retryAfter;

  public Unavailable(int status, Duration retryAfter, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public Unavailable(Duration retryAfter, String detail) {
    this(503, retryAfter, detail);
  }

  public int status() {
    return status;
  }

  /** The {@code Retry-After} value in whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
