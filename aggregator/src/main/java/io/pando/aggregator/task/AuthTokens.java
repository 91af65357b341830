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
  /** The shortest token accepted: 16 random bytes in base64url are 22 characters. */
  public static final int MIN_LENGTH = 22;
  /** Fewest distinct characters: a random 22-character base64url string has about 19. */
  public static final int MIN_DISTINCT = 10;

  private AuthTokens() {}

  /**
   * Refuses a token too short or too repetitive to be a random secret of at least 128 bits (a
   * guessable token lets anyone act as the leader or the collector). Generate one with {@code
   * openssl rand -base64 24 | tr '+/' '-_'} or 16+ bytes of any CSPRNG in base64url.
   *
   * @throws IllegalArgumentException naming {@code what}, never echoing the token
   */
  public static void requireStrong(String what, String token) {
    if (token.length() < MIN_LENGTH || token.chars().distinct().count() < MIN_DISTINCT) {
      throw new IllegalArgumentException(what + " is too weak: use at least " + MIN_LENGTH
          + " characters of random base64url (16 random bytes or more)");
    }
  }

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
