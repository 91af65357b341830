package io.pando.aggregator.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Token strength at provisioning, and the constant-time check of a presented token. */
class AuthTokensTest {
  @Test
  void sixteenRandomBytesPassAndShortOrRepetitiveTokensDoNot() {
    Random rng = new Random(7); // seeded: the same 1000 tokens every run
    for (int i = 0; i < 1000; i++) {
      byte[] b = new byte[16];
      rng.nextBytes(b);
      AuthTokens.requireStrong("t", Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }
    for (String weak : new String[] {"", "secret", "aggregator-token",
        "abcabcabcabcabcabcabcabcabc", "0000000000000000000000000000000000"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AuthTokens.requireStrong("pando.admin-token", weak));
      assertTrue(e.getMessage().startsWith("pando.admin-token is too weak"), e.getMessage());
      assertFalse(!weak.isEmpty() && e.getMessage().contains(weak), "the token is not echoed");
    }
  }

  @Test
  void onlyTheTokenWhoseHashIsStoredMatches() {
    byte[] hash = AuthTokens.hash("collector-M3nB8vC5xZ1qW7eR");
    assertTrue(AuthTokens.matches(Optional.of("collector-M3nB8vC5xZ1qW7eR"), Optional.of(hash)));
    assertFalse(AuthTokens.matches(Optional.of("collector-M3nB8vC5xZ1qW7eS"), Optional.of(hash)));
    assertFalse(AuthTokens.matches(Optional.empty(), Optional.of(hash)));
    assertFalse(AuthTokens.matches(Optional.of("x"), Optional.empty()));
  }
}
