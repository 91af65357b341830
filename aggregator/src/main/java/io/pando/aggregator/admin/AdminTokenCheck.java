package io.pando.aggregator.admin;

import io.pando.aggregator.config.PandoConfig;
import io.pando.aggregator.task.AuthTokens;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Refuses to start with a weak {@code pando.admin-token} (the rules of {@link AuthTokens}). */
@ApplicationScoped
public class AdminTokenCheck {
  void onStart(@Observes StartupEvent event, PandoConfig config) {
    config.adminToken().filter(t -> !t.isBlank())
        .ifPresent(t -> AuthTokens.requireStrong("pando.admin-token", t));
  }
}
