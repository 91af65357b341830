package io.pando.aggregator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The aggregator's own settings, under the prefix {@code pando}. Every key, its default and its
 * environment variable are listed in aggregator/README.md. Secrets (datastore keys, the admin
 * token) come from the environment, never from files in the repository.
 */
@ConfigMapping(prefix = "pando")
public interface PandoConfig {
  /**
   * Keys that encrypt secrets at rest (verify keys, HPKE private keys, the leader's token for the
   * helper): base64url, 32 bytes each; the first encrypts, all decrypt. Env:
   * PANDO_DATASTORE_KEYS (comma-separated).
   */
  List<String> datastoreKeys();

  /** Bearer token for the admin API; the admin API is disabled without one. */
  Optional<String> adminToken();

  /** A JSON file of tasks to provision at start-up (see aggregator/README.md). */
  Optional<String> taskFile();

  /**
   * This replica's name, recorded as the holder of every job lease it takes ({@code
   * lease_holder}, {@code committed_by}) and in its logs. Env: PANDO_INSTANCE; default: the host
   * name (on Kubernetes, the pod's name). See {@link InstanceName}.
   */
  Optional<String> instance();

  /**
   * Whether this process serves the DAP endpoints (upload, HPKE configs, aggregation jobs,
   * collection jobs, aggregate shares) and the interop API. Driver-only replicas set false and
   * answer those paths 404; health, metrics and the admin API stay. Env: PANDO_API_ENABLED.
   */
  @WithDefault("true")
  boolean apiEnabled();

  Upload upload();

  /** OpenTelemetry tracing (io.pando.aggregator.tracing.Tracing); off unless an exporter is set. */
  TracingConfig tracing();

  interface TracingConfig {
    /**
     * The OTLP/HTTP endpoint spans are exported to, e.g. {@code http://collector:4318}; none
     * (the default) turns tracing off. Env: PANDO_OTLP_ENDPOINT.
     */
    Optional<String> otlpEndpoint();

    /** The share of new traces recorded (traces started by a peer follow its decision). */
    @WithDefault("1.0")
    double sampleRatio();
  }

  /** The helper's bounds on concurrent work (HelperCapacity) and on job size (BodyLimits). */
  HelperLimits helper();

  /** How much aggregation work the helper takes on at once. */
  interface HelperLimits {
    /**
     * Aggregation job requests (PUT, POST) prepared at once; one more is answered 503 with
     * {@code Retry-After}, and the leader backs off.
     */
    @WithDefault("8")
    int maxConcurrentJobs();

    /** The {@code Retry-After} of that 503. */
    @WithDefault("PT2S")
    Duration retryAfter();

    /**
     * Most reports in one aggregation job request: the bound its body is sized from
     * (BodyLimits), and the most an initialization may carry. A leader's job size must not
     * exceed it.
     */
    @WithDefault("10000")
    int maxReportsPerJob();

    /**
     * The asynchronous helper (DAP-18 §3, "Asynchronous Request Handling"; aggregator/README.md,
     * "Asynchronous helper"): DAP-18 aggregation job initializations and aggregate share requests
     * answered "processing" and handled by the helper's own driver.
     */
    Deferred deferred();
  }

  /** {@code pando.helper.deferred.*}. */
  interface Deferred {
    /**
     * Whether DAP-18 aggregation job creations and aggregate share requests are deferred: the
     * helper stores the request, answers 201 with a Location, an empty body and {@code
     * Retry-After}, and its driver handles it; the leader polls with GET. Off: answered at once.
     * DAP-09 requests are always answered at once (DAP-09 has no deferral).
     */
    @WithDefault("false")
    boolean enabled();

    /** The {@code Retry-After} of a "processing" answer. */
    @WithDefault("PT1S")
    Duration retryAfter();

    /** How often the driver looks for deferred requests. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** How long a driver holds a request before another may take it up (a crashed driver). */
    @WithDefault("PT1M")
    Duration lease();

    /** Requests one poll claims. */
    @WithDefault("4")
    int batch();

    /** How long a failed request's problem is kept for GET before it is deleted. */
    @WithDefault("P1D")
    Duration failedRetention();
  }

  Aggregation aggregation();

  Jobs jobs();

  CollectionJobs collection();

  Hpke hpke();

  /** The Oblivious HTTP gateway (io.pando.aggregator.ohttp; aggregator/README.md, "OHTTP"). */
  Ohttp ohttp();

  interface Ohttp {
    /**
     * Serve {@code GET /ohttp-keys} and {@code POST /gateway}; off, both answer 404 and no key
     * is made. Env: PANDO_OHTTP_ENABLED.
     */
    @WithDefault("false")
    boolean enabled();

    /** Generate an active X25519 key at start-up, when enabled and the datastore has none. */
    @WithDefault("true")
    boolean generateIfMissing();

    /** How often each replica reloads the gateway keys from the datastore. */
    @WithDefault("PT60S")
    Duration refreshInterval();

    /**
     * The gateway keys' rotation schedule (the same {@link io.pando.aggregator.hpke.KeyRotator}
     * as the HPKE keys'; it runs only where the gateway is enabled).
     */
    Rotator rotator();
  }

  Interop interop();

  /** Deletion of ended data (GarbageCollector). */
  Gc gc();

  /** Re-sealing of stored secrets and shares after a datastore key rotation (Resealer). */
  Reseal reseal();

  interface Reseal {
    @WithDefault("true")
    boolean enabled();

    /** How often a sweep runs while values sealed under an older key may remain. */
    @WithDefault("PT10M")
    Duration interval();

    /** How many rows one transaction re-seals at most. */
    @WithDefault("200")
    int batchSize();
  }

