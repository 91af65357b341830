-- Leader collection jobs (DAP-09 §4.6).
--
-- A collection job is START until its batch is ready, COLLECTABLE once its query has been
-- recorded (batch_queries counted, batches marked collected, the leader's aggregate share sealed
-- and stored) and the aggregate share request to the helper is due, then FINISHED, or FAILED with
-- the problem document the collector is answered with. ABANDONED: too many attempts.
ALTER TABLE collection_jobs DROP CONSTRAINT collection_jobs_state_check;
ALTER TABLE collection_jobs ADD CONSTRAINT collection_jobs_state_check
    CHECK (state IN ('START', 'COLLECTABLE', 'FINISHED', 'FAILED', 'ABANDONED', 'DELETED'));

ALTER TABLE collection_jobs
    -- time-interval tasks: the query's batch interval [batch_start, batch_end)
    ADD COLUMN batch_start    BIGINT,
    ADD COLUMN batch_end      BIGINT,
    -- the query was counted in batch_queries and its batches marked collected
    ADD COLUMN recorded       BOOLEAN NOT NULL DEFAULT FALSE,
    -- the report id checksum sent to the helper with report_count (§4.6.2)
    ADD COLUMN checksum       BYTEA,
    -- FAILED: the problem document served to the collector
    ADD COLUMN problem_status INTEGER,
    ADD COLUMN problem_type   TEXT,
    ADD COLUMN problem_detail TEXT,
    ADD COLUMN updated_at     TIMESTAMPTZ NOT NULL DEFAULT now();

-- Fixed-size tasks: batch_identifier is the batch id, set when the job is created (by_batch_id)
-- or when it picks a batch (current_batch).
CREATE INDEX collection_jobs_batch ON collection_jobs (task_id, batch_identifier)
    WHERE batch_identifier IS NOT NULL;
-- Time-interval overlap checks look for recorded queries intersecting an interval.
CREATE INDEX collection_jobs_recorded ON collection_jobs (task_id, batch_start)
    WHERE recorded;
