-- In-band task provisioning, draft-wang-ppm-dap-taskprov-06 (aggregator/README.md, "Taskprov").
--
-- tasks.taskprov_config: the encoded TaskConfig of a task provisioned in-band (its SHA-256 is the
-- task id); NULL for tasks provisioned by an operator. The leader sends it to the helper in the
-- dap-taskprov header; the helper requires the taskprov extension in such a task's reports.
ALTER TABLE tasks ADD COLUMN taskprov_config BYTEA;

-- The peer aggregators this aggregator provisions taskprov tasks with, and the operator's limits.
-- A peer is the other aggregator: role LEADER when this one is the helper, HELPER when it leads.
CREATE TABLE taskprov_peers (
    id                         BIGSERIAL PRIMARY KEY,
    endpoint                   TEXT NOT NULL,   -- the peer's DAP API URL, as TaskConfigs name it
    role                       TEXT NOT NULL CHECK (role IN ('LEADER', 'HELPER')),
    verify_key_init            BYTEA NOT NULL,  -- encrypted; 32 bytes shared with the peer
    collector_hpke_config      BYTEA NOT NULL,  -- encoded HpkeConfig
    aggregator_auth_token      BYTEA,           -- peer is the helper: encrypted token we send
    aggregator_auth_token_hash BYTEA,           -- peer is the leader: SHA-256 of its token
    collector_auth_token_hash  BYTEA,           -- peer is the helper: SHA-256 of the collector's
    tolerable_clock_skew       BIGINT NOT NULL CHECK (tolerable_clock_skew >= 0),
    report_expiry_age          BIGINT,          -- seconds; NULL: reports never expire
    allowed_vdafs              TEXT,            -- JSON array of VDAF type names; NULL: any
    max_task_lifetime          BIGINT,          -- seconds from provisioning to expiry; NULL: any
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                 TEXT NOT NULL,
    UNIQUE (endpoint, role),
    CHECK ((role = 'HELPER') = (aggregator_auth_token IS NOT NULL)),
    CHECK ((role = 'LEADER') = (aggregator_auth_token_hash IS NOT NULL)),
    CHECK ((role = 'HELPER') = (collector_auth_token_hash IS NOT NULL))
);