  /** Deletion of ended data, in bounded slices. */
  interface Gc {
    @WithDefault("true")
    boolean enabled();

    /** How often a pass runs. */
    @WithDefault("PT5M")
    Duration interval();

    /** How many jobs, batches, collection jobs or tasks one transaction deletes at most. */
    @WithDefault("100")
    int batchSize();

    /** How many transactions one pass runs per task and kind at most. */
    @WithDefault("50")
    int maxSlicesPerPass();

    /** How long an ended collection job stays (its result can be polled meanwhile). */
    @WithDefault("P7D")
    Duration collectionJobRetention();

    /** How long after its task_expiration a task is deleted with all its data. */
    @WithDefault("P30D")
    Duration expiredTaskRetention();
  }

  interface Upload {
    /** Reports written to PostgreSQL in one statement, at most. */
    @WithDefault("200")
    int batchSize();

    /** How long a report waits for its batch to fill before it is written anyway. */
    @WithDefault("PT0.005S")
    Duration batchDelay();

    /** Reports one DAP-18 upload request (draft-ietf-ppm-dap-18 §4.4.2) may carry, at most. */
    @WithDefault("1000")
    int maxReportsPerRequest();
  }

  /** The leader's aggregation job creator. */
  interface Aggregation {
    /** Fewest reports in a new aggregation job (fewer wait for more, until max-delay). */
    @WithDefault("1")
    int minJobSize();

    /** Most reports in one aggregation job. */
    @WithDefault("1000")
    int maxJobSize();

    /** How often the creator looks for unaggregated reports. */
    @WithDefault("PT1S")
    Duration creationInterval();

    /** Number of rows a batch aggregation is spread over, to avoid hot rows. */
    @WithDefault("8")
    int batchAggregationShards();
  }

  /** Job leases (aggregation and collection jobs). */
  interface Jobs {
    /** How long a driver holds a job before another may take it over. */
    @WithDefault("PT60S")
    Duration leaseDuration();


    /** How often expired leases are swept and their jobs announced again. */
    @WithDefault("PT5S")
    Duration sweepInterval();

    /**
     * How many jobs a sweeper drives at once itself when their announcement went unanswered
     * (the Kafka bus is down): the PostgreSQL polling fallback.
     */
    @WithDefault("4")
    int pollConcurrency();

    /**
     * Whether this process runs job drivers at all (API-only replicas set false): the master
     * switch over the two below.
     */
    @WithDefault("true")
    boolean driversEnabled();

    /** Aggregation: the job creator, its sweeper and the aggregation-jobs consumer. */
    JobRole aggregation();

    /** Collection: its sweeper and the collection-jobs consumer. */
    JobRole collection();
  }

  /** One kind of job work, switchable per replica (under {@code pando.jobs.drivers-enabled}). */
  interface JobRole {
    @WithDefault("true")
    boolean enabled();
  }

  /** The leader's collection jobs (DAP-09 §4.6). */
  interface CollectionJobs {
    /**
     * How long a collection job waits before it looks again at a batch that is not ready
     * (aggregation jobs running, reports not yet aggregated, fewer than min_batch_size); also
     * the Retry-After of the 202 answer to a poll.
     */
    @WithDefault("PT5S")
    Duration waitInterval();
  }

  /** HPKE keys. */
  interface Hpke {
    /** Generate an active X25519 key at start-up when the datastore has none. */
    @WithDefault("true")
    boolean generateIfMissing();

    /** How often each replica reloads the keys from the datastore. */
    @WithDefault("PT60S")
    Duration refreshInterval();

    /** Automatic rotation of the global keys (hpke.KeyRotator). */
    Rotator rotator();

    /**
     * ECDSA P-256 key (PKCS#8, PEM or base64 DER) that signs the {@code /hpke_config} body into
     * the {@code x-hpke-config-signature} header; unset: no signature.
     */
    Optional<String> configSigningKey();

    /**
     * The {@code Cache-Control: max-age} of {@code /dap-18/hpke_config} (draft-ietf-ppm-dap-18
     * §4.4.1 favours days). A rotated-out key must open reports for twice this after it stops
     * being advertised, so {@code rotator.expired-duration} must be at least twice this (checked
     * at start). DAP-09's {@code /hpke_config} keeps its 60 seconds.
     */
    @WithDefault("P1D")
    Duration configMaxAge();
  }

  /** The HPKE key rotator's schedule (durations from the database clock). */
  interface Rotator {
    /** Run rotation passes in this process (safe on every replica at once). */
    @WithDefault("true")
    boolean enabled();

    /** How often a pass runs. */
    @WithDefault("PT10M")
    Duration interval();

    /** How long a new key stays PENDING before it is advertised (propagation delay). */
    @WithDefault("PT1H")
    Duration pendingDuration();

    /** How long a key is the newest one before a successor is made (and then expires). */
    @WithDefault("P84D")
    Duration activeDuration();

    /** How long an EXPIRED key still opens reports before it is deleted. */
    @WithDefault("P7D")
    Duration expiredDuration();

    /** The ciphersuites kept with an ACTIVE key, e.g. X25519-HKDF-SHA256-AES128GCM. */
    @WithDefault("X25519-HKDF-SHA256-AES128GCM")
    List<String> ciphersuites();
  }

  /** The DAP interop test API (draft-dcook-ppm-dap-interop-test-design), for test deployments. */
  interface Interop {
    /**
     * Serve the unauthenticated {@code /internal/test/*} control endpoints. Never in production:
     * anyone who can reach the port could provision tasks.
     */
    @WithDefault("false")
    boolean enabled();
  }
}
