-- Pando aggregator schema (DAP-09). Every row names the transaction that last wrote it
-- (updated_by) for forensics. Secret columns hold AES-256-GCM ciphertexts under the datastore
-- key (see io.pando.aggregator.datastore.Crypter); tokens are stored as SHA-256 hashes only.

-- Tasks (DAP-09 §4.2). Role is per task: one deployment can lead some tasks and help others.
CREATE TABLE tasks (
    id                        BIGSERIAL PRIMARY KEY,
    task_id                   BYTEA NOT NULL UNIQUE CHECK (length(task_id) = 32),
    role                      TEXT NOT NULL CHECK (role IN ('LEADER', 'HELPER')),
    peer_endpoint             TEXT NOT NULL,
    query_type                TEXT NOT NULL CHECK (query_type IN ('TIME_INTERVAL', 'FIXED_SIZE')),
    max_batch_size            BIGINT,          -- fixed-size tasks only
    vdaf                      TEXT NOT NULL,   -- JSON: {"type": "Prio3Sum", "bits": 8, ...}
    vdaf_verify_key           BYTEA NOT NULL,  -- encrypted
    max_batch_query_count     BIGINT NOT NULL,
    task_expiration           BIGINT,          -- seconds since the epoch; NULL: never
    report_expiry_age         BIGINT,          -- seconds; NULL: reports never expire
    min_batch_size            BIGINT NOT NULL,
    time_precision            BIGINT NOT NULL CHECK (time_precision > 0),
    tolerable_clock_skew      BIGINT NOT NULL,
    collector_hpke_config     BYTEA NOT NULL,  -- encoded HpkeConfig
    aggregator_auth_token     BYTEA,           -- leader: encrypted token it sends to the helper
    aggregator_auth_token_hash BYTEA,          -- helper: SHA-256 of the token the leader sends
    collector_auth_token_hash BYTEA,           -- leader: SHA-256 of the collector's token
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                TEXT NOT NULL
);

-- Global HPKE keys with a rotation state (§4.4.1): one ACTIVE key is advertised; PENDING keys are
-- published to other replicas before use; EXPIRED keys still decrypt until deleted.
CREATE TABLE hpke_keys (
    config_id                 SMALLINT PRIMARY KEY CHECK (config_id BETWEEN 0 AND 255),
    config                    BYTEA NOT NULL,  -- encoded HpkeConfig
    private_key               BYTEA NOT NULL,  -- encrypted
    state                     TEXT NOT NULL CHECK (state IN ('PENDING', 'ACTIVE', 'EXPIRED')),
    state_changed_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                TEXT NOT NULL
);

-- Leader: uploaded reports (§4.4.2). The primary key is the replay protection.
CREATE TABLE client_reports (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    report_id                 BYTEA NOT NULL CHECK (length(report_id) = 16),
    client_timestamp          BIGINT NOT NULL,
    public_share              BYTEA,
    leader_input_share        BYTEA,           -- decrypted PlaintextInputShare payload
    helper_encrypted_input_share BYTEA,        -- encoded HpkeCiphertext
    aggregation_started       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, report_id)
);
CREATE INDEX client_reports_unaggregated ON client_reports (task_id, client_timestamp)
    WHERE aggregation_started = FALSE;

-- Aggregation jobs, both roles (§4.5). The leader leases them to drivers; the helper keeps the
-- request hash so that a retried request gets the same answer.
CREATE TABLE aggregation_jobs (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    aggregation_job_id        BYTEA NOT NULL CHECK (length(aggregation_job_id) = 16),
    batch_id                  BYTEA,           -- fixed-size tasks
    min_client_timestamp      BIGINT NOT NULL,
    max_client_timestamp      BIGINT NOT NULL,
    state                     TEXT NOT NULL
        CHECK (state IN ('IN_PROGRESS', 'FINISHED', 'ABANDONED', 'DELETED')),
    step                      INTEGER NOT NULL DEFAULT 0,
    last_request_hash         BYTEA,           -- helper
    last_response             BYTEA,           -- helper: encoded AggregationJobResp
    lease_expiry              TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    lease_token               BYTEA,
    lease_attempts            INTEGER NOT NULL DEFAULT 0,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, aggregation_job_id)
);
CREATE INDEX aggregation_jobs_leasable ON aggregation_jobs (lease_expiry)
    WHERE state = 'IN_PROGRESS';

