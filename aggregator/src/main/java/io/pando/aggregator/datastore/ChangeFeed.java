package io.pando.aggregator.datastore;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.ohttp.OhttpKeys;
import io.pando.aggregator.task.TaskService;
import io.pando.dap.messages.TaskId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps every replica's task and HPKE-key caches coherent: one connection per replica LISTENs
 * on {@code pando_tasks} and {@code pando_hpke_keys}, which triggers on those tables notify at
 * each commit (migration V80), whoever made the change. A task created, changed or deleted on
 * one replica is therefore seen by the others as soon as the notification arrives (milliseconds).
 *
 * <p>While the connection is down (PostgreSQL restarting, the connection cut), the task cache
 * keeps entries for {@link TaskService#UNCOHERENT_CACHE_MILLIS} only; on every (re)subscription
 * both caches are dropped and reloaded, since notifications sent meanwhile are lost. The gauge
 * {@code pando_change_feed_listening} is 1 while notifications flow.
 */
@ApplicationScoped
public class ChangeFeed {
  private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
  static final String TASKS = "pando_tasks";
  static final String HPKE_KEYS = "pando_hpke_keys";
  /** The OHTTP gateway's keys (V93). */
  static final String OHTTP_KEYS = "pando_ohttp_keys";
  private static final long RECONNECT_MILLIS = 1000;

  @Inject Vertx vertx;
  @Inject TaskService tasks;
  @Inject HpkeKeys keys;
  @Inject OhttpKeys ohttpKeys;
  @Inject MeterRegistry meters;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> user;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  private final AtomicBoolean listening = new AtomicBoolean();
  private final ExecutorService reloads = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "pando-change-feed");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean stopping;
  private volatile PgSubscriber subscriber;

  void onStart(@Observes StartupEvent e) {
    meters.gauge("pando_change_feed_listening", listening, b -> b.get() ? 1 : 0);
    connect();
  }

  void onStop(@Observes ShutdownEvent e) {
    stopping = true;
    PgSubscriber s = subscriber;
    if (s != null) {
      s.close();
    }
    reloads.shutdownNow();
  }

  /** Whether notifications are flowing now. */
  public boolean listening() {
    return listening.get();
  }

  /** The connection's backend pid, for tests that cut it; empty while not connected. */
  public Optional<Integer> backendPid() {
    PgSubscriber s = subscriber;
    return s == null || s.actualConnection() == null ? Optional.empty()
        : Optional.of(s.actualConnection().processId());
  }

  private void connect() {
    if (stopping) {
      return;
    }
    String u = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length())
        : url;
    PgConnectOptions options = PgConnectOptions.fromUri(u);
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    PgSubscriber s = PgSubscriber.subscriber(vertx, options);
    s.channel(TASKS)
        .subscribeHandler(v -> subscribed())
        .handler(this::onTaskChange);
    s.channel(HPKE_KEYS).handler(payload -> reloadKeys());
    s.channel(OHTTP_KEYS).handler(payload -> reloadKeys());
    s.closeHandler(v -> {
      if (listening.getAndSet(false)) {
        LOG.warn("change feed: the LISTEN connection closed; caches are short-lived until it"
            + " is back");
        tasks.setCoherent(false);
      }
      retryLater();
    });
    subscriber = s;
    s.connect().onFailure(ex -> {
      LOG.debugf("change feed: connecting failed (%s); retrying", ex.getMessage());
      retryLater();
    });
  }

  private void retryLater() {
    if (!stopping) {
      vertx.setTimer(RECONNECT_MILLIS, id -> connect());
    }
  }

  private void subscribed() {
    listening.set(true);
    tasks.setCoherent(true);
    tasks.invalidateAll();
    reloadKeys();
    LOG.debug("change feed: listening for task and HPKE key changes");
  }

  private void onTaskChange(String payload) {
    try {
      tasks.invalidate(TaskId.of(HexFormat.of().parseHex(payload)));
    } catch (RuntimeException ex) {
      tasks.invalidateAll();
    }
  }

  private void reloadKeys() {
    if (stopping) {
      return;
    }
    try {
      reloads.execute(() -> {
        try {
          keys.reload();
          ohttpKeys.onChange();
        } catch (RuntimeException ex) {
          LOG.warnf("change feed: reloading HPKE keys failed: %s", ex.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException ex) {
      // shutting down
    }
  }
}
