package io.pando.aggregator.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * DAP-09 §3.1 request authentication: the token arrives as {@code Authorization: Bearer <token>}
 * or {@code DAP-Auth-Token: <token>}. Stored as SHA-256 hashes; compared in constant time.
 */
public final class AuthTokens {
  private AuthTokens() {}

  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code presented} hashes to {@code expectedHash} (constant-time comparison). */
  public static boolean matches(Optional<String> presented, Optional<byte[]> expectedHash) {
    if (presented.isEmpty() || expectedHash.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(hash(presented.get()), expectedHash.get());
  }

  /** The token from the request headers, if any. */
  public static Optional<String> fromHeaders(String authorization, String dapAuthToken) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim());
    }
    if (dapAuthToken != null && !dapAuthToken.isBlank()) {
      return Optional.of(dapAuthToken.trim());
    }
    return Optional.empty();
  }
}
