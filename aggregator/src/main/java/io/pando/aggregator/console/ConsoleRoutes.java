package io.pando.aggregator.console;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Serves the operator console's static files ({@code console/} on the classpath: the page, its
 * script and style, and the charting library unpacked there at build time) on the management
 * port only; {@code /console} redirects to {@code /console/}. The page holds no data: every
 * request it makes for data goes to the admin API with the admin token.
 */
@ApplicationScoped
public class ConsoleRoutes {
  /** No inline script, nothing from elsewhere, no framing, no referrer. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
      + " form-action 'none'";

  void management(@Observes ManagementInterface management) {
    StaticHandler files = StaticHandler.create("console").setIndexPage("index.html")
        .setCachingEnabled(false).setDirectoryListing(false);
    management.router().route("/console*").handler(rc -> {
      if (rc.normalizedPath().equals("/console")) {
        rc.redirect("/console/");
        return;
      }
      headers(rc);
      rc.next();
    });
    management.router().route("/console/*").handler(files);
  }

  private static void headers(RoutingContext rc) {
    rc.response().putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store");
  }
}