-- One row per report in an aggregation job.
CREATE TABLE report_aggregations (
    task_id                   BYTEA NOT NULL,
    aggregation_job_id        BYTEA NOT NULL,
    ord                       INTEGER NOT NULL,
    report_id                 BYTEA NOT NULL,
    client_timestamp          BIGINT NOT NULL,
    state                     TEXT NOT NULL
        CHECK (state IN ('START', 'WAITING', 'FINISHED', 'FAILED')),
    prep_state                BYTEA,           -- encrypted VDAF prep state (multi-round)
    error_code                SMALLINT,        -- DAP ReportError when FAILED
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, aggregation_job_id, ord),
    FOREIGN KEY (task_id, aggregation_job_id)
        REFERENCES aggregation_jobs (task_id, aggregation_job_id) ON DELETE CASCADE
);
-- Helper replay protection across aggregation jobs (§4.5.1.4).
CREATE UNIQUE INDEX report_aggregations_report ON report_aggregations (task_id, report_id);

-- Sums of output shares per batch, sharded by ord to spread write contention.
CREATE TABLE batch_aggregations (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    batch_identifier          BYTEA NOT NULL,  -- interval start (time-interval) or batch id
    ord                       INTEGER NOT NULL,
    aggregate_share           BYTEA,           -- encoded VDAF aggregate share
    report_count              BIGINT NOT NULL DEFAULT 0,
    checksum                  BYTEA NOT NULL,  -- XOR of SHA-256(report id), §4.5.2
    min_client_timestamp      BIGINT,
    max_client_timestamp      BIGINT,
    collected                 BOOLEAN NOT NULL DEFAULT FALSE, -- no more reports may join
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, batch_identifier, ord)
);

-- Leader: collection jobs (§4.6).
CREATE TABLE collection_jobs (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    collection_job_id         BYTEA NOT NULL CHECK (length(collection_job_id) = 16),
    query                     BYTEA NOT NULL,  -- encoded Query
    batch_identifier          BYTEA,
    state                     TEXT NOT NULL
        CHECK (state IN ('START', 'COLLECTABLE', 'FINISHED', 'ABANDONED', 'DELETED')),
    report_count              BIGINT,
    interval_start            BIGINT,
    interval_duration         BIGINT,
    leader_encrypted_share    BYTEA,           -- encoded HpkeCiphertext to the collector
    helper_encrypted_share    BYTEA,           -- encoded HpkeCiphertext to the collector
    lease_expiry              TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    lease_token               BYTEA,
    lease_attempts            INTEGER NOT NULL DEFAULT 0,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, collection_job_id)
);
CREATE INDEX collection_jobs_leasable ON collection_jobs (lease_expiry)
    WHERE state IN ('START', 'COLLECTABLE');

-- Batches the collector has queried, with their query counts (max_batch_query_count, §4.6.5).
CREATE TABLE batch_queries (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    batch_identifier          BYTEA NOT NULL,
    query_count               BIGINT NOT NULL,
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, batch_identifier)
);

-- Helper: answered aggregate share requests, for idempotent retries (§4.6.3).
CREATE TABLE aggregate_share_jobs (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    batch_selector            BYTEA NOT NULL,  -- encoded BatchSelector
    aggregation_param         BYTEA NOT NULL,
    report_count              BIGINT NOT NULL,
    checksum                  BYTEA NOT NULL,
    response                  BYTEA NOT NULL,  -- encoded AggregateShare
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, batch_selector, aggregation_param)
);

-- Fixed-size tasks: the leader's batches and how full they are.
CREATE TABLE outstanding_batches (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    batch_id                  BYTEA NOT NULL CHECK (length(batch_id) = 32),
    report_count              BIGINT NOT NULL DEFAULT 0,
    filled                    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                TEXT NOT NULL,
    PRIMARY KEY (task_id, batch_id)
);

-- Per-task counters of uploads and aggregation outcomes by reason, sharded by ord.
CREATE TABLE task_counters (
    task_id                   BYTEA NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    counter                   TEXT NOT NULL,   -- e.g. upload_success, upload_decrypt_failure
    ord                       INTEGER NOT NULL,
    value                     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, counter, ord)
) WITH (fillfactor = 50);
